import t from 'tap';
import type { MusterError } from '../../../shared/errors.js';
import type { Play, VarsPrompt } from '../../../controller/playbook/types.js';
import { type Asker, promptVars } from '../../../controller/cli/vars-prompt.js';

const pos = { file: 'site.yml', line: 3, col: 7 };
const prompt = (p: Partial<VarsPrompt> & { name: string }): VarsPrompt => ({ prompt: p.name, private: true, confirm: false, pos, ...p });
const play = (...varsPrompt: VarsPrompt[]) => ({ vars: { kept: 1 }, varsPrompt }) as unknown as Play;

/** An asker answering from a script, recording what it was asked. */
function scripted(answers: string[], interactive = true): Asker & { asked: string[] } {
  const asked: string[] = [];
  return {
    interactive,
    asked,
    ask: async (text, hidden) => {
      asked.push(`${hidden ? 'hidden' : 'shown'} ${text}`);
      return answers.shift() ?? '';
    },
  };
}

t.test('each prompt is asked, answers become play variables, private ones are returned to mask', async (t) => {
  const p = play(prompt({ name: 'user', prompt: 'Who?', private: false, default: 'pi' }), prompt({ name: 'pw' }));
  const asker = scripted(['', 's3cret!']);
  const secret = await promptVars([p], {}, asker);
  t.same(asker.asked, ['shown Who? [pi]: ', 'hidden pw: ']);
  t.same(p.vars, { kept: 1, user: 'pi', pw: 's3cret!' }, 'an empty answer takes the default');
  t.same(secret, ['s3cret!']);
});

t.test('-e wins: the variable is not asked, even without a terminal', async (t) => {
  const p = play(prompt({ name: 'user' }));
  const asker = scripted([], false);
  await promptVars([p], { user: 'given' }, asker);
  t.same(asker.asked, []);
  t.same(p.vars, { kept: 1 }, 'the -e value is an extra var, above play vars');
});

t.test('without a terminal an unanswered prompt is an error naming the variable and -e', async (t) => {
  const err = (await promptVars([play(prompt({ name: 'db_password', default: 'x' }))], {}, scripted([], false)).catch((e) => e)) as MusterError;
  t.equal(err.code, 'E_OPTION');
  t.match(err.message, 'vars_prompt "db_password" has no terminal to ask on');
  t.match(err.hint, '-e db_password=VALUE');
  t.same(err.pos, pos);
});

t.test('confirm asks twice and again when the answers differ; three misses fail', async (t) => {
  const p = play(prompt({ name: 'pw', confirm: true }));
  const asker = scripted(['one', 'two', 'same', 'same']);
  await promptVars([p], {}, asker);
  t.same(asker.asked, ['hidden pw: ', 'hidden confirm pw: ', 'hidden pw: ', 'hidden confirm pw: ']);
  t.equal(p.vars.pw, 'same');
  const err = (await promptVars([play(prompt({ name: 'pw', confirm: true }))], {}, scripted(['a', 'b', 'a', 'b', 'a', 'b'])).catch((e) => e)) as MusterError;
  t.match(err.message, 'the two answers did not match three times');
});

t.test('encrypt hashes the answer as crypt(3) does, with the given salt or a random one of salt_size', async (t) => {
  const p = play(prompt({ name: 'pw', encrypt: 'sha512_crypt', salt: 'saltsalt' }));
  const secret = await promptVars([p], {}, scripted(['secret']));
  t.equal(p.vars.pw, '$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1', 'as openssl passwd -6 makes it');
  t.same(secret, ['secret'], 'the clear answer is masked');
  const q = play(prompt({ name: 'pw', encrypt: 'sha256_crypt', saltSize: 4 }));
  await promptVars([q], {}, scripted(['secret']), (n) => 'x'.repeat(n));
  t.match(q.vars.pw, /^\$5\$xxxx\$/);
});
