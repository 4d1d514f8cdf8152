import t from 'tap';
import { canonicalJson, capabilityOf, DEFAULT_STOP_GRACE_S, loggingOf, normaliseSpec, permissionsOf, specHash } from '../../shared/spec-hash.js';
import type { ContainerSpec } from '../../shared/wire.js';

const base: ContainerSpec = { name: 'web_api.1', stack: 'web', service: 'api', replica: 1, image: 'muster-busybox:1' };

t.test('equivalent specs hash the same', async (t) => {
  const same: [string, ContainerSpec][] = [
    ['empty collections', { ...base, command: [], env: {}, ports: [], labels: {} }],
    ['default restart policy spelled out', { ...base, restartPolicy: 'always' }],
    ['key order', { image: base.image, replica: 1, service: 'api', stack: 'web', name: 'web_api.1' }],
    ['undefined optional fields', { ...base, memoryLimit: undefined, cpus: undefined }],
  ];
  for (const [why, s] of same) t.equal(specHash(s), specHash(base), why);

  const withPorts: ContainerSpec = {
    ...base,
    ports: [
      { container: 80, host: 8080 },
      { container: 53, host: 53, protocol: 'udp' },
    ],
    env: { B: '2', A: '1' },
  };
  const reordered: ContainerSpec = {
    ...base,
    env: { A: '1', B: '2' },
    ports: [
      { container: 53, host: 53, protocol: 'udp' },
      { container: 80, host: 8080, protocol: 'tcp' },
    ],
  };
  t.equal(specHash(withPorts), specHash(reordered), 'port order, env order, tcp default');
});

t.test('any real change changes the hash', async (t) => {
  const changes: [string, Partial<ContainerSpec>][] = [
    ['image', { image: 'muster-busybox:2' }],
    ['command', { command: ['sleep', '1'] }],
    ['env', { env: { A: '1' } }],
    ['port', { ports: [{ container: 80, host: 8080 }] }],
    ['memory', { memoryLimit: 64 * 1024 * 1024 }],
    ['reservation', { memoryReservation: 32 * 1024 * 1024 }],
    ['cpus', { cpus: 0.5 }],
    ['pids', { pidsLimit: 50 }],
    ['restart policy', { restartPolicy: 'on-failure' }],
    ['healthcheck', { healthcheck: { test: ['CMD', 'true'] } }],
    ['labels', { labels: { team: 'a' } }],
    ['replica', { replica: 2 }],
  ];
  const seen = new Set([specHash(base)]);
  for (const [why, change] of changes) {
    const h = specHash({ ...base, ...change });
    t.match(h, /^[0-9a-f]{16}$/, `${why}: 16 hex digits`);
    t.notOk(seen.has(h), `${why}: a new hash`);
    seen.add(h);
  }
  t.not(
    specHash({ ...base, ports: [{ container: 80, host: 8080, protocol: 'udp' }] }),
    specHash({ ...base, ports: [{ container: 80, host: 8080 }] }),
    'udp is not tcp',
  );
});

t.test('normalised form and canonical JSON', async (t) => {
  t.same(normaliseSpec({ ...base, healthcheck: { test: ['CMD', 'true'], retries: undefined, intervalS: 5 } }), {
    ...base,
    restartPolicy: 'always',
    healthcheck: { test: ['CMD', 'true'], intervalS: 5 },
  });
  t.equal(canonicalJson({ b: 1, a: [2, { d: undefined, c: 'x' }] }), '{"a":[2,{"c":"x"}],"b":1}');
  t.equal(canonicalJson([undefined, null]), '[null,null]');
});

