/**
 * `kill -9` of the manager (`muster serve`, a child process) mid-deploy and mid-failover, on a simulated fleet:
 * started again, it finishes the work from what the agents and the state directory hold; nothing is lost and
 * nothing runs twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { type SimFleet, startSimFleet } from '../../../bench/lib/sim-fleet.mjs';
import { storeStack } from '../../../controller/deploy/history.js';
import { loadStack } from '../../../controller/stack/load.js';
import { sleep, until } from './until.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'muster-manager-crash-'));
const state = join(dir, 'state');
const sim: SimFleet = await startSimFleet({
  nodes: 4,
  dir: state,
  startDelayMs: 1500,
  codeRoot: ROOT,
  images: ['busybox:1'],
  basePort: 61000 + ((process.pid + 1777) % 4000),
});
t.teardown(() => sim.close());

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
const port = await freePort();

/** `muster serve` from the TypeScript sources, in a child process; resolves once it listens. */
async function serve(): Promise<{ child: ChildProcess; out: string[] }> {
  const code = `const { main } = await import(${JSON.stringify(join(ROOT, 'controller/cli.ts'))}); process.exitCode = await main(process.argv.slice(1));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, 'serve', '-i', sim.inventory, '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, ...sim.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`muster serve did not start: ${out.join('')}`)), 60_000);
    const read = (b: Buffer) => {
      out.push(b.toString());
      if (out.join('').includes('muster manager on')) {
        clearTimeout(timer);
        res();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
  });
  return { child, out };
}

function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const token = readFileSync(join(state, 'manager', 'token'), 'utf8').trim();
  const ca = readFileSync(join(state, 'ca.crt'), 'utf8');
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((res, rej) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        ca,
        headers: { authorization: `Bearer ${token}`, ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) },
      },
      (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c) => chunks.push(c));
        r.on('end', () => res({ status: r.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
      },
    );
    req.on('error', rej);
    req.end(data);
  });
}

/** Every web replica the simulated nodes run (running or starting), as `web.N@node`. */
const held = () =>
  sim.nodes.flatMap((n) =>
    sim
      .containers(n.name)
      .filter((c) => c.name.startsWith('app_web.'))
      .map((c) => `${c.name.replace(/^app_/, '').replace(/\.[0-9a-f]{8}$/, '')}@${n.name}`),
  );
const running = (except?: string) =>
  sim.nodes.filter((n) => n.name !== except).flatMap((n) => sim.containers(n.name).filter((c) => c.state === 'running' && c.name.startsWith('app_web.')));
const slotsOf = (list: string[]) => list.map((x) => x.replace(/@.*/, '')).sort();
const twelve = Array.from({ length: 12 }, (_, i) => `web.${i + 1}`).sort();

const kill9 = async (c: ChildProcess) => {
  c.kill('SIGKILL');
  await new Promise((r) => c.once('exit', r));
};

let manager = await serve();
t.teardown(() => kill9(manager.child));

t.test('killed mid-deploy: started again, it finishes the deploy; every slot runs once', async (t) => {
  const file = join(dir, 'app.yml');
  writeFileSync(file, 'name: app\nservices:\n  web:\n    image: busybox:1\n    deploy: { replicas: 12 }\n');
  const r = await api('POST', '/v1/stacks', { stack: storeStack(loadStack(file, { env: {} })), file });
  t.equal(r.status, 202, JSON.stringify(r.json));
  t.ok(await until(10_000, () => held().length > 0), 'the deploy began writing');
  await kill9(manager.child);
  t.ok(running().length < 12, `killed before all ran (${running().length} of 12 running)`);
  manager = await serve();
  t.ok(await until(20_000, () => running().length === 12), 'the restarted manager finished it', { held: held(), out: manager.out.join('') });
  t.same(slotsOf(held()), twelve, 'each slot once');
  let services = await api('GET', '/v1/services');
  for (let i = 0; i < 30 && (services.json as { services: { running: number }[] }).services[0]?.running !== 12; i++) {
    await sleep(200);
    services = await api('GET', '/v1/services');
  }
  t.match(services.json, { services: [{ stack: 'app', service: 'web', running: 12, wanted: 12 }] }, 'its API says so at its next poll');
});

t.test('killed mid-failover: started again, it places the down node’s replicas; back, exactly 12', async (t) => {
  const victim = sim.nodes.find((n) => held().some((h) => h.endsWith(`@${n.name}`)))?.name as string;
  const before = held().filter((h) => h.endsWith(`@${victim}`)).length;
  await sim.kill(victim);
  t.ok(await until(10_000, () => manager.out.join('').includes(`${victim} is down`)), `${victim} is down for the manager`);
  const downBefore = Date.now();
  await kill9(manager.child);
  manager = await serve();
  const nodes = (await api('GET', '/v1/nodes')).json as { nodes: { row: { node: string }; state: string; since: string }[] };
  const v = nodes.nodes.find((n) => n.row.node === victim);
  t.equal(v?.state, 'down', 'the restarted manager knows it is down from its records');
  t.ok(v && Date.parse(v.since) <= downBefore, 'since before the restart: kept, not counted again');
  t.ok(await until(30_000, () => running(victim).length === 12), `the restarted manager runs the ${before} replicas of ${victim} elsewhere`, {
    held: held(),
    out: manager.out.join(''),
  });
  t.same(slotsOf(held().filter((h) => !h.endsWith(`@${victim}`))), twelve, 'each slot once on the others');
  await sim.revive(victim);
  t.ok(await until(20_000, () => held().length === 12 && running().length === 12), 'after it returns: exactly 12', { held: held() });
  t.same(slotsOf(held()), twelve, 'each slot once');
});
