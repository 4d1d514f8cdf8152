import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexIPv4, listenAddresses, toEre, waitForScript, type WaitSpec } from '../../../../controller/modules/control/wait_for_script.js';
import { waitResult } from '../../../../controller/modules/control/wait_for.js';

t.test('addresses as the kernel prints them', async (t) => {
  t.equal(hexIPv4('127.0.0.1'), '0100007F');
  t.equal(hexIPv4('192.168.1.10'), '0A01A8C0');
  const cases: [string, string[] | undefined][] = [
    ['127.0.0.1', ['00000000', '0100007F', '00000000000000000000000000000000', '0000000000000000FFFF00000100007F']],
    ['127.0.0.53', ['00000000', '3500007F', '00000000000000000000000000000000', '0000000000000000FFFF00003500007F']],
    ['::1', ['00000000000000000000000000000000', '00000000000000000000000001000000']],
    ['0.0.0.0', ['*']],
    ['db.example.com', undefined],
    ['10.0.0.5', undefined],
  ];
  for (const [host, want] of cases) t.same(listenAddresses(host), want, host);
  t.ok(listenAddresses('localhost')?.includes('0100007F'));
});

t.test('regex translation for grep -E', async (t) => {
  const cases: [string, string][] = [
    ['port=(\\d+)', 'port=([0-9]+)'],
    ['(?P<ver>\\d+\\.\\d+)', '([0-9]+\\.[0-9]+)'],
    ['(?:a|b)\\D', '(a|b)[^0-9]'],
    ['^ready$', '^ready$'],
  ];
  for (const [py, ere] of cases) t.equal(toEre(py), ere, py);
});

// The loop runs for real with dash, against sockets and files of this machine.
const dash = (spec: WaitSpec) =>
  new Promise<{ rc: number; stdout: string; stderr: string }>((resolve) => {
    execFile('dash', ['-c', waitForScript(spec).text], { timeout: 30_000 }, (err, stdout, stderr) => {
      const rc = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ rc, stdout, stderr });
    });
  });

const base = { host: '127.0.0.1', timeout: 5, delay: 0, sleep: 1, connectTimeout: 2 };

const listen = (host: string, port = 0) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer((s) => s.end());
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;
const close = (s: net.Server) => new Promise<void>((resolve) => s.close(() => resolve()));

t.test('port on 127.0.0.1: open, then closed', async (t) => {
  const server = await listen('127.0.0.1');
  const port = portOf(server);
  const up = await dash({ ...base, kind: 'port', want: 'up', port });
  t.equal(up.rc, 0, up.stderr);
  t.match(up.stdout, /^muster-wait: ok \d+$/m);
  const notDown = await dash({ ...base, kind: 'port', want: 'down', port, timeout: 1 });
  t.equal(notDown.rc, 1);
  t.match(notDown.stdout, /muster-wait: timeout \d+/);
  await close(server);
  const down = await dash({ ...base, kind: 'port', want: 'down', port });
  t.equal(down.rc, 0);
  const notUp = await dash({ ...base, kind: 'port', want: 'up', port, timeout: 1 });
  t.equal(notUp.rc, 1);
  t.match(waitResult({ ...base, kind: 'port', want: 'up', port }, {}, notUp), { failed: true, msg: `Timeout when waiting for 127.0.0.1:${port}` });
});

t.test('a listener bound to another loopback address does not count for 127.0.0.1', async (t) => {
  const server = await listen('127.0.0.2');
  const port = portOf(server);
  t.equal((await dash({ ...base, kind: 'port', want: 'up', port, timeout: 0 })).rc, 1);
  t.equal((await dash({ ...base, kind: 'port', want: 'up', port, host: '127.0.0.2', timeout: 0 })).rc, 0);
  t.equal((await dash({ ...base, kind: 'port', want: 'up', port, host: '0.0.0.0', timeout: 0 })).rc, 0, 'any address');
  await close(server);
});

t.test('a dual-stack listener on :: answers 127.0.0.1', async (t) => {
  const server = await listen('::').catch(() => undefined);
  if (!server) {
    t.pass('no IPv6 on this machine: nothing to check');
    return;
  }
  const port = portOf(server);
  t.equal((await dash({ ...base, kind: 'port', want: 'up', port, timeout: 0 })).rc, 0);
  t.equal((await dash({ ...base, kind: 'port', want: 'up', port, host: 'localhost', timeout: 0 })).rc, 0);
  await close(server);
});

t.test('a port that opens while waiting', async (t) => {
  const probe = await listen('127.0.0.1');
  const port = portOf(probe);
  await close(probe);
  const waiting = dash({ ...base, kind: 'port', want: 'up', port, timeout: 10 });
  await new Promise((r) => setTimeout(r, 1500));
  const server = await listen('127.0.0.1', port).catch(() => undefined);
  t.ok(server, 'port still free');
  if (!server) return;
  const r = await waiting;
  await close(server);
  t.equal(r.rc, 0);
  t.match(r.stdout, /muster-wait: ok [1-9]\d*/, 'waited at least a second');
});

t.test('path that appears after a delay, with a search regex', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-wait-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'app.log');
  const spec: WaitSpec = { ...base, kind: 'path', want: 'up', path, searchRegex: 'listening on port (?P<port>\\d+)', timeout: 10 };
  const waiting = dash(spec);
  setTimeout(() => writeFileSync(path, 'starting\n'), 500);
  setTimeout(() => writeFileSync(path, 'starting\nlistening on port 8080\n'), 1500);
  const r = await waiting;
  t.equal(r.rc, 0, r.stderr);
  t.same(waitResult(spec, {}, r), {
    changed: false,
    data: {
      elapsed: Number(/ok (\d+)/.exec(r.stdout)?.[1]),
      state: 'started',
      path,
      search_regex: spec.searchRegex,
      match_groups: ['8080'],
      match_groupdict: { port: '8080' },
    },
  });
  const absent = dash({ ...base, kind: 'path', want: 'down', path, timeout: 10 });
  setTimeout(() => rmSync(path), 1000);
  t.equal((await absent).rc, 0, 'absent once removed');
  const never = await dash({ ...base, kind: 'path', want: 'up', path: join(dir, 'never'), timeout: 1 });
  t.equal(never.rc, 1);
});

t.test('a remote host is checked with a real connection attempt', async (t) => {
  const script = waitForScript({ ...base, kind: 'port', want: 'up', host: 'db.example.com', port: 5432 }).text;
  t.match(script, /nc -z -w 2 db\.example\.com 5432/);
  t.match(script, /\/dev\/tcp/);
  t.notMatch(script, /\/proc\/net\/tcp/);
});
