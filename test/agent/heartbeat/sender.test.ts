/** The heartbeat sender over real UDP on 127.0.0.1 (and ::1 where the host has it). */
import t, { type Test } from 'tap';
import { createSocket, type Socket } from 'node:dgram';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HEARTBEAT_TTL_MS, type Heartbeat, readHeartbeat, signedWith } from '../../../shared/heartbeat.js';
import { heartbeatSender } from '../../../agent/heartbeat/sender.js';
import { reportEtag } from '../../../agent/api/report-etag.js';
import { reportStateTag } from '../../../shared/report-state.js';
import type { NodeReport } from '../../../shared/wire.js';
import { sampleReport } from '../sample-report.js';
import { INTERVAL, NONCE_A, NONCE_B, TOKEN, recordLog, request, sleep } from './support.js';

/** A UDP socket on 127.0.0.1 keeping the heartbeats it receives, checked against the token. */
async function receiver(t: Test, family: 'udp4' | 'udp6' = 'udp4', host = '127.0.0.1') {
  const socket: Socket = createSocket(family);
  const got: Heartbeat[] = [];
  const refused: string[] = [];
  socket.on('message', (packet) => {
    const read = readHeartbeat(packet);
    if (!read.ok) refused.push(read.reason);
    else if (!signedWith(read, TOKEN)) refused.push('not signed with the token');
    else got.push(read.hb);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => resolve());
  });
  t.teardown(() => socket.close());
  const waitFor = async (ok: () => boolean, what: string): Promise<void> => {
    for (let waited = 0; !ok(); waited += 5) {
      if (waited > 3000) throw new Error(`no ${what} within 3 s (got ${JSON.stringify(got)})`);
      await sleep(5);
    }
  };
  return { port: socket.address().port, got, refused, waitFor };
}

t.test('datagrams arrive signed with the token, seq 1, 2, 3..., carrying the report tag and then the new one', async (t) => {
  const rx = await receiver(t);
  let report: NodeReport = sampleReport();
  const { log } = recordLog();
  const sender = heartbeatSender({ token: TOKEN, report: async () => report, log });
  t.teardown(() => sender.stop());
  t.same(sender.start(request(rx.port), '127.0.0.1'), { ok: true, to: `127.0.0.1:${rx.port}`, intervalMs: INTERVAL, ttlMs: HEARTBEAT_TTL_MS });
  await rx.waitFor(() => rx.got.length >= 3, '3 heartbeats');
  const first = reportEtag(report);
  const state = reportStateTag(report);
  t.same(
    rx.got.slice(0, 3),
    [1, 2, 3].map((seq) => ({ node: 'pi4-a', nonce: NONCE_A, seq, tag: first, state })),
    'the ETag and the state tag of the report',
  );
  t.same(rx.refused, [], 'none refused');

  report = { ...report, node: { ...report.node, hostname: 'pi4-renamed' } };
  const second = reportEtag(report);
  t.not(second, first);
  t.not(reportStateTag(report), state, 'a rename is a change of state too');
  await rx.waitFor(() => rx.got.some((h) => h.tag === second), 'the new tag');
  const at = rx.got.findIndex((h) => h.tag === second);
  t.ok(
    rx.got.slice(at).every((h) => h.tag === second && h.state === reportStateTag(report)),
    'every heartbeat after the change names the new tags',
  );

  // a reading that drifts moves the ETag and leaves the state tag alone
  const drifted = { ...report, collectedAt: '2026-01-02T03:05:00.000Z' };
  report = drifted;
  await rx.waitFor(() => rx.got.some((h) => h.tag === reportEtag(drifted)), 'the drifted tag');
  const last = rx.got[rx.got.length - 1];
  t.same([last.tag, last.state], [reportEtag(drifted), reportStateTag(drifted)]);
  t.not(last.tag, second, 'a new ETag');
  t.equal(last.state, rx.got[at].state, 'the same state tag');
  t.same(
    rx.got.map((h) => h.seq),
    rx.got.map((_h, i) => i + 1),
    'no seq skipped or repeated',
  );
  t.match(sender.status(), { running: true, to: `127.0.0.1:${rx.port}`, node: 'pi4-a', nonce: NONCE_A, intervalMs: INTERVAL, seq: rx.got.length });
});

t.test('an IPv4-mapped requester gets its heartbeats at the plain IPv4 address', async (t) => {
  const rx = await receiver(t);
  const sender = heartbeatSender({ token: TOKEN, report: async () => sampleReport(), log: recordLog().log });
  t.teardown(() => sender.stop());
  t.match(sender.start(request(rx.port), '::ffff:127.0.0.1'), { ok: true, to: `127.0.0.1:${rx.port}` });
  await rx.waitFor(() => rx.got.length >= 1, 'a heartbeat');
  t.equal(rx.got[0].seq, 1);
});

t.test('over IPv6 when the requester is IPv6', async (t) => {
  let rx: Awaited<ReturnType<typeof receiver>>;
  try {
    rx = await receiver(t, 'udp6', '::1');
  } catch (e) {
    t.pass(`no IPv6 loopback here (${(e as Error).message}): not tried`);
    return;
  }
  const sender = heartbeatSender({ token: TOKEN, report: async () => sampleReport(), log: recordLog().log });
  t.teardown(() => sender.stop());
  t.match(sender.start(request(rx.port), '::1'), { ok: true, to: `[::1]:${rx.port}` });
  await rx.waitFor(() => rx.got.length >= 1, 'a heartbeat over IPv6');
  t.equal(rx.got[0].nonce, NONCE_A);
});

