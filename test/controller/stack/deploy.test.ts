/** deploy: Swarm's defaults, replicas and mode, resources on both sides of their limits, placement, update and restart policies. */
import t from 'tap';
import { MIN_MEMORY_LIMIT } from '../../../agent/api/schema.js';
import { readConstraint, UPDATE_DEFAULTS } from '../../../controller/stack/deploy.js';
import type { Constraint, Deploy } from '../../../controller/stack/types.js';
import { errorOf, stackOf, svc, where } from './harness.js';

const deploy = (yaml: string): Deploy => svc(`image: x\ndeploy:\n${yaml.replace(/^/gm, '  ')}`).deploy;
// in `deploy` bodies line 5 is the first line under deploy:, its keys at col 7
const refused = (yaml: string) => errorOf(() => deploy(yaml));

t.test('a service without deploy: gets Swarm defaults', async (t) => {
  t.same(svc('image: x').deploy, {
    mode: 'replicated',
    replicas: 1,
    limits: {},
    reservations: {},
    constraints: [],
    spread: [],
    update: { parallelism: 1, delayS: 0, order: 'stop-first', failureAction: 'pause', monitorS: 5, maxFailureRatio: 0 },
    rollback: { parallelism: 1, delayS: 0, order: 'stop-first', failureAction: 'pause', monitorS: 5, maxFailureRatio: 0 },
    restartPolicy: { condition: 'any', delayS: 5 },
    labels: {},
  });
  t.same(UPDATE_DEFAULTS, { parallelism: 1, delayS: 0, order: 'stop-first', failureAction: 'pause', monitorS: 5, maxFailureRatio: 0 });
});

t.test('endpoint_mode: vip or dnsrr as written, absent when not; other values refused where they are', async (t) => {
  t.equal(deploy('endpoint_mode: dnsrr').endpointMode, 'dnsrr');
  t.equal(deploy('endpoint_mode: vip').endpointMode, 'vip');
  t.equal(deploy('replicas: 1').endpointMode, undefined);
  const bad = refused('endpoint_mode: rr');
  t.equal(bad.message, 'services.s.deploy.endpoint_mode: "rr" is not one of vip, dnsrr');
  t.equal(where(bad), 'stack.yml:5:22');
});

t.test('mode and replicas', async (t) => {
  t.equal(deploy('replicas: 3').replicas, 3);
  t.equal(deploy('replicas: 0').replicas, 0, 'zero replicas: scaled down');
  t.equal(deploy('replicas: "4"').replicas, 4, 'an interpolated number');
  t.equal(deploy('replicas: 10000').replicas, 10000);
  t.equal(where(refused('replicas: 10001')), 'stack.yml:5:17');
  t.equal(refused('replicas: -1').message, 'services.s.deploy.replicas: -1 is out of range');
  t.equal(refused('replicas: 1.5').message, 'services.s.deploy.replicas: must be a whole number, not number 1.5');
  t.equal(refused('replicas: lots').message, 'services.s.deploy.replicas: must be a whole number, not "lots"');
  t.equal(deploy('mode: global').mode, 'global');
  const job = refused('mode: replicated-job');
  t.match(job.message, /"replicated-job" is not one of replicated, global/);
  t.equal(where(job), 'stack.yml:5:13');
  const s = stackOf('services:\n  s:\n    image: x\n    deploy:\n      mode: global\n      replicas: 2\n');
  t.same(s.warnings, [
    { message: 'services.s.deploy.replicas: ignored for a global service (one replica per node)', pos: { file: 'stack.yml', line: 6, col: 17 } },
  ]);
});

t.test('resources: limits and reservations with their units', async (t) => {
  const d = deploy('resources:\n  limits:\n    memory: 64m\n    cpus: "0.5"\n    pids: 100\n  reservations:\n    memory: 32M\n    cpus: 0.25');
  t.same(d.limits, { memoryBytes: 64 * 2 ** 20, cpus: 0.5, pids: 100 });
  t.same(d.reservations, { memoryBytes: 32 * 2 ** 20, cpus: 0.25 });
});

