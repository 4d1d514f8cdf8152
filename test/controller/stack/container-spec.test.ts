/** The container template of a service, its hash, replica specs and names, and the wanted slots of a stack. */
import t from 'tap';
import { createHash } from 'node:crypto';
import { containerTemplate, replicaSpec, serviceTemplates, templateHash } from '../../../controller/stack/container-spec.js';
import { replicatedSlots } from '../../../controller/stack/expand.js';
import { stackOf } from './harness.js';

const files = { '/srv/stacks/home/pw.txt': 'hunter2', '/srv/stacks/home/app.conf': 'x=1\n' };
const sha = (x: string) => createHash('sha256').update(x).digest('hex');
const TEXT = `services:
  web:
    image: nginx:1.27
    command: nginx -g "daemon off;"
    entrypoint: [/docker-entrypoint.sh]
    environment: {TZ: UTC}
    ports: ["8080:80", "127.0.0.1:8443:443/udp"]
    volumes: [data:/data, /srv/media:/media:ro]
    devices: [/dev/ttyUSB0]
    privileged: true
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    networks:
      front:
        aliases: [www]
      back:
    extra_hosts: ["nas:10.0.0.2"]
    user: "101"
    working_dir: /srv
    logging: {driver: json-file, options: {max-size: 1m}}
    secrets: [pw]
    configs: [{source: conf, target: /etc/app.conf, mode: 0440, uid: 101}]
    healthcheck: {test: curl -f localhost, interval: 10s}
    labels: {role: web}
    stop_grace_period: 1m
    expose: ["9000"]
    deploy:
      replicas: 3
      resources:
        limits: {memory: 64m, cpus: 0.5, pids: 100}
        reservations: {memory: 32m}
  exporter:
    image: exporter
    network_mode: host
    ports: ["9100:9100"]
    deploy:
      mode: global
      restart_policy: {condition: on-failure}
  job:
    image: job
    deploy:
      replicas: 0
      restart_policy: {condition: none}
networks:
  front:
  back:
    name: shared-back
volumes:
  data:
secrets:
  pw: {file: pw.txt}
configs:
  conf: {file: app.conf}
`;

const stack = stackOf(TEXT, { files });
const byName = (n: string) => stack.services.find((s) => s.name === n)!;

t.test('the template carries every field of the service as the wire names it', async (t) => {
  t.same(containerTemplate(stack, byName('web')), {
    stack: 'home',
    service: 'web',
    image: 'nginx:1.27',
    restartPolicy: 'always',
    command: ['nginx', '-g', 'daemon off;'],
    entrypoint: ['/docker-entrypoint.sh'],
    env: { TZ: 'UTC' },
    ports: [
      { container: 80, host: 8080, protocol: 'tcp' },
      { container: 443, host: 8443, protocol: 'udp', hostIp: '127.0.0.1' },
    ],
    mounts: [
      { type: 'volume', source: 'home_data', target: '/data' },
      { type: 'bind', source: '/srv/media', target: '/media', readOnly: true },
    ],
    devices: [{ host: '/dev/ttyUSB0', container: '/dev/ttyUSB0' }],
    privileged: true,
    capAdd: ['NET_ADMIN'],
    capDrop: ['MKNOD'],
    networks: [
      { name: 'home_front', aliases: ['web', 'www'] },
      { name: 'shared-back', aliases: ['web'] },
    ],
    extraHosts: ['nas:10.0.0.2'],
    user: '101',
    workingDir: '/srv',
    logging: { driver: 'json-file', options: { 'max-size': '1m' } },
    files: [
      { kind: 'secret', name: `home_pw.${sha('hunter2').slice(0, 12)}`, digest: sha('hunter2'), target: '/run/secrets/pw', mode: 0o400 },
      { kind: 'config', name: `home_conf.${sha('x=1\n').slice(0, 12)}`, digest: sha('x=1\n'), target: '/etc/app.conf', mode: 0o440, uid: 101 },
    ],
    memoryLimit: 64 * 2 ** 20,
    memoryReservation: 32 * 2 ** 20,
    cpus: 0.5,
    pidsLimit: 100,
    stopGraceS: 60,
    healthcheck: { test: ['CMD-SHELL', 'curl -f localhost'], intervalS: 10 },
    labels: { role: 'web' },
  });
});

t.test("stop_grace_period: Docker's whole seconds, a fraction rounded up, 0 kept; absent, the agent's default", async (t) => {
  const grace = (v: string) => {
    const one = stackOf(`services:\n  s:\n    image: x\n    stop_grace_period: ${v}\n`);
    return containerTemplate(one, one.services[0]).stopGraceS;
  };
  t.equal(grace('30s'), 30);
  t.equal(grace('1500ms'), 2);
  t.equal(grace('100ms'), 1);
  t.equal(grace('0s'), 0);
  t.notOk('stopGraceS' in containerTemplate(stack, byName('job')));
  const tenS = stackOf('services:\n  s:\n    image: x\n    stop_grace_period: 10s\n');
  const none = stackOf('services:\n  s:\n    image: x\n');
  t.equal(
    templateHash(containerTemplate(tenS, tenS.services[0])),
    templateHash(containerTemplate(none, none.services[0])),
    "Docker's default written out: the same containers",
  );
});

t.test('a small service: empty collections left out; host networking maps no ports; restart from the policy', async (t) => {
  t.same(containerTemplate(stack, byName('exporter')), {
    stack: 'home',
    service: 'exporter',
    image: 'exporter',
    restartPolicy: 'on-failure',
    networkMode: 'host',
  });
  t.same(containerTemplate(stack, byName('job')), {
    stack: 'home',
    service: 'job',
    image: 'job',
    restartPolicy: 'no',
    networks: [{ name: 'home_default', aliases: ['job'] }],
  });
});

