/**
 * `muster deploy` against real agent apps over HTTPS in this process: each agent "runs" at once what its
 * desired set holds (its report lists every desired container as running), so plans, writes, generations and
 * exit codes are tested without Docker.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildAgent } from '../../../agent/api/app.js';
import { availabilityStore } from '../../../agent/state/availability.js';
import { desiredStore } from '../../../agent/state/desired-store.js';
import { main } from '../../../controller/cli.js';
import { deployCommand } from '../../../controller/cli/deploy.js';
import { openCa } from '../../../controller/fleet/ca.js';
import { nodeCredentials } from '../../../controller/fleet/node-credentials.js';
import type { DesiredSet } from '../../../shared/wire.js';
import { containerReport, sampleReport } from '../../agent/sample-report.js';
import { closedPort } from '../fleet/agent-server.js';

const state = mkdtempSync(join(tmpdir(), 'muster-deploy-'));
const env = { MUSTER_STATE_DIR: state };
process.env.MUSTER_STATE_DIR = state;
const now = new Date();
const { ca } = await openCa(state, { persist: true, now });

/** A real agent app on HTTPS whose report shows its desired containers running. */
async function agent(name: string) {
  const creds = (await nodeCredentials(ca, state, name, [name, '127.0.0.1'], { rotateToken: false, persist: true, now })).credentials;
  const desired = desiredStore(mkdtempSync(join(tmpdir(), `muster-agent-${name}-`)), null);
  const report = async () => ({
    ...sampleReport(),
    collectedAt: new Date().toISOString(),
    node: { ...sampleReport().node, hostname: name },
    containers: (desired.current()?.containers ?? []).map((c) =>
      containerReport({ name: c.name, stack: c.stack, service: c.service, replica: c.replica, restarts: 0, health: null }),
    ),
  });
  const app = buildAgent(
    { token: creds.token, desired, availability: availabilityStore(mkdtempSync(join(tmpdir(), 'muster-av-')), 'active'), report },
    { https: { cert: creds.certPem, key: creds.keyPem } },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, set: (): DesiredSet | null => desired.current(), close: () => app.close() };
}

const h01 = await agent('h01');
const h02 = await agent('h02');
t.teardown(async () => {
  await h01.close();
  await h02.close();
});

function inventory(ports: Record<string, number>): string {
  const p = join(state, `inv-${Object.values(ports).join('-')}.yml`);
  const hosts = Object.entries(ports)
    .map(([n, port]) => `        ${n}: { muster_agent_port: ${port}${n === 'h01' ? ', muster_labels: { disk: ssd }' : ''} }`)
    .join('\n');
  writeFileSync(p, `all:\n  vars:\n    ansible_host: 127.0.0.1\n  children:\n    agents:\n      hosts:\n${hosts}\n`);
  return p;
}
const inv = inventory({ h01: h01.port, h02: h02.port });

function stackFile(webReplicas: number, constraint = 'node.labels.disk == ssd'): string {
  const dir = mkdtempSync(join(tmpdir(), 'muster-stack-'));
  const p = join(dir, 'stack.yml');
  writeFileSync(
    p,
    `name: demo
services:
  agent:
    image: muster-busybox:1
    deploy: { mode: global }
  web:
    image: muster-busybox:1
    deploy:
      replicas: ${webReplicas}
      resources: { limits: { memory: 64m } }
  fast:
    image: muster-busybox:1
    deploy:
      placement: { constraints: ["${constraint}"] }
`,
  );
  return p;
}

