import t from 'tap';
import { createConnection, createServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerAdapter } from '../../../agent/docker/adapter.js';
import type { ContainerSpec } from '../../../shared/wire.js';
import { SLEEPER, docker, ensureImage, eventually, IMAGE, removeScope, skipReason } from '../e2e/lab.js';

// The adapter against the machine's dockerd, through a proxy socket that records every request: how many
// inspects an observation costs, and that Docker's events keep the kept answers honest.
const SOCKET = '/var/run/docker.sock';
const skip = skipReason(SOCKET);
const MiB = 1024 * 1024;
const scope = `adapter-${process.pid}`;
const tag = scope.replace(/\W/g, '');

const spec = (n: number): ContainerSpec => ({
  name: `${tag}_svc.${n}`,
  stack: tag,
  service: 'svc',
  replica: n,
  image: IMAGE,
  command: SLEEPER,
  memoryLimit: 32 * MiB,
});

/** A unix socket in front of dockerd that notes each request line and can cut the event stream. */
async function recordingProxy(path: string) {
  const requests: string[] = [];
  const eventStreams = new Set<Socket>();
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const up = createConnection(SOCKET);
    open.add(client);
    client.on('data', (d) => {
      for (const m of d.toString('latin1').matchAll(/^(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.1\r$/gm)) {
        requests.push(`${m[1]} ${m[2].replace(/^\/v[\d.]+/, '').split('?')[0]}`);
        if (m[2].includes('/events')) eventStreams.add(client);
      }
    });
    const end = (): void => {
      open.delete(client);
      eventStreams.delete(client);
      client.destroy();
      up.destroy();
    };
    client.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
    client.pipe(up);
    up.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    requests,
    /** how many requests matched since the last take(), and forget them */
    take(): { inspects: number; lists: number; events: number; all: string[] } {
      const all = requests.splice(0);
      return {
        inspects: all.filter((r) => /^GET \/containers\/[0-9a-f]{64}\/json$/.test(r)).length,
        lists: all.filter((r) => r === 'GET /containers/json').length,
        events: all.filter((r) => r === 'GET /events').length,
        all,
      };
    },
    openEventStreams: () => eventStreams.size,
    cutEvents: () => {
      for (const s of eventStreams) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

t.test('observations inspect only what Docker says changed', { skip: skip ?? false }, async (t) => {
  ensureImage(SOCKET);
  removeScope(SOCKET, scope);
  t.teardown(() => removeScope(SOCKET, scope));
  // A short path of its own: unix socket paths are limited to 107 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'muster-proxy-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const proxy = await recordingProxy(join(dir, 'docker.sock'));
  t.teardown(proxy.close);
  let changes = 0;
  const adapter = dockerAdapter({ socketPath: join(dir, 'docker.sock'), scope, onChange: () => changes++, changeDelayMs: 300, stopGraceS: 1 });
  t.teardown(() => adapter.close?.());

  t.same(await adapter.list(), [], 'nothing of this scope yet (and the event stream is subscribed)');
  const ids: string[] = [];
  for (const n of [1, 2, 3]) {
    const id = await adapter.create(spec(n), 'h');
    await adapter.start(id);
    ids.push(id);
  }
  await eventually('3 running', async () => (await adapter.list()).filter((c) => c.state === 'running').length === 3);
  await eventually('the events of the starts are in', async () => {
    const before = changes;
    await new Promise((r) => setTimeout(r, 600));
    return changes === before;
  });
  t.ok(changes >= 1, `3 creates and 3 starts were told (${changes} call(s); bursts share one, see watch.test.ts)`);
  await adapter.list();
  proxy.take();

  // Nothing changed: one list, no inspect, the stream subscribed once and still open.
  const quiet = await adapter.list();
  t.equal(quiet.length, 3);
  t.match(proxy.take(), { lists: 1, inspects: 0, events: 0 }, 'a quiet observation is one request');
  t.equal(proxy.openEventStreams(), 1, 'one event stream');

  // docker update changes the limit but not the state: only the event tells, and only that one is inspected.
  const before = changes;
  docker(SOCKET, 'update', '--memory', '48m', '--memory-swap', '96m', ids[1]);
  await eventually('the update event', () => changes > before, 10_000);
  const updated = await adapter.list();
  t.equal(updated.find((c) => c.id === ids[1])?.limits?.memory, 48 * MiB, 'the new limit is seen');
  t.equal(updated.find((c) => c.id === ids[0])?.limits?.memory, 32 * MiB, 'the others kept theirs');
  t.match(proxy.take(), { lists: 1, inspects: 1 }, 'only the updated container was inspected again');

  // docker kill: the event wakes the owner, the next observation sees it exited.
  const beforeKill = changes;
  docker(SOCKET, 'kill', ids[2]);
  await eventually('the die event', () => changes > beforeKill, 10_000);
  const killed = await adapter.list();
  t.match(
    killed.find((c) => c.id === ids[2]),
    { state: 'exited', exitCode: 137 },
  );
  t.match(proxy.take(), { lists: 1, inspects: 1 });
  await adapter.list();
  t.match(proxy.take(), { lists: 1, inspects: 0 }, 'kept again once seen');

  // A lost stream: nothing kept is trusted, the next observation subscribes again and inspects all.
  proxy.cutEvents();
  await eventually('the stream is gone', () => proxy.openEventStreams() === 0, 5_000);
  await new Promise((r) => setTimeout(r, 100));
  t.equal((await adapter.list()).length, 3);
  t.match(proxy.take(), { lists: 1, inspects: 3, events: 1 }, 'everything inspected, subscribed again');
  await adapter.list();
  t.match(proxy.take(), { lists: 1, inspects: 0 }, 'and kept after that');

  // A container removed behind the adapter's back is gone from the next observation.
  docker(SOCKET, 'rm', '-f', ids[0]);
  t.same((await adapter.list()).map((c) => c.id).sort(), [ids[1], ids[2]].sort());

  // close() lets go of the stream; observations after it inspect every time.
  adapter.close?.();
  await eventually('the stream is closed', () => proxy.openEventStreams() === 0, 5_000);
  proxy.take();
  await adapter.list();
  await adapter.list();
  t.match(proxy.take(), { lists: 2, inspects: 4, events: 0 }, 'no stream, no keeping');
});

t.test("a stop waits the spec's grace period, even past the request timeout; a spec without one gets the adapter's", { skip: skip ?? false }, async (t) => {
  ensureImage(SOCKET);
  const graceScope = `${scope}-grace`;
  removeScope(SOCKET, graceScope);
  t.teardown(() => removeScope(SOCKET, graceScope));
  // 1 s per request: a 2 s grace would time out if the stop went through the usual client
  const adapter = dockerAdapter({ socketPath: SOCKET, scope: graceScope, stopGraceS: 1, timeoutMs: 1000 });
  t.teardown(() => adapter.close?.());
  const stubborn = ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'];
  const make = async (n: number, more: Partial<ContainerSpec>) => {
    const id = await adapter.create({ ...spec(n), name: `${tag}_grace.${n}`, service: 'grace', command: stubborn, ...more }, 'h');
    await adapter.start(id);
    return id;
  };
  const timeout = (id: string) => Number(docker(SOCKET, 'inspect', '-f', '{{.Config.StopTimeout}}', id).trim());
  const timed = async (f: () => Promise<void>) => {
    const start = Date.now();
    await f();
    return (Date.now() - start) / 1000;
  };

  const two = await make(1, { stopGraceS: 2 });
  t.equal(timeout(two), 2, 'StopTimeout from the spec');
  const took = await timed(() => adapter.remove(two));
  t.ok(took >= 1.9 && took < 6, `SIGTERM ignored: killed after the 2 s grace (${took.toFixed(1)} s), not cut at the 1 s request timeout`);

  const none = await make(2, {});
  t.equal(timeout(none), 1, "no grace in the spec: the adapter's default");
  const zero = await make(3, { stopGraceS: 0 });
  t.equal(timeout(zero), 0);
  const fast = await timed(() => adapter.remove(zero));
  t.ok(fast < 1.9, `grace 0: killed at once, well within a 2 s grace (${fast.toFixed(1)} s)`);
  await adapter.remove(none);
  t.same(await adapter.list(), [], 'all removed');
});
