/** volumes: named, bind (absolute, relative, ~), tmpfs, long form, top-level definitions, and refusals with positions. */
import t from 'tap';
import type { MountSpec } from '../../../shared/wire.js';
import { errorOf, stackOf, svc, where } from './harness.js';

const TOP = 'volumes:\n  data:\n  ext:\n    external: true\n  named:\n    name: shared-data\n';
const mounts = (body: string, env: Record<string, string> = {}): MountSpec[] => svc(`image: x\n${body}`, { top: TOP, env }).mounts;

// [volumes: entries (YAML), mounts]
const good: [string, MountSpec[]][] = [
  ['- data:/var/lib/data', [{ type: 'volume', source: 'home_data', target: '/var/lib/data' }]],
  ['- data:/d:ro', [{ type: 'volume', source: 'home_data', target: '/d', readOnly: true }]],
  ['- data:/d:rw', [{ type: 'volume', source: 'home_data', target: '/d' }]],
  ['- ext:/d', [{ type: 'volume', source: 'ext', target: '/d' }]],
  ['- named:/d', [{ type: 'volume', source: 'shared-data', target: '/d' }]],
  ['- /srv/media:/media:ro', [{ type: 'bind', source: '/srv/media', target: '/media', readOnly: true }]],
  ['- /srv//media/:/media', [{ type: 'bind', source: '/srv/media/', target: '/media' }]],
  ['- ./config:/config', [{ type: 'bind', source: '/srv/stacks/home/config', target: '/config' }]],
  ['- ../shared:/shared', [{ type: 'bind', source: '/srv/stacks/shared', target: '/shared' }]],
  ['- ~/music:/music', [{ type: 'bind', source: '/home/pi/music', target: '/music' }]],
  ['- /etc/localtime:/etc/localtime:ro,cached', [{ type: 'bind', source: '/etc/localtime', target: '/etc/localtime', readOnly: true }]],
  ['- type: volume\n  source: data\n  target: /d\n  read_only: true', [{ type: 'volume', source: 'home_data', target: '/d', readOnly: true }]],
  ['- type: bind\n  source: ./x\n  target: /x', [{ type: 'bind', source: '/srv/stacks/home/x', target: '/x' }]],
  ['- type: tmpfs\n  target: /tmp', [{ type: 'tmpfs', target: '/tmp' }]],
];

for (const [entries, expected] of good) {
  t.test(entries.replace(/\n/g, ' '), async (t) => {
    t.same(mounts(`volumes:\n${entries.replace(/^/gm, '  ')}`, { HOME: '/home/pi' }), expected);
  });
}

t.test('tmpfs: a path or a list; options are listed as unsupported', async (t) => {
  t.same(svc('image: x\ntmpfs: /run').mounts, [{ type: 'tmpfs', target: '/run' }]);
  const s = stackOf('services:\n  s:\n    image: x\n    tmpfs:\n      - /run\n      - /tmp:size=64m\n');
  t.same(s.services[0].mounts, [
    { type: 'tmpfs', target: '/run' },
    { type: 'tmpfs', target: '/tmp' },
  ]);
  t.match(s.warnings[0].message, /services\.s\.tmpfs\[1\] \(stack\.yml:6:9\): tmpfs options "size=64m" are not supported/);
});

t.test('a relative bind warns where it will point on the nodes', async (t) => {
  const s = stackOf('services:\n  s:\n    image: x\n    volumes:\n      - ./config:/config\n');
  t.same(s.warnings, [
    {
      message: 'services.s.volumes[0]: ./config is bound as /srv/stacks/home/config, which must exist on each node that runs the service',
      pos: { file: 'stack.yml', line: 5, col: 9 },
    },
  ]);
});