t.test('the extended fields: equivalent specs hash the same', async (t) => {
  const digest = (c: string) => `${c.repeat(12)}${'0'.repeat(52)}`;
  const full: ContainerSpec = {
    ...base,
    entrypoint: ['/bin/sh', '-c'],
    mounts: [
      { type: 'volume', source: 'web_data', target: '/data' },
      { type: 'bind', source: '/srv', target: '/srv', readOnly: true },
    ],
    devices: [
      { host: '/dev/ttyUSB0', container: '/dev/ttyUSB0' },
      { host: '/dev/null', container: '/dev/muster-null', permissions: 'rw' },
    ],
    capAdd: ['NET_ADMIN', 'SYS_TIME'],
    capDrop: ['ALL'],
    networks: [{ name: 'web_front', aliases: ['api', 'web'] }, { name: 'web_back' }],
    extraHosts: ['db:10.0.0.5'],
    user: '1000',
    workingDir: '/srv',
    files: [
      { kind: 'secret', name: 'web_db.aaaaaaaaaaaa', digest: digest('a'), target: '/run/secrets/db' },
      { kind: 'config', name: 'web_conf.bbbbbbbbbbbb', digest: digest('b'), target: '/etc/app.conf' },
    ],
    ports: [{ container: 80, host: 8080, hostIp: '127.0.0.1' }],
  };
  const same: [string, ContainerSpec][] = [
    ['mounts in another order', { ...full, mounts: [...full.mounts!].reverse() }],
    ['readOnly false is no readOnly', { ...full, mounts: full.mounts!.map((m) => (m.readOnly ? m : { ...m, readOnly: false })) }],
    [
      'devices in another order, rwm spelled out, permissions in another order',
      {
        ...full,
        devices: [
          { host: '/dev/null', container: '/dev/muster-null', permissions: 'wr' },
          { host: '/dev/ttyUSB0', container: '/dev/ttyUSB0', permissions: 'rwm' },
        ],
      },
    ],
    ['capabilities in another order, with CAP_ and in lower case, twice', { ...full, capAdd: ['sys_time', 'CAP_NET_ADMIN', 'NET_ADMIN'], capDrop: ['all'] }],
    [
      'aliases in another order, twice',
      {
        ...full,
        networks: [
          { name: 'web_front', aliases: ['web', 'api', 'web'] },
          { name: 'web_back', aliases: [] },
        ],
      },
    ],
    [
      'files in another order, default modes and owner spelled out',
      {
        ...full,
        files: [
          { ...full.files![1], mode: 0o444, uid: 0, gid: 0 },
          { ...full.files![0], mode: 0o400 },
        ],
      },
    ],
    ['privileged false', { ...full, privileged: false }],
    ['the default logging spelled out', { ...full, logging: { driver: 'json-file', options: { 'max-file': '3', 'max-size': '10m' } } }],
    ['json-file without options gets the default rotation', { ...full, logging: { driver: 'json-file' } }],
  ];
  for (const [why, s] of same) t.equal(specHash(s), specHash(full), why);

  const plain: [string, ContainerSpec][] = [
    ['bridge network mode without networks is Docker default', { ...base, networkMode: 'bridge' }],
    ['host ip 0.0.0.0 is every address', { ...base, ports: [{ container: 80, host: 80, hostIp: '0.0.0.0' }] }],
    [
      'empty new collections',
      { ...base, mounts: [], devices: [], capAdd: [], capDrop: [], networks: [], extraHosts: [], files: [], entrypoint: [], user: '', workingDir: '' },
    ],
  ];
  const plainPorts = (s: ContainerSpec) => (s.ports ? { ...base, ports: [{ container: 80, host: 80 }] } : base);
  for (const [why, s] of plain) t.equal(specHash(s), specHash(plainPorts(s)), why);
});

