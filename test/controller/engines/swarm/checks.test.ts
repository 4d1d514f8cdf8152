/** muster's checks before Swarm: what is added, warned about and refused, on both sides of each rule. */
import t from 'tap';
import { checkForSwarm, ENFORCED_CONSTRAINT } from '../../../../controller/engines/swarm/checks.js';
import { swarmStack } from '../../../../controller/engines/swarm/stack-spec.js';
import { stackOf } from '../../stack/harness.js';

const check = (body: string, top = '') => {
  const stack = stackOf(`services:\n  s:\n    image: x\n${body}${top}`, { name: 'st' });
  return checkForSwarm(stack, swarmStack(stack));
};
const spec = (body: string) => check(body).swarm.services[0].TaskTemplate;

t.test('a memory limit gets the enforced-node constraint; no limit, no constraint', async (t) => {
  t.same(spec('    deploy: { resources: { limits: { memory: 64M } } }\n').Placement.Constraints, [ENFORCED_CONSTRAINT]);
  t.same(spec('    deploy: { resources: { limits: { memory: 64M } }, placement: { constraints: [node.role==worker] } }\n').Placement.Constraints, [
    'node.role==worker',
    ENFORCED_CONSTRAINT,
  ]);
  t.same(spec('').Placement, {});
  t.same(spec('    deploy: { resources: { limits: { cpus: "1" } } }\n').Placement, {}, 'a CPU limit alone adds nothing');
  t.same(
    spec('    deploy: { resources: { limits: { memory: 64M } }, placement: { constraints: ["node.labels.muster.memory-enforced != false"] } }\n').Placement
      .Constraints,
    ['node.labels.muster.memory-enforced!=false'],
    'the user constraining the label is left alone',
  );
});

t.test('a limit without a reservation gets the limit as reservation; a written reservation is kept', async (t) => {
  const added = check('    deploy: { resources: { limits: { memory: 64M, cpus: "0.5" } } }\n');
  t.same(added.swarm.services[0].TaskTemplate.Resources, { Limits: { MemoryBytes: 64 << 20, NanoCPUs: 5e8 }, Reservations: { MemoryBytes: 64 << 20 } });
  t.same(
    added.findings.map((f) => [f.service, f.kind, f.message.split(':')[0]]),
    [
      ['s', 'added', `constraint ${ENFORCED_CONSTRAINT}`],
      ['s', 'added', `memory reservation ${64 << 20} bytes (its limit)`],
    ],
  );
  const kept = check('    deploy: { resources: { limits: { memory: 64M }, reservations: { memory: 16M, cpus: "0.1" } } }\n');
  t.same(kept.swarm.services[0].TaskTemplate.Resources.Reservations, { MemoryBytes: 16 << 20, NanoCPUs: 1e8 });
  t.equal(kept.findings.length, 1, 'only the constraint');
  t.same(check('').findings, [], 'nothing to say about a plain service');
});

t.test('the input specs are not changed', async (t) => {
  const stack = stackOf('services:\n  s:\n    image: x\n    deploy: { resources: { limits: { memory: 64M } } }\n', { name: 'st' });
  const before = swarmStack(stack);
  const copy = structuredClone(before);
  checkForSwarm(stack, before);
  t.same(before, copy);
});

t.test('devices, privileged and network_mode bridge are refused with the reason; cap_add is not', async (t) => {
  const cases: [string, RegExp | undefined][] = [
    ['    devices: ["/dev/ttyUSB0:/dev/ttyUSB0"]\n', /service s: devices \(\/dev\/ttyUSB0\) cannot run on Swarm: Swarm services have no devices/],
    ['    privileged: true\n', /service s: privileged: true cannot run on Swarm: Swarm services have no privileged mode/],
    ['    privileged: false\n', undefined],
    ['    network_mode: bridge\n', /network_mode: bridge cannot run on Swarm/],
    ['    network_mode: host\n', undefined],
    ['    cap_add: [SYS_RAWIO]\n', undefined],
  ];
  for (const [body, want] of cases) {
    const r = check(body);
    if (!want) t.same(r.refused, [], body.trim());
    else {
      t.equal(r.refused.length, 1, body.trim());
      t.match(r.refused[0].message, want);
      t.match(r.refused[0].hint, /muster|network_mode/);
      t.ok(r.refused[0].pos, 'points at the service');
    }
  }
  t.equal(check('    privileged: true\n    devices: ["/dev/a:/dev/a"]\n').refused.length, 2, 'every refusal at once');
});

