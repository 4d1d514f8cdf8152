/** The heartbeat sender on a fake clock, fake timers and a fake socket: its TTL, stop, errors and slow reports. */
import t from 'tap';
import { HEARTBEAT_TTL_MS, type Heartbeat, readHeartbeat } from '../../../shared/heartbeat.js';
import { heartbeatSender, type HeartbeatSenderDeps, type Timers } from '../../../agent/heartbeat/sender.js';
import type { DatagramPort } from '../../../agent/heartbeat/udp.js';
import { sampleReport } from '../sample-report.js';
import { NONCE_B, TOKEN, recordLog, request } from './support.js';

/** A sender on a fake clock, fake timers and a fake socket: what was sent and closed, and ticks on demand. */
function faked(over: Partial<HeartbeatSenderDeps> & { fail?: Error } = {}) {
  let clock = 1_000_000;
  const jobs: { ms: number; fn: () => void; cancelled: boolean }[] = [];
  const timers: Timers = {
    every(ms, fn) {
      const job = { ms, fn, cancelled: false };
      jobs.push(job);
      return { cancel: () => (job.cancelled = true) };
    },
  };
  const sockets: { family: string; sent: Heartbeat[]; closed: boolean }[] = [];
  const open = (family: 'udp4' | 'udp6'): DatagramPort => {
    const s = { family, sent: [] as Heartbeat[], closed: false };
    sockets.push(s);
    return {
      send(packet, _port, _host, done) {
        const read = readHeartbeat(packet);
        if (read.ok) s.sent.push(read.hb);
        done(over.fail ?? null);
      },
      close: () => (s.closed = true),
    };
  };
  const { lines, log } = recordLog();
  const sender = heartbeatSender({ token: TOKEN, report: async () => sampleReport(), log, now: () => clock, timers, open, ...over });
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    sender,
    sockets,
    lines,
    jobs,
    sent: () => sockets.flatMap((s) => s.sent),
    /** moves the clock to `ms` after the start, fires the live timers and lets the beats finish */
    async at(ms: number) {
      await settle(); // the beat start() sent is done before the clock moves
      clock = 1_000_000 + ms;
      for (const j of jobs.filter((j) => !j.cancelled)) j.fn();
      await settle();
    },
  };
}

t.test('TTL: nothing is sent from HEARTBEAT_TTL_MS after the last start, and the socket is closed', async (t) => {
  const f = faked();
  f.sender.start(request(7946), '127.0.0.1');
  await f.at(0);
  t.same(
    f.sent().map((h) => h.seq),
    [1, 2],
    'one at start, one at the first tick',
  );
  await f.at(HEARTBEAT_TTL_MS - 1);
  t.equal(f.sent().length, 3, 'one millisecond before the TTL: sent');
  t.match(f.sender.status(), { running: true, expiresInMs: 1 });
  await f.at(HEARTBEAT_TTL_MS);
  t.equal(f.sent().length, 3, 'at the TTL: not sent');
  t.same(f.sender.status(), { running: false });
  t.ok(f.sockets[0].closed, 'socket closed');
  t.ok(
    f.jobs.every((j) => j.cancelled),
    'timer cancelled',
  );
  t.match(f.lines, [{ level: 'info' }, { level: 'info', msg: /stopped: not renewed within 120 s/ }]);
  await f.at(HEARTBEAT_TTL_MS + 10_000);
  t.equal(f.sent().length, 3, 'nothing later either');
  t.equal(f.sender.stop(), false, 'stop after expiry: none ran');
});

t.test('TTL: counted from the last start, so a renewed registration outlives the first TTL', async (t) => {
  const f = faked();
  f.sender.start(request(7946), '127.0.0.1');
  await f.at(100_000);
  f.sender.start(request(7946, { nonce: NONCE_B }), '127.0.0.1');
  await f.at(100_000 + HEARTBEAT_TTL_MS - 1);
  t.match(f.sent().at(-1), { nonce: NONCE_B }, 'sent past the first TTL');
  t.equal(f.sockets[0].closed, true, 'the first socket closed at the renewal');
  const n = f.sent().length;
  await f.at(100_000 + HEARTBEAT_TTL_MS);
  t.equal(f.sent().length, n, 'not after the renewed TTL');
  t.same(f.sender.status(), { running: false });
});

t.test('stop before an expired registration had its next tick says none ran', async (t) => {
  const f = faked();
  f.sender.start(request(7946), '127.0.0.1');
  await f.at(HEARTBEAT_TTL_MS); // no tick: the clock only
  t.same(f.sender.status(), { running: false });
  t.equal(f.sender.stop(), false);
  t.ok(f.sockets[0].closed);
});

t.test('a send error is logged once per registration, never thrown', async (t) => {
  const f = faked({ fail: Object.assign(new Error('send EHOSTUNREACH'), { code: 'EHOSTUNREACH' }) });
  f.sender.start(request(7946), '127.0.0.1');
  for (const ms of [0, 1000, 2000]) await f.at(ms);
  t.equal(f.sent().length, 4, 'it keeps trying');
  const warned = () => f.lines.filter((l) => l.level === 'warn');
  t.same(
    warned().map((l) => l.msg),
    ['heartbeats to 127.0.0.1:7946 fail (EHOSTUNREACH); the manager polls this node meanwhile'],
  );
  t.match(f.sender.status(), { running: true, sendError: 'EHOSTUNREACH' });
  f.sender.start(request(7946, { nonce: NONCE_B }), '127.0.0.1');
  await f.at(3000);
  t.equal(warned().length, 2, 'once more for the new registration');
  f.sender.stop();
});

t.test('a report slower than the interval skips beats instead of piling them up', async (t) => {
  let release = () => {};
  let reads = 0;
  const f = faked({
    report: () => {
      reads++;
      return new Promise((resolve) => (release = () => resolve(sampleReport())));
    },
  });
  f.sender.start(request(7946), '127.0.0.1');
  for (const ms of [0, 1000, 2000]) await f.at(ms);
  t.equal(reads, 1, 'one report read in flight');
  release();
  await f.at(3000);
  release();
  await new Promise((r) => setImmediate(r));
  t.same(
    f.sent().map((h) => h.seq),
    [1, 2],
  );
  f.sender.stop();
});