t.test('the extended fields: any real change changes the hash', async (t) => {
  const digest = (c: string) => `${c.repeat(12)}${'0'.repeat(52)}`;
  const secret = { kind: 'secret' as const, name: 'web_db.aaaaaaaaaaaa', digest: digest('a'), target: '/run/secrets/db' };
  const from: ContainerSpec = {
    ...base,
    command: ['a', 'b'],
    entrypoint: ['x', 'y'],
    mounts: [{ type: 'volume', source: 'web_data', target: '/data' }],
    networks: [{ name: 'web_front' }, { name: 'web_back' }],
    extraHosts: ['a:10.0.0.1', 'a:10.0.0.2'],
    files: [secret],
  };
  const changes: [string, Partial<ContainerSpec>][] = [
    ['command order', { command: ['b', 'a'] }],
    ['entrypoint order', { entrypoint: ['y', 'x'] }],
    ['entrypoint gone', { entrypoint: undefined }],
    ['mount read-only', { mounts: [{ type: 'volume', source: 'web_data', target: '/data', readOnly: true }] }],
    ['mount source', { mounts: [{ type: 'volume', source: 'web_other', target: '/data' }] }],
    ['mount target', { mounts: [{ type: 'volume', source: 'web_data', target: '/var/data' }] }],
    ['mount type', { mounts: [{ type: 'bind', source: 'web_data', target: '/data' }] }],
    ['a device', { devices: [{ host: '/dev/null', container: '/dev/null' }] }],
    ['privileged', { privileged: true }],
    ['cap_add', { capAdd: ['NET_ADMIN'] }],
    ['cap_drop', { capDrop: ['NET_ADMIN'] }],
    ['network mode host', { networkMode: 'host', networks: undefined }],
    ['network mode none', { networkMode: 'none', networks: undefined }],
    ['primary network', { networks: [{ name: 'web_back' }, { name: 'web_front' }] }],
    ['an alias', { networks: [{ name: 'web_front', aliases: ['api'] }, { name: 'web_back' }] }],
    ['extra hosts order (the first line for a name wins)', { extraHosts: ['a:10.0.0.2', 'a:10.0.0.1'] }],
    ['user', { user: 'nobody' }],
    ['working dir', { workingDir: '/tmp' }],
    ['log driver', { logging: { driver: 'journald' } }],
    ['log options', { logging: { driver: 'json-file', options: { 'max-size': '1m' } } }],
    ['a new secret version', { files: [{ ...secret, name: 'web_db.cccccccccccc', digest: digest('c') }] }],
    ['secret mode', { files: [{ ...secret, mode: 0o440 }] }],
    ['secret owner', { files: [{ ...secret, uid: 1000 }] }],
    ['secret group', { files: [{ ...secret, gid: 1000 }] }],
    ['secret target', { files: [{ ...secret, target: '/run/secrets/other' }] }],
    ['host ip', { ports: [{ container: 80, host: 80, hostIp: '127.0.0.1' }] }],
    ['a stop grace period (Docker cannot change it in place)', { stopGraceS: 30 }],
    ['no stop grace period at all', { stopGraceS: 0 }],
  ];
  const seen = new Map([[specHash(from), 'start']]);
  for (const [why, change] of changes) {
    const h = specHash({ ...from, ...change });
    t.notOk(seen.has(h), `${why}: a new hash${seen.has(h) ? ` (same as ${seen.get(h)})` : ''}`);
    seen.set(h, why);
  }
  t.not(
    specHash({ ...base, ports: [{ container: 80, host: 80, hostIp: '127.0.0.1' }] }),
    specHash({ ...base, ports: [{ container: 80, host: 80 }] }),
    'host ip vs none',
  );
  t.not(
    specHash({ ...base, networkMode: 'bridge', networks: [{ name: 'x' }] }),
    specHash({ ...base, networks: [{ name: 'x' }] }),
    'bridge with networks is kept (check-desired refuses it)',
  );
});

t.test("stop grace: Docker's default 10 s written out or not is the same spec; others are kept", async (t) => {
  t.equal(specHash({ ...base, stopGraceS: DEFAULT_STOP_GRACE_S }), specHash(base));
  t.equal(DEFAULT_STOP_GRACE_S, 10);
  t.equal(normaliseSpec({ ...base, stopGraceS: 0 }).stopGraceS, 0);
  t.equal(normaliseSpec({ ...base, stopGraceS: 11 }).stopGraceS, 11);
  t.notOk('stopGraceS' in normaliseSpec({ ...base, stopGraceS: 10 }));
});

t.test('helpers of the normalisation', async (t) => {
  const caps: [string, string][] = [
    ['NET_ADMIN', 'NET_ADMIN'],
    ['cap_net_admin', 'NET_ADMIN'],
    ['CAP_SYS_TIME', 'SYS_TIME'],
    ['all', 'ALL'],
  ];
  for (const [i, o] of caps) t.equal(capabilityOf(i), o, i);
  const perms: [string | undefined, string][] = [
    [undefined, 'rwm'],
    ['', 'rwm'],
    ['r', 'r'],
    ['mr', 'rm'],
    ['mwr', 'rwm'],
  ];
  for (const [i, o] of perms) t.equal(permissionsOf(i), o, String(i));
  t.same(loggingOf(undefined), { driver: 'json-file', options: { 'max-file': '3', 'max-size': '10m' } });
  t.same(loggingOf({ driver: 'local' }), { driver: 'local', options: {} }, 'other drivers: no options forced');
  t.same(loggingOf({ driver: 'json-file', options: { 'max-file': '9' } }), { driver: 'json-file', options: { 'max-file': '9', 'max-size': '10m' } });
});

t.test('a spec without the extended fields keeps the hash it had before them (no needless replacements)', async (t) => {
  const older: ContainerSpec = {
    ...base,
    command: ['httpd', '-f'],
    env: { B: '1', A: '2' },
    ports: [
      { container: 80, host: 8080 },
      { container: 53, host: 53, protocol: 'udp' },
    ],
    memoryLimit: 67108864,
    memoryReservation: 1,
    cpus: 0.5,
    pidsLimit: 10,
    restartPolicy: 'on-failure',
    healthcheck: { test: ['CMD', 'true'], intervalS: 5 },
    labels: { team: 'web' },
  };
  // Computed with shared/spec-hash.ts as of f5d0e6a, before mounts, devices, networks... existed.
  t.equal(specHash({ ...older, image: 'muster-busybox:1', name: 'web_api.1' }), '2708aab425378ba8');
});
