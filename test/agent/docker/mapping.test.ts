import t from 'tap';
import { createBody, laterNetworks, namedVolumes, networksOf, observedFromInspect, resourceLabels } from '../../../agent/docker/mapping.js';
import type { ContainerSpec } from '../../../shared/wire.js';

const MiB = 1024 * 1024;

t.test('spec -> create body', async (t) => {
  const spec: ContainerSpec = {
    name: 'web_api.1',
    stack: 'web',
    service: 'api',
    replica: 1,
    image: 'muster-busybox:1',
    command: ['httpd', '-f'],
    env: { A: '1', B: 'x=y' },
    ports: [
      { container: 80, host: 8080 },
      { container: 53, host: 5353, protocol: 'udp' },
      { container: 80, host: 8081 },
    ],
    memoryLimit: 64 * MiB,
    memoryReservation: 32 * MiB,
    cpus: 0.25,
    pidsLimit: 50,
    healthcheck: { test: ['CMD-SHELL', 'wget -q -O- localhost'], intervalS: 5, timeoutS: 1.5, retries: 3, startPeriodS: 2 },
    labels: { team: 'web' },
  };
  t.same(createBody(spec, 'abc123', 'default'), {
    name: 'web_api.1',
    Image: 'muster-busybox:1',
    Cmd: ['httpd', '-f'],
    Env: ['A=1', 'B=x=y'],
    Labels: {
      team: 'web',
      'io.muster.managed': 'default',
      'io.muster.name': 'web_api.1',
      'io.muster.stack': 'web',
      'io.muster.service': 'api',
      'io.muster.replica': '1',
      'io.muster.spec-hash': 'abc123',
    },
    ExposedPorts: { '80/tcp': {}, '53/udp': {} },
    Healthcheck: { Test: ['CMD-SHELL', 'wget -q -O- localhost'], Interval: 5e9, Timeout: 1.5e9, Retries: 3, StartPeriod: 2e9 },
    HostConfig: {
      Memory: 64 * MiB,
      MemoryReservation: 32 * MiB,
      NanoCpus: 250_000_000,
      PidsLimit: 50,
      PortBindings: { '80/tcp': [{ HostPort: '8080' }, { HostPort: '8081' }], '53/udp': [{ HostPort: '5353' }] },
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
    },
  });
  const minimal = createBody({ name: 'a_b.0', stack: 'a', service: 'b', replica: 0, image: 'i' }, 'h', 's');
  t.same(Object.keys(minimal).sort(), ['HostConfig', 'Image', 'Labels', 'name'], 'nothing unasked');
  t.same(Object.keys(minimal.HostConfig).sort(), ['LogConfig', 'RestartPolicy']);
  t.equal(createBody({ ...spec, labels: { 'io.muster.managed': 'evil' } }, 'h', 'mine').Labels['io.muster.managed'], 'mine', "muster's labels win");
  t.equal(createBody({ ...spec, stopGraceS: 30 }, 'h', 's').StopTimeout, 30, 'the stop grace period is the StopTimeout');
  t.equal(createBody({ ...spec, stopGraceS: 0 }, 'h', 's').StopTimeout, 0, 'zero: killed right after SIGTERM');
});

t.test('inspect answer -> observed container', async (t) => {
  const inspect = {
    Id: 'f00d',
    Name: '/web_api.1',
    RestartCount: 2,
    State: {
      Status: 'running',
      Pid: 4242,
      ExitCode: 0,
      StartedAt: '2026-01-02T03:04:05.5Z',
      FinishedAt: '0001-01-01T00:00:00Z',
      Health: { Status: 'healthy' },
    },
    Config: {
      Image: 'muster-busybox:1',
      Labels: { 'io.muster.name': 'web_api.1', 'io.muster.stack': 'web', 'io.muster.service': 'api', 'io.muster.replica': '1', 'io.muster.spec-hash': 'abc' },
    },
    HostConfig: { Memory: 64 * MiB, MemoryReservation: 0, NanoCpus: 500_000_000, PidsLimit: null },
  };
  t.same(observedFromInspect(inspect), {
    id: 'f00d',
    name: 'web_api.1',
    specHash: 'abc',
    state: 'running',
    health: 'healthy',
    restartCount: 2,
    exitCode: 0,
    startedAt: Date.parse('2026-01-02T03:04:05.5Z'),
    finishedAt: undefined,
    pid: 4242,
    image: 'muster-busybox:1',
    stack: 'web',
    service: 'api',
    replica: 1,
    limits: { memory: 64 * MiB, memoryReservation: undefined, cpus: 0.5, pidsLimit: undefined },
  });
  const rows: [object, object][] = [
    [
      { Id: 'x', Name: '/other', State: { Status: 'exited', Pid: 0, ExitCode: 137, FinishedAt: '2026-01-02T03:04:06Z' } },
      { name: 'other', state: 'exited', pid: undefined, exitCode: 137, specHash: '', finishedAt: Date.parse('2026-01-02T03:04:06Z') },
    ],
    [
      { Id: 'x', State: { Status: 'weird' } },
      { state: 'exited', name: '' },
    ],
    [{ Id: 'x', State: { Status: 'running', Health: { Status: 'none' } } }, { health: undefined }],
    [
      { Id: 'x', Config: { Labels: null, Image: 'i' } },
      { image: 'i', replica: undefined, restartCount: 0 },
    ],
    [{ Id: 'x', State: { StartedAt: 'garbage' } }, { startedAt: undefined }],
  ];
  for (const [input, want] of rows) t.match(observedFromInspect(input as never), want, JSON.stringify(input));
});