t.test("a memory limit on both sides of Docker's 6 MiB minimum", async (t) => {
  t.equal(deploy(`resources:\n  limits:\n    memory: ${MIN_MEMORY_LIMIT}`).limits.memoryBytes, MIN_MEMORY_LIMIT);
  t.equal(deploy('resources:\n  limits:\n    memory: 6m').limits.memoryBytes, MIN_MEMORY_LIMIT);
  const under = refused(`resources:\n  limits:\n    memory: ${MIN_MEMORY_LIMIT - 1}`);
  t.equal(
    under.message,
    `services.s.deploy.resources.limits.memory: ${MIN_MEMORY_LIMIT - 1} is ${MIN_MEMORY_LIMIT - 1} bytes, under 6m (Docker refuses smaller memory limits)`,
  );
  t.equal(where(under), 'stack.yml:7:19');
  t.equal(where(refused('resources:\n  limits:\n    memory: 5m')), 'stack.yml:7:19');
  t.equal(deploy('resources:\n  reservations:\n    memory: 1m').reservations.memoryBytes, 2 ** 20, 'reservations have no floor');
  t.equal(where(errorOf(() => svc('image: x\nmem_limit: 5m'))), 'stack.yml:4:16', 'mem_limit has the same floor');
  t.equal(svc('image: x\nmem_limit: 6m').deploy.limits.memoryBytes, MIN_MEMORY_LIMIT);
});

t.test('cpus and pids limits on both sides', async (t) => {
  t.equal(deploy('resources:\n  limits:\n    cpus: 0.01').limits.cpus, 0.01);
  t.equal(where(refused('resources:\n  limits:\n    cpus: 0')), 'stack.yml:7:17');
  t.match(refused('resources:\n  limits:\n    cpus: -1').message, /-1 is out of range/);
  t.match(refused('resources:\n  limits:\n    cpus: 4097').message, /4097 is out of range/);
  t.equal(deploy('resources:\n  limits:\n    cpus: 4096').limits.cpus, 4096);
  t.equal(deploy('resources:\n  limits:\n    pids: 1').limits.pids, 1);
  const zero = refused('resources:\n  limits:\n    pids: 0');
  t.equal(zero.message, 'services.s.deploy.resources.limits.pids: 0 is out of range');
  t.equal(where(zero), 'stack.yml:7:17');
  t.equal(deploy('resources:\n  reservations:\n    cpus: 0').reservations.cpus, 0, 'reserving no CPU is allowed');
});

t.test('a reservation over its limit is refused; equal is fine', async (t) => {
  t.same(deploy('resources:\n  limits: {memory: 64m, cpus: 1}\n  reservations: {memory: 64m, cpus: 1}').reservations, { memoryBytes: 64 * 2 ** 20, cpus: 1 });
  const mem = refused('resources:\n  limits:\n    memory: 64m\n  reservations:\n    memory: 65m');
  t.equal(mem.message, 'services.s.deploy.resources.reservations.memory: the reservation (65m) is over the limit (64m)');
  t.equal(where(mem), 'stack.yml:9:19');
  t.match(refused('resources:\n  limits:\n    cpus: 1\n  reservations:\n    cpus: 1.5').message, /the reservation \(1\.5\) is over the limit \(1\)/);
});

t.test('mem_limit, mem_reservation, cpus, pids_limit, scale: the same as deploy (and must agree with it)', async (t) => {
  const d = svc('image: x\nmem_limit: 128m\nmem_reservation: 64m\ncpus: 1.5\npids_limit: 50\nscale: 2').deploy;
  t.same([d.limits, d.reservations, d.replicas], [{ memoryBytes: 128 * 2 ** 20, cpus: 1.5, pids: 50 }, { memoryBytes: 64 * 2 ** 20 }, 2]);
  t.same(svc('image: x\nmem_limit: 64m\ndeploy:\n  resources:\n    limits:\n      memory: 64m').deploy.limits, { memoryBytes: 64 * 2 ** 20 }, 'agreeing');
  const e = errorOf(() => svc('image: x\nmem_limit: 128m\ndeploy:\n  resources:\n    limits:\n      memory: 64m'));
  t.equal(e.message, 'services.s.mem_limit: disagrees with deploy.resources.limits.memory');
  t.equal(where(e), 'stack.yml:4:16');
  t.equal(errorOf(() => svc('image: x\nscale: 2\ndeploy:\n  replicas: 3')).message, 'services.s.scale: disagrees with deploy.replicas');
  t.match(errorOf(() => svc('image: x\nmem_limit: 64m\nmem_reservation: 128m')).message, /the memory reservation is over the memory limit/);
});

