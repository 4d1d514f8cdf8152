import t from 'tap';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import type { ContainerSpec } from '../../../shared/wire.js';
import { DEFAULTS } from '../../../agent/config/settings.js';
import { SLEEPER, api, buildBundle, docker, ensureImage, eventually, IMAGE, removeScope, skipReason, startAgentProcess } from './lab.js';

// The convergence target of issue 8 on the machine's dockerd: 20 containers of a desired set running, timed
// against the floor, 20 parallel `docker run -d` of the same image with the same limits on the same engine.
// Everything carries this run's scopes and names; nothing else on the engine is touched.
const SOCKET = '/var/run/docker.sock';
const skip = skipReason(SOCKET);
const COUNT = 20;
const MiB = 1024 * 1024;
const scope = `e2e-par-${process.pid}`;
const floorScope = `${scope}-floor`;
const tag = `par${process.pid}`;
const network = `${tag}_default`; // what a Compose stack's services join unless they say otherwise
const floorNetwork = `${tag}_floor`;
/** muster may take this many times the floor (a loose bound: a loaded 2-core machine varies run to run) */
const BOUND = 2;
const ROUNDS = 2;

const spec = (n: number): ContainerSpec => ({
  name: `${tag}_web.${n}`,
  stack: tag,
  service: 'web',
  replica: n,
  image: IMAGE,
  command: SLEEPER,
  memoryLimit: 32 * MiB,
  networks: [{ name: network, aliases: ['web'] }],
});

/** How many containers of a scope run, straight from the engine's API (cheaper than the CLI, so polled often). */
function running(scopeName: string): Promise<number> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`io.muster.managed=${scopeName}`], status: ['running'] }));
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: SOCKET, path: `/containers/json?filters=${filters}` }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve((JSON.parse(body) as unknown[]).length));
    });
    req.on('error', reject);
    req.end();
  });
}

async function untilRunning(scopeName: string, count: number, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while ((await running(scopeName)) < count) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${count} running containers of ${scopeName}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The floor: COUNT `docker run -d` at once, from the first spawn until the last has returned (each returns once its container started). */
async function floor(): Promise<number> {
  const began = performance.now();
  await Promise.all(
    Array.from(
      { length: COUNT },
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          const args = ['-H', `unix://${SOCKET}`, 'run', '-d', '--name', `${tag}_floor.${i + 1}`, '--label', `io.muster.managed=${floorScope}`];
          const child = spawn('docker', [...args, '--memory', '32m', '--network', floorNetwork, IMAGE, ...SLEEPER], { stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          child.stderr.on('data', (c: Buffer) => (err += c.toString()));
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker run exited ${code}: ${err}`))));
        }),
    ),
  );
  const took = performance.now() - began;
  if ((await running(floorScope)) !== COUNT) throw new Error('the floor containers are not all running');
  return took;
}

const networksNamed = (name: string): string[] => docker(SOCKET, 'network', 'ls', '-q', '--filter', `name=^${name}$`).split('\n').filter(Boolean);

t.test(`${COUNT} containers of a desired set converge within ${BOUND}x of ${COUNT} parallel docker run -d`, { skip: skip ?? false }, async (t) => {
  ensureImage(SOCKET);
  const cleanUp = (): void => {
    removeScope(SOCKET, scope);
    removeScope(SOCKET, floorScope);
    for (const n of [network, floorNetwork]) for (const id of networksNamed(n)) docker(SOCKET, 'network', 'rm', id);
  };
  cleanUp();
  t.teardown(cleanUp);
  docker(SOCKET, 'network', 'create', floorNetwork);
  const dir = t.testdir({ state: {} });
  const agent = await startAgentProcess(await buildBundle(dir), { stateDir: join(dir, 'state'), scope, socket: SOCKET });
  t.teardown(async () => {
    if (agent.child.exitCode === null) await agent.kill();
  });
  const specs = Array.from({ length: COUNT }, (_, i) => spec(i + 1));
  const floors: number[] = [];
  const musters: number[] = [];
  let generation = 0;
  try {
    // Interleaved rounds, each side on an engine with none of its containers: the best of each is compared.
    for (let round = 0; round < ROUNDS; round++) {
      floors.push(await floor());
      removeScope(SOCKET, floorScope);
      const began = performance.now();
      t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: ++generation, containers: specs })).status, 200, `round ${round + 1}: accepted`);
      await untilRunning(scope, COUNT);
      musters.push(performance.now() - began);
      t.same(networksNamed(network).length, 1, `round ${round + 1}: one network ${network}, made once for ${COUNT} containers created side by side`);
      t.equal((await api(agent.url, 'PUT', '/v1/desired', { generation: ++generation, containers: [] })).status, 200);
      await eventually(
        'all removed',
        async () => (await running(scope)) === 0 && docker(SOCKET, 'ps', '-aq', '--filter', `label=io.muster.managed=${scope}`) === '',
      );
    }
  } catch (e) {
    t.comment(`agent log:\n${agent.log()}`);
    throw e;
  }
  const best = (xs: number[]): number => Math.min(...xs);
  const ms = (x: number): string => `${Math.round(x)} ms`;
  t.comment(`floor, ${COUNT} parallel docker run -d: ${floors.map(ms).join(', ')}`);
  t.comment(
    `muster, PUT to ${COUNT} running (reconcile_parallelism ${process.env.MUSTER_AGENT_RECONCILE_PARALLELISM ?? DEFAULTS.reconcileParallelism}): ${musters.map(ms).join(', ')}`,
  );
  t.comment(`best: muster ${ms(best(musters))} vs floor ${ms(best(floors))} = ${(best(musters) / best(floors)).toFixed(2)}x`);
  t.ok(best(musters) <= BOUND * best(floors), `muster ${ms(best(musters))} within ${BOUND}x of the floor ${ms(best(floors))}`);
  const log = agent.log();
  t.equal(log.match(/create \S+_web\.\d+: missing/g)?.length, COUNT * ROUNDS, 'each container created once per round, none twice');
  t.notMatch(log, /failed/, 'no action failed');
  await eventually('the unused network removed once all is gone', () => networksNamed(network).length === 0, 30_000);
  t.equal(await agent.stop(), 0);
});
