import t from 'tap';
import { createBody, observedFromInspect } from '../../../agent/docker/mapping.js';
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
