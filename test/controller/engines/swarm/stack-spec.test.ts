/**
 * A stack as Swarm specs. The first case is the stack that `docker stack deploy` (Docker 26.1.5, a lab host)
 * was given: the expected spec is what `docker service inspect` read back, less what the daemon adds
 * (Privileges, Isolation, DNSConfig, StopGracePeriod, Runtime, ForceUpdate) and with the network's ID as
 * its name.
 */
import t from 'tap';
import { swarmStack } from '../../../../controller/engines/swarm/stack-spec.js';
import { stackOf } from '../../stack/harness.js';

const SLEEP = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;
const FULL = `services:
  web:
    image: muster-busybox:1
    command: ${SLEEP}
    environment: { B: "2", A: "1" }
    ports: ["8080:80", "9000:9000/udp"]
    labels: { c: d }
    extra_hosts: ["nas:10.0.0.5"]
    volumes: ["data:/data", "/srv:/srv:ro"]
    secrets: [s1]
    configs: [c1]
    healthcheck: { test: ["CMD", "true"], interval: 10s }
    cap_add: [NET_ADMIN]
    deploy:
      replicas: 2
      labels: { a: b }
      resources: { limits: { memory: 64M, cpus: "0.5" }, reservations: { memory: 32M } }
      placement: { constraints: ["node.role==worker"], preferences: [{ spread: node.labels.zone }], max_replicas_per_node: 2 }
      update_config: { parallelism: 2, delay: 10s, order: start-first }
      restart_policy: { condition: on-failure, delay: 3s, max_attempts: 3 }
volumes: { data: {} }
secrets: { s1: { file: ./s1.txt } }
configs: { c1: { file: ./s1.txt } }
`;
const files = { '/srv/stacks/home/s1.txt': 'hi\n' };