t.test('restart: written restart wins over the default policy; each condition maps to Docker', async (t) => {
  const s = stackOf('services:\n  a:\n    image: x\n    restart: unless-stopped\n  b:\n    image: x\n    restart: "no"\n  c:\n    image: x\n');
  t.same(
    s.services.map((x) => containerTemplate(s, x).restartPolicy),
    ['unless-stopped', 'no', 'always'],
  );
});

t.test('default file modes: 0400 for secrets, 0444 for configs', async (t) => {
  const s = stackOf('services:\n  a:\n    image: x\n    secrets: [s]\n    configs: [c]\nsecrets:\n  s: {environment: S}\nconfigs:\n  c: {content: hi}\n', {
    env: { S: 'x' },
  });
  t.same(
    containerTemplate(s, s.services[0]).files?.map((f) => [f.target, f.mode]),
    [
      ['/run/secrets/s', 0o400],
      ['/c', 0o444],
    ],
  );
});

t.test('templateHash: 16 hex digits, blind to key order, changed by any field', async (t) => {
  const base = containerTemplate(stack, byName('web'));
  const h = templateHash(base);
  t.match(h, /^[0-9a-f]{16}$/);
  const reordered = Object.fromEntries(Object.entries(base).reverse()) as typeof base;
  t.equal(templateHash(reordered), h, 'key order does not matter');
  t.equal(templateHash({ ...base, env: { TZ: 'UTC' }, mounts: [...(base.mounts ?? [])].reverse() }), h, 'nor the order of mounts');
  t.equal(
    templateHash({ ...base, files: base.files?.map((f) => (f.kind === 'secret' ? { ...f, mode: undefined } : f)) }),
    h,
    'nor a default mode written out or not',
  );
  t.equal(templateHash(containerTemplate(stackOf(TEXT, { files }), byName('web'))), h, 'the same file loads to the same hash');
  const changes: [string, Partial<typeof base>][] = [
    ['image', { image: 'nginx:1.28' }],
    ['a mount', { mounts: [] }],
    ['a device', { devices: [] }],
    ['privileged', { privileged: false }],
    ['a network alias', { networks: [{ name: 'home_front', aliases: ['web'] }] }],
    ['the memory limit', { memoryLimit: 65 * 2 ** 20 }],
    ['a secret version', { files: [] }],
    ['the env', { env: { TZ: 'CET' } }],
    ['the entrypoint', { entrypoint: ['/other.sh'] }],
    ['the command', { command: ['nginx'] }],
    ['a port', { ports: [{ container: 80, host: 8081, protocol: 'tcp' }] }],
    ['a capability', { capAdd: [] }],
    ['extra hosts', { extraHosts: [] }],
    ['the user', { user: '0' }],
    ['the working dir', { workingDir: '/' }],
    ['logging', { logging: { driver: 'journald', options: {} } }],
    ['the cpus', { cpus: 1 }],
    ['the pids limit', { pidsLimit: 101 }],
    ['the stop grace period', { stopGraceS: 61 }],
    ['no stop grace period (the default 10 s)', { stopGraceS: undefined }],
    ['the healthcheck', { healthcheck: { test: ['NONE'] } }],
    ['a label', { labels: {} }],
    ['the restart policy', { restartPolicy: 'no' }],
    ['host networking', { networkMode: 'host', networks: undefined }],
  ];
  for (const [what, change] of changes) t.not(templateHash({ ...base, ...change }), h, what);
  const secretChanged = stackOf(TEXT, { files: { ...files, '/srv/stacks/home/pw.txt': 'hunter3' } });
  t.not(templateHash(containerTemplate(secretChanged, secretChanged.services.find((s) => s.name === 'web')!)), h, 'a changed secret content');
});

t.test('replicaSpec: name <stack>_<service>.<slot>.<hash8>, replica = slot, the template otherwise', async (t) => {
  const web = byName('web');
  const tpl = containerTemplate(stack, web);
  const h = templateHash(tpl);
  const r2 = replicaSpec(stack, web, tpl, h, 2);
  t.equal(r2.name, `home_web.2.${h.slice(0, 8)}`);
  t.equal(r2.replica, 2);
  t.same({ ...r2, name: undefined, replica: undefined }, { ...tpl, name: undefined, replica: undefined });
  t.equal(replicaSpec(stack, byName('exporter'), tpl, h, 0).name, `home_exporter.0.${h.slice(0, 8)}`, 'slot 0 for a global service');
  r2.mounts?.push({ type: 'tmpfs', target: '/x' });
  t.equal(tpl.mounts?.length, 2, 'a replica spec shares nothing with its template');
});

t.test('replicatedSlots: 1..replicas of each replicated service, global and zero-replica ones skipped', async (t) => {
  t.same(replicatedSlots(stack), [
    { stack: 'home', service: 'web', slot: 1 },
    { stack: 'home', service: 'web', slot: 2 },
    { stack: 'home', service: 'web', slot: 3 },
  ]);
  const one = stackOf('services:\n  b:\n    image: x\n  a:\n    image: x\n    deploy: {replicas: 2}\n');
  t.same(
    replicatedSlots(one).map((s) => `${s.service}.${s.slot}`),
    ['a.1', 'a.2', 'b.1'],
  );
});

t.test('serviceTemplates: each service with its template and hash', async (t) => {
  const all = serviceTemplates(stack);
  t.same([...all.keys()], ['exporter', 'job', 'web']);
  t.same(all.get('web'), { template: containerTemplate(stack, byName('web')), hash: templateHash(containerTemplate(stack, byName('web'))) });
  t.not(all.get('job')?.hash, all.get('exporter')?.hash);
});