t.test('endpoint_mode dnsrr with routing-mesh ports is refused with the reason; host-mode ports, no ports or vip are not', async (t) => {
  const ingress = check('    deploy: { endpoint_mode: dnsrr }\n    ports: ["8080:80", { target: 53, published: 53, mode: host }]\n');
  t.equal(ingress.refused.length, 1);
  t.match(
    ingress.refused[0].message,
    /^service s: endpoint_mode: dnsrr with port 8080:80 on the routing mesh \(ingress\) cannot run on Swarm: Docker refuses it/,
  );
  t.match(ingress.refused[0].hint, /mode: host/);
  t.same(ingress.refused[0].pos, { file: 'stack.yml', line: 2, col: 3 }, 'points at the service');
  t.match(
    check('    deploy: { endpoint_mode: dnsrr }\n    ports: [{ target: 80, published: 8080, mode: ingress }]\n').refused[0].message,
    /port 8080:80 on the routing mesh/,
  );
  t.same(check('    deploy: { endpoint_mode: dnsrr }\n    ports: [{ target: 80, published: 8080, mode: host }]\n').refused, []);
  t.same(check('    deploy: { endpoint_mode: dnsrr }\n').refused, []);
  t.same(check('    deploy: { endpoint_mode: vip }\n    ports: ["8080:80"]\n').refused, []);
  t.same(check('    ports: ["8080:80"]\n').refused, []);
});

t.test('named volumes are warned about; binds and tmpfs are not', async (t) => {
  const w = check('    volumes: [data:/data]\n', 'volumes: { data: {} }\n').findings;
  t.same(
    w.map((f) => f.kind),
    ['warning'],
  );
  t.match(w[0].message, /named volume st_data stays on the node/);
  t.same(check('    volumes: ["/srv:/srv"]\n    tmpfs: [/tmp]\n').findings, []);
});

t.test("a port's host_ip is warned about; without one, nothing", async (t) => {
  const warnings = (body: string) =>
    check(body)
      .findings.filter((f) => f.kind === 'warning')
      .map((f) => f.message);
  t.same(warnings('    ports: ["127.0.0.1:8080:80", "9000:9000"]\n'), [
    'host_ip of port 127.0.0.1:8080 ignored: Swarm has no host address for a port, it publishes on every address of the node',
  ]);
  t.same(warnings('    ports: [{ target: 80, published: 8080, host_ip: "::1", mode: host }]\n').length, 1, 'the long form too');
  t.same(warnings('    ports: ["8080:80"]\n'), []);
});

t.test('restart: is warned about with the condition muster sets; absent, nothing', async (t) => {
  const about = (body: string) =>
    check(body)
      .findings.filter((f) => f.kind === 'warning')
      .map((f) => f.message);
  t.same(about('    restart: unless-stopped\n'), [
    "restart: unless-stopped is a container key Swarm does not have: muster sets the restart policy's condition any (a task stopped by hand is replaced too); write deploy.restart_policy to say it in Swarm's terms",
  ]);
  t.match(about('    restart: always\n')[0], /^restart: always .* condition any; write/);
  t.match(about('    restart: "no"\n')[0], /^restart: no .* condition none; write/);
  t.match(about('    restart: on-failure\n')[0], /^restart: on-failure .* condition on-failure; write/);
  t.same(about(''), [], 'no restart: nothing');
  t.same(about('    deploy: { restart_policy: { condition: on-failure } }\n'), [], 'deploy.restart_policy alone: nothing');
  t.same(about('    restart: always\n    deploy: { restart_policy: { condition: on-failure } }\n'), [], 'both: the loader already said restart: is ignored');
});