t.test('the spec docker stack deploy made for the same stack', async (t) => {
  const s = swarmStack(stackOf(FULL, { name: 'st', files }));
  t.same(s.networks, [{ Name: 'st_default', Driver: 'overlay', Labels: { 'com.docker.stack.namespace': 'st' }, Attachable: false }]);
  t.equal(s.services.length, 1);
  t.same(s.services[0], {
    Name: 'st_web',
    Labels: { a: 'b', 'com.docker.stack.image': 'muster-busybox:1', 'com.docker.stack.namespace': 'st' },
    TaskTemplate: {
      ContainerSpec: {
        Image: 'muster-busybox:1',
        Labels: { c: 'd', 'com.docker.stack.namespace': 'st' },
        Args: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"],
        Env: ['A=1', 'B=2'],
        Mounts: [
          { Type: 'volume', Source: 'st_data', Target: '/data', VolumeOptions: { Labels: { 'com.docker.stack.namespace': 'st' } } },
          { Type: 'bind', Source: '/srv', Target: '/srv', ReadOnly: true },
        ],
        Healthcheck: { Test: ['CMD', 'true'], Interval: 10_000_000_000 },
        Hosts: ['10.0.0.5 nas'],
        Secrets: [{ File: { Name: 's1', UID: '0', GID: '0', Mode: 292 }, SecretName: 'st_s1' }],
        Configs: [{ File: { Name: 'c1', UID: '0', GID: '0', Mode: 292 }, ConfigName: 'st_c1' }],
        CapabilityAdd: ['CAP_NET_ADMIN'],
      },
      Resources: { Limits: { NanoCPUs: 500_000_000, MemoryBytes: 67108864 }, Reservations: { MemoryBytes: 33554432 } },
      RestartPolicy: { Condition: 'on-failure', Delay: 3_000_000_000, MaxAttempts: 3 },
      Placement: { Constraints: ['node.role==worker'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], MaxReplicas: 2 },
      Networks: [{ Target: 'st_default', Aliases: ['web'] }],
    },
    Mode: { Replicated: { Replicas: 2 } },
    UpdateConfig: { Parallelism: 2, Delay: 10_000_000_000, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'start-first' },
    RollbackConfig: { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' },
    EndpointSpec: {
      Mode: 'vip',
      Ports: [
        { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
        { Protocol: 'udp', TargetPort: 9000, PublishedPort: 9000, PublishMode: 'ingress' },
      ],
    },
  });
  t.same(
    s.secrets.map((f) => [f.Name, Buffer.from(f.Data, 'base64').toString(), f.Labels['com.docker.stack.namespace']]),
    [['st_s1', 'hi\n', 'st']],
  );
  t.match(s.secrets[0].Labels['io.muster.digest'], /^[0-9a-f]{64}$/);
  t.same(
    s.configs.map((f) => f.Name),
    ['st_c1'],
  );
});

const one = (body: string, top = '') => swarmStack(stackOf(`services:\n  s:\n    image: x\n${body}${top}`, { name: 'st' })).services[0];

t.test('mode, restart and command: each way', async (t) => {
  const cases: [string, string, (spec: ReturnType<typeof one>) => unknown, unknown][] = [
    ['global', '    deploy: { mode: global }\n', (s) => s.Mode, { Global: {} }],
    ['replicated default', '', (s) => s.Mode, { Replicated: { Replicas: 1 } }],
    ['zero replicas', '    deploy: { replicas: 0 }\n', (s) => s.Mode, { Replicated: { Replicas: 0 } }],
    ['restart default', '', (s) => s.TaskTemplate.RestartPolicy, { Condition: 'any', Delay: 5e9, MaxAttempts: 0 }],
    ['restart: no', '    restart: "no"\n', (s) => s.TaskTemplate.RestartPolicy.Condition, 'none'],
    ['restart: unless-stopped', '    restart: unless-stopped\n', (s) => s.TaskTemplate.RestartPolicy.Condition, 'any'],
    ['restart: on-failure', '    restart: on-failure\n', (s) => s.TaskTemplate.RestartPolicy.Condition, 'on-failure'],
    ['restart window', '    deploy: { restart_policy: { window: 30s } }\n', (s) => s.TaskTemplate.RestartPolicy.Window, 30e9],
    [
      'entrypoint is Command',
      '    entrypoint: [/bin/x]\n    command: [a]\n',
      (s) => [s.TaskTemplate.ContainerSpec.Command, s.TaskTemplate.ContainerSpec.Args],
      [['/bin/x'], ['a']],
    ],
    ['no command, no Args', '', (s) => 'Args' in s.TaskTemplate.ContainerSpec, false],
    ['no ports, vip only', '', (s) => s.EndpointSpec, { Mode: 'vip' }],
    ['no resources', '', (s) => s.TaskTemplate.Resources, {}],
    ['pids limit', '    deploy: { resources: { limits: { pids: 100 } } }\n', (s) => s.TaskTemplate.Resources, { Limits: { Pids: 100 } }],
    [
      'cpu reservation',
      '    deploy: { resources: { reservations: { cpus: "0.25" } } }\n',
      (s) => s.TaskTemplate.Resources,
      { Reservations: { NanoCPUs: 250_000_000 } },
    ],
    ['network_mode host', '    network_mode: host\n', (s) => s.TaskTemplate.Networks, [{ Target: 'host' }]],
    ['cap_drop ALL', '    cap_drop: [ALL]\n', (s) => s.TaskTemplate.ContainerSpec.CapabilityDrop, ['ALL']],
    [
      'logging',
      '    logging: { driver: json-file, options: { max-size: 1m } }\n',
      (s) => s.TaskTemplate.LogDriver,
      { Name: 'json-file', Options: { 'max-size': '1m' } },
    ],
    ['tmpfs', '    tmpfs: [/tmp]\n', (s) => s.TaskTemplate.ContainerSpec.Mounts, [{ Type: 'tmpfs', Target: '/tmp' }]],
    [
      'two networks sorted, aliases after the name',
      '    networks: { front: { aliases: [www] }, back: {} }\n',
      (s) => s.TaskTemplate.Networks,
      [
        { Target: 'st_back', Aliases: ['s'] },
        { Target: 'st_front', Aliases: ['s', 'www'] },
      ],
    ],
  ];
  for (const [name, body, pick, want] of cases) {
    const top = name.startsWith('two networks') ? 'networks: { front: {}, back: {} }\n' : '';
    t.same(pick(one(body, top)), want, name);
  }
});

t.test('secret and config targets: the defaults by name, others as written', async (t) => {
  const s = swarmStack(
    stackOf(
      `services:\n  a:\n    image: x\n    secrets: [{ source: k, target: /etc/k, mode: 0400, uid: "1000" }, { source: k, target: other }]\n    configs: [{ source: c, target: /etc/c.conf }]\nsecrets: { k: { environment: K } }\nconfigs: { c: { content: "x" } }\n`,
      { name: 'st', env: { K: 'v' } },
    ),
  ).services[0].TaskTemplate.ContainerSpec;
  t.same(
    s.Secrets?.map((r) => r.File),
    [
      { Name: '/etc/k', UID: '1000', GID: '0', Mode: 0o400 },
      { Name: 'other', UID: '0', GID: '0', Mode: 0o444 },
    ],
  );
  t.same(
    s.Configs?.map((r) => r.File.Name),
    ['/etc/c.conf'],
  );
});

t.test('networks: external and unused ones are not created', async (t) => {
  const s = swarmStack(
    stackOf(
      `services:\n  a:\n    image: x\n    networks: [ext, own]\n  b:\n    image: x\n    network_mode: host\nnetworks:\n  ext: { external: true, name: shared }\n  own: { labels: { k: v } }\n  idle: {}\n`,
      { name: 'st' },
    ),
  );
  t.same(s.networks, [{ Name: 'st_own', Driver: 'overlay', Labels: { k: 'v', 'com.docker.stack.namespace': 'st' }, Attachable: false }]);
  t.same(s.services[0].TaskTemplate.Networks, [
    { Target: 'shared', Aliases: ['a'] },
    { Target: 'st_own', Aliases: ['a'] },
  ]);
});

t.test('a port written mode: host is published in host mode; otherwise on the routing mesh', async (t) => {
  const ports = (body: string) => one(body).EndpointSpec.Ports;
  t.same(ports('    ports: [{ target: 80, published: 8080, mode: host }]\n'), [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }]);
  t.same(ports('    ports: [{ target: 80, published: 8080, mode: ingress }]\n'), [
    { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
  ]);
  t.same(ports('    ports: [{ target: 80, published: 8080 }]\n'), [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }]);
  t.same(ports('    ports: ["8080:80", { target: 53, published: 53, protocol: udp, mode: host }]\n'), [
    { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
    { Protocol: 'udp', TargetPort: 53, PublishedPort: 53, PublishMode: 'host' },
  ]);
});

t.test('stop_grace_period is StopGracePeriod in ns, 0 kept; absent, none (the daemon default)', async (t) => {
  const container = (body: string) => one(body).TaskTemplate.ContainerSpec;
  t.equal(container('    stop_grace_period: 1m30s\n').StopGracePeriod, 90e9);
  t.equal(container('    stop_grace_period: 1500ms\n').StopGracePeriod, 1.5e9, 'Swarm keeps the fraction');
  t.equal(container('    stop_grace_period: 0s\n').StopGracePeriod, 0);
  t.notOk('StopGracePeriod' in container(''));
});

t.test('endpoint_mode is EndpointSpec.Mode, with or without ports; absent, vip', async (t) => {
  t.same(one('    deploy: { endpoint_mode: dnsrr }\n').EndpointSpec, { Mode: 'dnsrr' });
  t.same(one('    deploy: { endpoint_mode: dnsrr }\n    ports: [{ target: 80, published: 8080, mode: host }]\n').EndpointSpec, {
    Mode: 'dnsrr',
    Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }],
  });
  t.same(one('    deploy: { endpoint_mode: vip }\n').EndpointSpec, { Mode: 'vip' });
  t.same(one('').EndpointSpec, { Mode: 'vip' });
});

t.test('expose changes nothing: every port is reachable on the overlay network', async (t) => {
  t.same(one('    expose: ["80", "53/udp"]\n'), one(''));
});
