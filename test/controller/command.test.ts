/** Quoting and masking: what runs is exactly what was meant, and what is shown never holds a secret. */
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { MIN_MASKED_LENGTH, maskSecrets, quote, Secret, sh } from '../../controller/command.js';
import { SecretStore } from '../../controller/runner/state.js';

// [word, how quote writes it]
const quoting: [string, string][] = [
  ['plain', 'plain'],
  ['/etc/app.conf', '/etc/app.conf'],
  ['a=b:c,d@e%f+g', 'a=b:c,d@e%f+g'],
  ['', "''"],
  ['~', "'~'"], // unquoted, sh would expand it to $HOME
  ['~/x', "'~/x'"],
  ['~root', "'~root'"],
  ['a~b', "'a~b'"],
  ['x=~/y', "'x=~/y'"], // bash expands ~ after = in a word shaped like an assignment
  ['PATH=/a:~/b', "'PATH=/a:~/b'"], // ... and after :
  ['a b', "'a b'"],
  ["it's", "'it'\\''s'"],
  ['$HOME', "'$HOME'"],
  ['`id`', "'`id`'"],
  ['*', "'*'"],
  ['-n', '-n'],
  ['!x', "'!x'"],
  ['#x', "'#x'"],
  ['a\nb', "'a\nb'"],
];

t.test('quote: table', async (t) => {
  for (const [word, want] of quoting) t.equal(quote(word), want, JSON.stringify(word));
});

t.test('quote: sh and bash read back every word exactly, ~ included', async (t) => {
  for (const shell of ['sh', 'bash']) {
    for (const [word] of quoting) {
      // printf's format is fixed, so a word like -n or %s cannot be taken as an option or a format
      const got = execFileSync(shell, ['-c', `printf '[%s]' ${quote(word)}`], { encoding: 'utf8', env: { HOME: '/home/someone', PATH: process.env.PATH } });
      t.equal(got, `[${word}]`, `${shell}: ${JSON.stringify(word)}`);
    }
  }
});

t.test('sh tag: secrets run as themselves and show as ***', async (t) => {
  const s = sh`echo ${new Secret('~/pw x')} ${'~'}`;
  t.equal(s.text, "echo '~/pw x' '~'");
  t.equal(s.shown, "echo *** '~'");
});

t.test('maskSecrets: at the minimum length and one below, in plain and JSON-escaped text, longest first', async (t) => {
  t.equal(MIN_MASKED_LENGTH, 3);
  t.equal(maskSecrets('pw=abc!', ['abc']), 'pw=***!', 'a secret of exactly the minimum length is masked');
  t.equal(maskSecrets('pw=ab!', ['ab']), 'pw=ab!', 'one shorter is not (masking every "ab" would garble the output)');
  t.equal(maskSecrets('pw=abc!', [new Secret('abc')]), 'pw=***!', 'Secret values too');
  t.equal(maskSecrets(JSON.stringify({ pw: 'a"b\\c' }), ['a"b\\c']), '{"pw":"***"}', 'a secret with quotes or backslashes is masked inside JSON');
  t.equal(maskSecrets(JSON.stringify({ pw: 'l1\nl2' }), ['l1\nl2']), '{"pw":"***"}', 'a multi-line secret inside JSON');
  t.equal(maskSecrets('token abcdef', ['abc', 'abcdef']), 'token ***', 'a longer secret is masked before a shorter one it contains');
});

t.test('SecretStore keeps what maskSecrets masks: the minimum length and up', async (t) => {
  const store = new SecretStore();
  store.add('ab');
  store.add('abc');
  store.add(new Secret('abcd'));
  t.same([...store.values], ['abc', 'abcd']);
});