// [constraint, parsed (without pos) or an error pattern]
const constraints: [string, Omit<Constraint, 'pos'> | RegExp][] = [
  ['node.labels.disk == ssd', { key: 'node.labels.disk', op: '==', value: 'ssd', text: 'node.labels.disk == ssd' }],
  ['node.labels.disk==ssd', { key: 'node.labels.disk', op: '==', value: 'ssd', text: 'node.labels.disk==ssd' }],
  ['  node.hostname != pi-1  ', { key: 'node.hostname', op: '!=', value: 'pi-1', text: 'node.hostname != pi-1' }],
  ['node.role == worker', { key: 'node.role', op: '==', value: 'worker', text: 'node.role == worker' }],
  ['node.platform.arch == arm64', { key: 'node.platform.arch', op: '==', value: 'arm64', text: 'node.platform.arch == arm64' }],
  ['node.platform.os == linux', { key: 'node.platform.os', op: '==', value: 'linux', text: 'node.platform.os == linux' }],
  ['node.labels.room.name == living room', { key: 'node.labels.room.name', op: '==', value: 'living room', text: 'node.labels.room.name == living room' }],
  ['node.id == abc', /constraint key "node\.id" is not supported/],
  ['engine.labels.x == y', /constraint key "engine\.labels\.x" is not supported/],
  ['node.labels. == y', /constraint key "node\.labels\." is not supported/],
  ['node.labels.disk = ssd', /"node\.labels\.disk = ssd" is not a constraint/],
  ['node.labels.disk ==', /is not a constraint/],
  ['node.labels.disk', /is not a constraint/],
  ['== ssd', /is not a constraint/],
];

for (const [text, expected] of constraints) {
  t.test(`constraint "${text}"`, async (t) => {
    const pos = { file: 'stack.yml', line: 9, col: 13 };
    const at = { v: text, path: 'services.s.deploy.placement.constraints[0]', pos };
    if (expected instanceof RegExp) {
      const e = errorOf(() => readConstraint(at));
      t.match(e.message, expected);
      t.same(e.pos, pos);
      t.match(e.hint, /node\.labels\.<name>/);
    } else {
      t.same(readConstraint(at), { ...expected, pos });
    }
  });
}

t.test('placement in a file: constraints with positions, spread preferences, max_replicas_per_node', async (t) => {
  const d = deploy(
    'placement:\n  constraints:\n    - node.labels.disk == ssd\n    - node.role != manager\n  preferences:\n    - spread: node.labels.zone\n    - spread: node.labels.rack\n  max_replicas_per_node: 2',
  );
  t.same(
    d.constraints.map((c) => [c.text, c.pos]),
    [
      ['node.labels.disk == ssd', { file: 'stack.yml', line: 7, col: 13 }],
      ['node.role != manager', { file: 'stack.yml', line: 8, col: 13 }],
    ],
  );
  t.same(d.spread, ['node.labels.zone', 'node.labels.rack']);
  t.equal(d.maxReplicasPerNode, 2);
  t.equal(deploy('placement:\n  max_replicas_per_node: 0').maxReplicasPerNode, undefined, '0 means no limit, as in Swarm');
  t.equal(deploy('placement:\n  max_replicas_per_node: 1').maxReplicasPerNode, 1);
  t.equal(where(refused('placement:\n  max_replicas_per_node: -1')), 'stack.yml:6:32');
  t.equal(where(refused('placement:\n  constraints:\n    - node.id == x')), 'stack.yml:7:13');
  const spread = refused('placement:\n  preferences:\n    - spread: engine.labels.zone');
  t.match(spread.message, /spread key "engine\.labels\.zone" is not supported/);
  t.equal(where(spread), 'stack.yml:7:21');
  t.equal(where(refused('placement:\n  preferences:\n    - sprad: node.labels.zone')), 'stack.yml:7:13');
  t.equal(refused('placement:\n  constraint: []').message, 'unknown key services.s.deploy.placement.constraint (did you mean "constraints"?)');
});