async function deploy(...argv: string[]) {
  let out = '';
  const code = await deployCommand(['-i', inv, ...argv], (s) => (out += s), {
    out: (s) => (out += s),
    env,
    tty: false,
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
  return { code, out };
}
const names = (s: DesiredSet | null) => (s?.containers ?? []).map((c) => c.name.replace(/\.[0-9a-f]{8}$/, '')).sort();

t.test('--dry-run prints the plan and writes nothing', async (t) => {
  const r = await deploy(stackFile(4), '--dry-run');
  t.equal(r.code, 0, 'exit 0', { output: r.out });
  t.match(r.out, /demo web:\n(  create\s+web\.\d\s+h0\d\s+.*\n){4}/);
  t.match(r.out, /demo fast:\n  create\s+fast\.1\s+h01\s/, 'the constrained service on the labelled node');
  t.match(r.out, /plan: 7 to create\n/);
  t.match(r.out, /dry run: nothing was written/);
  t.equal(h01.set(), null);
  t.equal(h02.set(), null);
});

t.test('a first deploy writes both nodes and waits until all run; a second keeps everything', async (t) => {
  const r = await deploy(stackFile(4));
  t.equal(r.code, 0, 'exit 0', { output: r.out });
  t.same(names(h01.set()), ['demo_agent.0', 'demo_fast.1', 'demo_web.1', 'demo_web.3'], r.out);
  t.same(names(h02.set()), ['demo_agent.0', 'demo_web.2', 'demo_web.4']);
  t.equal(h01.set()?.generation, 1);
  t.equal(h01.set()?.containers.find((c) => c.service === 'web')?.memoryLimit, 64 * 1024 * 1024);
  t.match(r.out, /step 1\/1: create /);
  t.match(r.out, /  web 4\/4 running\n/);
  t.match(r.out, /deploy demo: 7\/7 replicas running in \d+\.\ds\n$/);

  const again = await deploy(stackFile(4));
  t.equal(again.code, 0, 'exit 0', { output: again.out });
  t.match(again.out, /plan: 7 to keep\n/);
  t.notMatch(again.out, /step \d/, 'nothing to write');
  t.equal(h01.set()?.generation, 1, 'no new generation');
});

t.test('scaling writes only the difference', async (t) => {
  const down = await deploy(stackFile(2));
  t.equal(down.code, 0, 'exit 0', { output: down.out });
  t.match(down.out, /plan: 5 to keep, 2 to remove\n/);
  t.same(names(h01.set()), ['demo_agent.0', 'demo_fast.1', 'demo_web.1']);
  t.same(names(h02.set()), ['demo_agent.0', 'demo_web.2']);
  const up = await deploy(stackFile(3));
  t.equal(up.code, 0, 'exit 0', { output: up.out });
  t.match(up.out, /plan: 1 to create, 5 to keep\n/);
  t.same([...names(h01.set()), ...names(h02.set())].sort(), ['demo_agent.0', 'demo_agent.0', 'demo_fast.1', 'demo_web.1', 'demo_web.2', 'demo_web.3']);
});

t.test('an unplaceable constraint: the rest is deployed, exit 2 naming the replica and why', async (t) => {
  const r = await deploy(stackFile(3, 'node.labels.disk == nvme'));
  t.equal(r.code, 2, 'exit 2', { output: r.out });
  t.match(r.out, /unplaced\s+fast\.1\s+-\s+no suitable node \(.*constraint.*\)/);
  t.match(r.out, /unplaced: fast\.1: no suitable node/);
  t.notOk(names(h01.set()).includes('demo_fast.1'), 'the replica that no longer fits where it ran was removed');
  const dry = await deploy(stackFile(3, 'node.labels.disk == nvme'), '--dry-run');
  t.equal(dry.code, 2, 'the dry run says 2 as well');
});

t.test('an agent that does not answer: named with the fix, its replicas placed elsewhere, exit 4', async (t) => {
  const gone = inventory({ h01: h01.port, h02: await closedPort() });
  let out = '';
  const code = await main(['deploy', '-i', gone, stackFile(3), '--dry-run'], (s) => (out += s));
  t.equal(code, 4, 'exit 4', { output: out });
  t.match(out, /\[UNREACHABLE\] h02: connection refused by 127\.0\.0\.1:\d+.*\n  fix: /);
  t.match(out, /stack demo onto 1\/2 node\(s\)/);
  t.match(out, /create\s+web\.2\s+h01/, "h02's replicas go to h01");
});

t.test('a data-holding replica whose node does not answer waits for it, unless moved with --move', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'muster-stack-')), 'stack.yml');
  writeFileSync(file, 'name: vol\nservices:\n  db:\n    image: muster-busybox:1\n    volumes: ["data:/var/lib/db"]\nvolumes:\n  data: {}\n');
  const first = await deploy(file);
  t.equal(first.code, 0, 'deployed', { output: first.out });
  const home = names(h01.set()).includes('vol_db.1') ? 'h01' : 'h02';
  const other = home === 'h01' ? 'h02' : 'h01';
  const ports = { h01: h01.port, h02: h02.port, [home]: await closedPort() };
  const gone = inventory(ports);
  const run = async (...argv: string[]) => {
    let out = '';
    const code = await main(
      ['deploy', '-i', gone, file, '--dry-run', ...argv],
      (s) => (out += s),
      (s) => (out += s),
    );
    return { code, out };
  };
  const waits = await run();
  t.equal(waits.code, 2, 'exit 2: it cannot run now', { output: waits.out });
  t.match(waits.out, new RegExp(`unplaced\\s+db\\.1\\s+\\(waits for ${home}\\)\\s+waits for ${home}, which holds its volume vol_data`));
  t.match(waits.out, /deploy with --move vol_db/, 'and how to move it');
  t.notMatch(waits.out, /create\s+db\.1/, 'no empty db elsewhere');
  const moved = await run('--move', 'db');
  t.equal(moved.code, 4, 'moved: only the unreachable node is left to say', { output: moved.out });
  t.match(moved.out, new RegExp(`move\\s+db\\.1\\s+${home} -> ${other}`), `--move db starts it on ${other}`);
  t.match(await run('--move', 'nope'), { code: 5, out: /--move vol_nope: no such service in stack vol/ });
});

t.test('bad input', async (t) => {
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(
      ['deploy', ...argv],
      (s) => (out += s),
      (s) => (err += s),
    );
    return { code, out, err };
  };
  t.match(await run(stackFile(1)), { code: 5, err: /no inventory given/ });
  t.match(await run('-i', inv), { code: 5, err: /one stack file, got 0/ });
  t.match(await run('-i', inv, stackFile(1), '--reserve', 'lots'), { code: 5, err: /--reserve wants a size/ });
  const bad = join(mkdtempSync(join(tmpdir(), 'muster-bad-')), 'stack.yml');
  writeFileSync(bad, 'services:\n  web:\n    image: [1\n');
  t.match(await run('-i', inv, bad), { code: 1, err: /stack\.yml:\d+:\d+/ });
  const badLabels = join(state, 'bad-labels.yml');
  writeFileSync(
    badLabels,
    `all:\n  children:\n    agents:\n      hosts:\n        h01: { ansible_host: 127.0.0.1, muster_agent_port: ${h01.port}, muster_labels: [ssd] }\n`,
  );
  t.match(
    await run('-i', badLabels, stackFile(1)),
    { code: 1, err: /host h01: muster_labels is not a mapping/ },
    'bad inventory values stop before any agent is asked',
  );
  t.equal(h01.set()?.generation, 4, 'nothing written');
});
