import t from 'tap';
import { TIMEOUT_RC, toExecResult, type RawOutcome } from '../../../controller/transport/output.js';

const raw = (over: Partial<RawOutcome>): RawOutcome => ({ code: 0, signal: null, stdout: [], stderr: [], ...over });

t.test('output is decoded as utf8 even when a character is split across chunks', async (t) => {
  const bytes = Buffer.from('héllo ✓');
  const r = toExecResult(raw({ stdout: [bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)] }), { host: 'h' });
  t.same(r, { rc: 0, stdout: 'héllo ✓', stderr: '' });
});

t.test('exit codes and signals', async (t) => {
  const cases: [Partial<RawOutcome>, number][] = [
    [{ code: 0 }, 0],
    [{ code: 3 }, 3],
    [{ code: null, signal: 'KILL' }, 137],
    [{ code: null, signal: 'SIGTERM' }, 143],
    [{ code: null, signal: 'NOPE' }, 255],
    [{ code: null, signal: null }, 255],
  ];
  for (const [over, rc] of cases) t.equal(toExecResult(raw(over), { host: 'h' }).rc, rc, JSON.stringify(over));
});

t.test('a timed-out command reports 124 with a note, whatever its own exit', async (t) => {
  const r = toExecResult(raw({ code: null, signal: 'KILL', stderr: [Buffer.from('partial')], timedOutMs: 1500 }), { host: 'h' });
  t.equal(r.rc, TIMEOUT_RC);
  t.equal(r.stderr, 'partial\nmuster: command timed out after 1500 ms and was killed\n');
  const s = toExecResult(raw({ timedOutMs: 2000 }), { host: 'h' });
  t.equal(s.stderr, 'muster: command timed out after 2 s and was killed\n');
});

t.test('the sudo prompt is stripped and sudo refusals become E_BECOME', async (t) => {
  const marker = '[p] ';
  const ok = toExecResult(raw({ stderr: [Buffer.from(`${marker}warning: x\n`)] }), { host: 'h', become: { user: 'root' }, marker });
  t.equal(ok.stderr, 'warning: x\n');
  t.throws(() => toExecResult(raw({ code: 1, stderr: [Buffer.from(`${marker}Sorry, try again.\n`)] }), { host: 'h', become: { user: 'root' }, marker }), {
    code: 'E_BECOME',
    host: 'h',
    message: 'wrong sudo password (becoming root)',
  });
  const plain = toExecResult(raw({ code: 1, stderr: [Buffer.from('sudo: a password is required\n')] }), { host: 'h' });
  t.equal(plain.rc, 1, 'without become, sudo words in stderr are just output');
});