t.test('the extended spec -> create body, field by field', async (t) => {
  const base: ContainerSpec = { name: 'web_api.1', stack: 'web', service: 'api', replica: 1, image: 'i' };
  const body = (more: Partial<ContainerSpec>, files?: Map<string, string>) => createBody({ ...base, ...more }, 'h', 'sc', files);
  // [what, spec fields, the part of the body expected (t.match), keys that must be absent]
  const rows: [string, Partial<ContainerSpec>, object][] = [
    ['entrypoint', { entrypoint: ['/bin/sh', '-c'] }, { Entrypoint: ['/bin/sh', '-c'] }],
    ['user', { user: '1000:1000' }, { User: '1000:1000' }],
    ['working dir', { workingDir: '/srv' }, { WorkingDir: '/srv' }],
    ['privileged', { privileged: true }, { HostConfig: { Privileged: true } }],
    [
      'cap_add and cap_drop as Docker spells them',
      { capAdd: ['net_admin', 'CAP_SYS_TIME'], capDrop: ['ALL'] },
      { HostConfig: { CapAdd: ['NET_ADMIN', 'SYS_TIME'], CapDrop: ['ALL'] } },
    ],
    ['extra hosts', { extraHosts: ['db:10.0.0.5', 'gw:host-gateway'] }, { HostConfig: { ExtraHosts: ['db:10.0.0.5', 'gw:host-gateway'] } }],
    ['network mode host', { networkMode: 'host' }, { HostConfig: { NetworkMode: 'host' } }],
    ['network mode none', { networkMode: 'none' }, { HostConfig: { NetworkMode: 'none' } }],
    [
      'devices, rwm by default, permissions in Docker order',
      {
        devices: [
          { host: '/dev/ttyUSB0', container: '/dev/ttyUSB0' },
          { host: '/dev/gpiomem', container: '/dev/gpiomem', permissions: 'wr' },
        ],
      },
      {
        HostConfig: {
          Devices: [
            { PathOnHost: '/dev/ttyUSB0', PathInContainer: '/dev/ttyUSB0', CgroupPermissions: 'rwm' },
            { PathOnHost: '/dev/gpiomem', PathInContainer: '/dev/gpiomem', CgroupPermissions: 'rw' },
          ],
        },
      },
    ],
    [
      'mounts: a labelled named volume, a read-only bind, a tmpfs',
      {
        mounts: [
          { type: 'volume', source: 'web_data', target: '/data' },
          { type: 'bind', source: '/srv/conf', target: '/conf', readOnly: true },
          { type: 'tmpfs', target: '/run' },
        ],
      },
      {
        HostConfig: {
          Mounts: [
            { Type: 'volume', Source: 'web_data', Target: '/data', VolumeOptions: { Labels: { 'io.muster.managed': 'sc', 'io.muster.stack': 'web' } } },
            { Type: 'bind', Source: '/srv/conf', Target: '/conf', ReadOnly: true },
            { Type: 'tmpfs', Target: '/run' },
          ],
        },
      },
    ],
    [
      'ports on one host address',
      { ports: [{ container: 80, host: 8080, hostIp: '127.0.0.1' }] },
      { HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } } },
    ],
    [
      'logging: another driver, its options as given',
      { logging: { driver: 'journald', options: { tag: 'web' } } },
      { HostConfig: { LogConfig: { Type: 'journald', Config: { tag: 'web' } } } },
    ],
    [
      'logging: json-file keeps its rotation unless told',
      { logging: { driver: 'json-file', options: { 'max-size': '1m' } } },
      { HostConfig: { LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '3' } } } },
    ],
    [
      'networks: the first at create, with its aliases; the network mode names it',
      { networks: [{ name: 'web_front', aliases: ['api'] }, { name: 'web_back' }] },
      { HostConfig: { NetworkMode: 'web_front' }, NetworkingConfig: { EndpointsConfig: { web_front: { Aliases: ['api'] } } } },
    ],
  ];
  for (const [what, more, want] of rows) t.match(body(more), want, what);

  const exact = (more: Partial<ContainerSpec>) => body(more);
  t.same(
    exact({ networks: [{ name: 'web_front', aliases: ['api'] }, { name: 'web_back' }] }).NetworkingConfig,
    { EndpointsConfig: { web_front: { Aliases: ['api'] } } },
    'one endpoint only at create',
  );
  t.same(Object.keys(exact({ logging: { driver: 'journald' } }).HostConfig.LogConfig.Config), [], 'no rotation options forced on another driver');
  t.same(exact({ ports: [{ container: 80, host: 8080 }] }).HostConfig.PortBindings, { '80/tcp': [{ HostPort: '8080' }] }, 'no HostIp unless asked');
  t.same(
    exact({ privileged: false, capAdd: [], capDrop: [], extraHosts: [], devices: [], mounts: [], networks: [] }).HostConfig,
    {
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
    },
    'empty and false fields add nothing; the default logging stays',
  );
  t.equal(exact({ networkMode: 'bridge' }).HostConfig.NetworkMode, 'bridge');
  t.equal(exact({ user: '' }).User, undefined, 'an empty user is none');
  t.equal(exact({ restartPolicy: 'always' }).HostConfig.RestartPolicy.Name, 'no', 'Docker never restarts: the agent does');

  const files = new Map([
    ['/run/secrets/db', '/state/mounts/web_api.1/0-web_db.0123456789ab'],
    ['/etc/app.conf', '/state/mounts/web_api.1/1-web_conf.ba9876543210'],
  ]);
  const withFiles: Partial<ContainerSpec> = {
    mounts: [{ type: 'tmpfs', target: '/tmp' }],
    files: [
      { kind: 'secret', name: 'web_db.0123456789ab', digest: `0123456789ab${'0'.repeat(52)}`, target: '/run/secrets/db' },
      { kind: 'config', name: 'web_conf.ba9876543210', digest: `ba9876543210${'0'.repeat(52)}`, target: '/etc/app.conf', mode: 0o440 },
    ],
  };
  t.same(
    body(withFiles, files).HostConfig.Mounts,
    [
      { Type: 'tmpfs', Target: '/tmp' },
      { Type: 'bind', Source: '/state/mounts/web_api.1/0-web_db.0123456789ab', Target: '/run/secrets/db', ReadOnly: true },
      { Type: 'bind', Source: '/state/mounts/web_api.1/1-web_conf.ba9876543210', Target: '/etc/app.conf', ReadOnly: true },
    ],
    'secrets and configs: read-only binds of the prepared copies',
  );
  t.throws(
    () => body(withFiles, new Map([...files].slice(0, 1))),
    /config web_conf.ba9876543210 for \/etc\/app.conf was not prepared/,
    'a file not prepared is a bug, not a silent skip',
  );
  t.notMatch(JSON.stringify(body(withFiles, files)), /digest|0123456789ab0000/, 'digests stay out of the body');
});