// [volumes: entries, message pattern, file:line:col]
const bad: [string, RegExp, string][] = [
  ['- missing:/d', /services\.s\.volumes\[0\]: refers to undefined volume missing/, 'stack.yml:5:9'],
  ['- /data', /\/data: anonymous volumes are not supported/, 'stack.yml:5:9'],
  ['- data:relative', /container path "relative" is not absolute/, 'stack.yml:5:9'],
  ['- data:/d:rx', /"rx" is not a mount option/, 'stack.yml:5:9'],
  ['- a:b:c:d', /is not SOURCE:TARGET\[:MODE\]/, 'stack.yml:5:9'],
  ['- data:/d\n- /x:/d', /\/d is mounted twice/, 'stack.yml:6:9'],
  ['- type: npipe\n  source: x\n  target: /x', /"npipe" is not one of volume, bind, tmpfs/, 'stack.yml:5:15'],
  ['- type: volume\n  target: /x', /\/x: anonymous volumes are not supported/, 'stack.yml:5:9'],
  ['- type: bind\n  target: /x', /a bind mount needs a source/, 'stack.yml:5:9'],
  ['- type: tmpfs\n  source: x\n  target: /x', /a tmpfs mount has no source/, 'stack.yml:6:17'],
  ['- type: volume\n  source: nope\n  target: /x', /refers to undefined volume nope/, 'stack.yml:6:17'],
  ['- type: volume\n  source: data\n  traget: /x', /unknown key services\.s\.volumes\[0\]\.traget \(did you mean "target"\?\)/, 'stack.yml:7:9'],
  ['- ~/x:/x', /~\/x needs HOME, which is not set/, 'stack.yml:5:9'],
];

for (const [entries, message, pos] of bad) {
  t.test(`refused: ${entries.replace(/\n/g, ' ')}`, async (t) => {
    const e = errorOf(() => mounts(`volumes:\n${entries.replace(/^/gm, '  ')}`));
    t.equal(e.code, 'E_SCHEMA');
    t.match(e.message, message);
    t.equal(where(e), pos);
    t.ok(e.hint);
  });
}

t.test('an undefined volume says how to declare it', async (t) => {
  const e = errorOf(() => mounts('volumes:\n  - db:/var/lib/db'));
  t.match(e.hint, /declare it under the top-level volumes: key/);
});

t.test('z/Z, nocopy and propagation flags, and long-form bind/volume/tmpfs options, are listed as unsupported', async (t) => {
  const s = stackOf(
    'services:\n  s:\n    image: x\n    volumes:\n      - /a:/a:z\n      - type: bind\n        source: /b\n        target: /b\n        bind:\n          propagation: rshared\n',
  );
  t.same(s.services[0].mounts.length, 2);
  const text = s.warnings[0].message;
  t.match(text, /services\.s\.volumes\[0\] \(stack\.yml:5:9\): mount option "z" is not supported/);
  t.match(text, /services\.s\.volumes\[1\]\.bind \(stack\.yml:9:9\): bind options/);
  t.throws(() => stackOf('services:\n  s:\n    image: x\n    volumes:\n      - /a:/a:Z\n', { strict: true }), { code: 'E_SCHEMA' });
});

t.test('top-level volumes: names, external, driver and labels', async (t) => {
  const s = stackOf(
    'services:\n  s:\n    image: x\nvolumes:\n  a:\n  b:\n    external: true\n  c:\n    external: true\n    name: real-c\n  d:\n    name: my-d\n    driver: local\n    driver_opts:\n      type: nfs\n      o: addr=10.0.0.2\n    labels:\n      backup: "true"\n  e:\n    external:\n      name: old-style\n',
  );
  t.same(s.volumes, {
    a: { name: 'home_a', external: false, driverOpts: {}, labels: {} },
    b: { name: 'b', external: true, driverOpts: {}, labels: {} },
    c: { name: 'real-c', external: true, driverOpts: {}, labels: {} },
    d: { name: 'my-d', external: false, driver: 'local', driverOpts: { type: 'nfs', o: 'addr=10.0.0.2' }, labels: { backup: 'true' } },
    e: { name: 'old-style', external: true, driverOpts: {}, labels: {} },
  });
  const e = errorOf(() => stackOf('services:\n  s:\n    image: x\nvolumes:\n  a:\n    drivr: local\n'));
  t.equal(e.message, 'unknown key volumes.a.drivr (did you mean "driver"?)');
  t.equal(where(e), 'stack.yml:6:5');
});