t.test('update_config and rollback_config', async (t) => {
  const d = deploy(
    'update_config:\n  parallelism: 2\n  delay: 10s\n  order: start-first\n  failure_action: rollback\n  monitor: 1m\n  max_failure_ratio: 0.3\nrollback_config:\n  parallelism: 0\n  failure_action: continue',
  );
  t.same(d.update, { parallelism: 2, delayS: 10, order: 'start-first', failureAction: 'rollback', monitorS: 60, maxFailureRatio: 0.3 });
  t.same(d.rollback, { ...UPDATE_DEFAULTS, parallelism: 0, failureAction: 'continue' });
  const rb = refused('rollback_config:\n  failure_action: rollback');
  t.match(rb.message, /"rollback" is not one of pause, continue/);
  t.equal(where(rb), 'stack.yml:6:25');
  t.match(refused('update_config:\n  order: start-last').message, /"start-last" is not one of stop-first, start-first \(did you mean "start-first"\?\)/);
  t.equal(deploy('update_config:\n  max_failure_ratio: 1').update.maxFailureRatio, 1);
  t.equal(where(refused('update_config:\n  max_failure_ratio: 1.01')), 'stack.yml:6:28');
  t.equal(where(refused('update_config:\n  delay: 10')), 'stack.yml:6:16');
  t.equal(where(refused('update_config:\n  parallelism: -1')), 'stack.yml:6:22');
});

t.test('restart_policy', async (t) => {
  t.same(deploy('restart_policy:\n  condition: on-failure\n  delay: 2s\n  max_attempts: 3\n  window: 2m').restartPolicy, {
    condition: 'on-failure',
    delayS: 2,
    maxAttempts: 3,
    windowS: 120,
  });
  t.same(deploy('restart_policy:\n  condition: none').restartPolicy, { condition: 'none', delayS: 5 });
  t.equal(where(refused('restart_policy:\n  condition: always')), 'stack.yml:6:20');
  t.equal(where(refused('restart_policy:\n  max_attempts: -1')), 'stack.yml:6:23');
});

t.test('deploy labels, and keys muster does not read', async (t) => {
  t.same(deploy('labels:\n  traefik.enable: "true"\n  tier: web').labels, { 'traefik.enable': 'true', tier: 'web' });
  t.same(deploy('labels:\n  - a=1\n  - b').labels, { a: '1', b: '' });
  const s = stackOf(
    'services:\n  s:\n    image: x\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n',
  );
  t.match(s.warnings[0].message, /services\.s\.deploy\.resources\.reservations\.devices \(stack\.yml:7:11\): device reservations \(GPUs\) are not supported/);
  const typo = refused('replica: 3');
  t.equal(typo.message, 'unknown key services.s.deploy.replica (did you mean "replicas"?)');
  t.equal(where(typo), 'stack.yml:5:7');
});

t.test("keys muster's own engine does not use: one warning each, for that engine only", async (t) => {
  const warned = (yaml: string) => stackOf(`services:\n  s:\n    image: x\n    deploy:\n${yaml.replace(/^/gm, '      ')}\n`).warnings;
  t.same(warned('restart_policy:\n  condition: on-failure\n  max_attempts: 3\n  delay: 10s\n  window: 1m'), [
    {
      message:
        "services.s.deploy.restart_policy: max_attempts, delay, window not used by muster's own engine: Docker restarts an ended container with its own back-off, without a limit",
      pos: { file: 'stack.yml', line: 7, col: 23 },
      engine: 'native',
    },
  ]);
  t.match(warned('restart_policy:\n  delay: 10s')[0].message, /restart_policy: delay not used/);
  t.same(warned('restart_policy:\n  condition: on-failure'), [], 'the condition alone: muster uses it');
  t.same(warned('replicas: 2'), [], 'no restart_policy, no labels: nothing');
  t.same(warned('labels:\n  team: web'), [
    {
      message: "services.s.deploy.labels: not used by muster's own engine, which has no service object to label (labels: labels the containers)",
      pos: { file: 'stack.yml', line: 6, col: 9 },
      engine: 'native',
    },
  ]);
  t.same(warned('labels: {}'), [], 'no labels written: nothing');
  t.same(warned('endpoint_mode: dnsrr'), [
    {
      message:
        "services.s.deploy.endpoint_mode: not used by muster's own engine, which has no virtual IPs: a service's name resolves to its replicas' addresses",
      pos: { file: 'stack.yml', line: 5, col: 22 },
      engine: 'native',
    },
  ]);
  t.same(stackOf('services:\n  s:\n    image: x\n    labels:\n      team: web\n').warnings, [], 'container labels: used');
});