t.test('a report that cannot be read gives tag null, and heartbeats go on', async (t) => {
  const rx = await receiver(t);
  const sender = heartbeatSender({ token: TOKEN, report: async () => Promise.reject(new Error('docker down')), log: recordLog().log });
  t.teardown(() => sender.stop());
  sender.start(request(rx.port), '127.0.0.1');
  await rx.waitFor(() => rx.got.length >= 2, '2 heartbeats');
  t.same(
    rx.got.slice(0, 2).map((h) => [h.seq, h.tag, h.state]),
    [
      [1, null, null],
      [2, null, null],
    ],
  );
});

t.test('a second start replaces the registration: new nonce, seq from 1, nothing more of the old one', async (t) => {
  const rx = await receiver(t);
  const sender = heartbeatSender({ token: TOKEN, report: async () => sampleReport(), log: recordLog().log });
  t.teardown(() => sender.stop());
  sender.start(request(rx.port), '127.0.0.1');
  await rx.waitFor(() => rx.got.length >= 3, '3 heartbeats');
  sender.start(request(rx.port, { nonce: NONCE_B }), '127.0.0.1');
  await rx.waitFor(() => rx.got.filter((h) => h.nonce === NONCE_B).length >= 3, '3 heartbeats of the new registration');
  const firstB = rx.got.findIndex((h) => h.nonce === NONCE_B);
  t.ok(
    rx.got.slice(firstB).every((h) => h.nonce === NONCE_B),
    'none of the old nonce after the first of the new',
  );
  t.same(
    rx.got.slice(firstB, firstB + 3).map((h) => h.seq),
    [1, 2, 3],
  );
});

t.test('the same nonce again (a retried request) keeps counting, so the manager does not drop its heartbeats', async (t) => {
  const rx = await receiver(t);
  const sender = heartbeatSender({ token: TOKEN, report: async () => sampleReport(), log: recordLog().log });
  t.teardown(() => sender.stop());
  sender.start(request(rx.port), '127.0.0.1');
  await rx.waitFor(() => rx.got.length >= 2, '2 heartbeats');
  sender.start(request(rx.port), '127.0.0.1');
  const before = rx.got.length;
  await rx.waitFor(() => rx.got.length >= before + 2, '2 more heartbeats');
  t.same(
    rx.got.map((h) => h.seq),
    rx.got.map((_h, i) => i + 1),
    'one run of seq across the renewal',
  );
});

t.test('stop: nothing more arrives, the socket is closed, a second stop says none ran', async (t) => {
  const rx = await receiver(t);
  const sender = heartbeatSender({ token: TOKEN, report: async () => sampleReport(), log: recordLog().log });
  t.equal(sender.stop(), false, 'none ran yet');
  sender.start(request(rx.port), '127.0.0.1');
  await rx.waitFor(() => rx.got.length >= 2, '2 heartbeats');
  t.equal(sender.stop(), true);
  await sleep(INTERVAL); // one already on its way may land
  const after = rx.got.length;
  await sleep(INTERVAL * 6);
  t.equal(rx.got.length, after, 'no heartbeat after stop');
  t.same(sender.status(), { running: false });
  t.equal(sender.stop(), false);
});

t.test('sending to a closed port neither throws nor stops the heartbeats', async (t) => {
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', () => resolve()));
  const port = probe.address().port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const sender = heartbeatSender({ token: TOKEN, report: async () => sampleReport(), log: recordLog().log });
  t.teardown(() => sender.stop());
  t.match(sender.start(request(port), '127.0.0.1'), { ok: true });
  await sleep(INTERVAL * 5);
  const status = sender.status();
  t.ok(status.running && status.seq >= 2, `still sending (${JSON.stringify(status)})`);
});

t.test('an address that is not an IP is refused without opening a socket', async (t) => {
  let opened = 0;
  const sender = heartbeatSender({
    token: TOKEN,
    report: async () => sampleReport(),
    log: recordLog().log,
    open: () => {
      opened++;
      return { send() {}, close() {} };
    },
  });
  t.same(sender.start(request(9), 'manager.lan'), { ok: false, message: 'cannot send heartbeats to "manager.lan": not an IP address' });
  t.equal(opened, 0);
  t.same(sender.status(), { running: false });
});

t.test('the timer and the socket never keep the process alive', async (t) => {
  // A child process starts heartbeats and never stops them: it must still exit on its own.
  const dir = t.testdir({
    'child.ts': `
      import { heartbeatSender } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../../agent/heartbeat/sender.ts')).href)};
      const sender = heartbeatSender({ token: '${TOKEN}', report: async () => ({}) as never, log: { info() {}, warn() {} } });
      const started = sender.start({ node: 'pi4-a', port: 9, nonce: '${NONCE_A}', intervalMs: 50 }, '127.0.0.1');
      console.log(JSON.stringify(started));
    `,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'child.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => {
    const kill = setTimeout(() => child.kill(), 10_000);
    child.on('exit', (c) => {
      clearTimeout(kill);
      resolve(c);
    });
  });
  t.equal(code, 0, `exited by itself (${out.trim()})`);
  t.match(out, /"ok":true/);
});
