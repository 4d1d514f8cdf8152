import t from 'tap';
import { measure } from '../../../bench/lib/measure.mjs';

// Real child processes: measure() is the edge that spawns them, so there is nothing to fake.
t.test('a run is timed, its output kept and its peak RSS read', async (t) => {
  // Holds ~64 MB live for a moment, so the peak clearly exceeds an idle node's.
  const script = "const b = Buffer.alloc(64e6, 1); console.log('out'); console.error('err'); setTimeout(() => process.exit(b[0] + 2), 200)";
  const r = await measure(['node', '-e', script], { env: process.env });
  t.equal(r.exitCode, 3);
  t.match(r.output, /out/);
  t.match(r.output, /err/);
  t.ok(r.ms >= 200, `wall time ${r.ms} ms covers the wait`);
  t.ok(r.rssKb > 64_000, `peak RSS ${r.rssKb} KiB includes the buffer`);
});

t.test('a run past its time limit is killed and says so', async (t) => {
  const r = await measure(['sleep', '30'], { env: process.env, timeoutMs: 300 });
  t.equal(r.exitCode, 128 + 9, 'SIGKILL');
  t.match(r.output, /killed after 0.3 s/);
  t.ok(r.ms < 10_000);
});

t.test('a program that cannot start ends with 127', async (t) => {
  const r = await measure(['/nonexistent/tool'], { env: process.env });
  t.equal(r.exitCode, 127);
  t.match(r.output, /nonexistent/);
});