t.test('networks, volumes and labels of a stack', async (t) => {
  const spec: ContainerSpec = {
    name: 'web_api.1',
    stack: 'web',
    service: 'api',
    replica: 1,
    image: 'i',
    networks: [{ name: 'web_front', aliases: ['api'] }, { name: 'web_back', aliases: ['api', 'api-1'] }, { name: 'web_admin' }],
    mounts: [
      { type: 'volume', source: 'web_data', target: '/data' },
      { type: 'bind', source: '/srv', target: '/srv' },
      { type: 'volume', source: 'web_logs', target: '/logs' },
    ],
  };
  t.same(laterNetworks(spec), [{ name: 'web_back', aliases: ['api', 'api-1'] }, { name: 'web_admin' }], 'joined after create, before start');
  t.same(laterNetworks({ ...spec, networks: [{ name: 'web_front' }] }), [], 'one network: nothing to join later');
  t.same(laterNetworks({ ...spec, networkMode: 'host', networks: undefined }), []);
  t.same(namedVolumes(spec), ['web_data', 'web_logs'], 'binds are not volumes');
  t.same([...networksOf([spec, { ...spec, networks: [{ name: 'other_net' }] }, { ...spec, networks: undefined, networkMode: 'host' }])].sort(), [
    'other_net',
    'web_admin',
    'web_back',
    'web_front',
  ]);
  t.same(resourceLabels('default', 'web'), { 'io.muster.managed': 'default', 'io.muster.stack': 'web' });
});
