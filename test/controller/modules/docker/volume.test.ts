import t from 'tap';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerVolume, parseVolume, planVolume, probeVolume, type VolumeState } from '../../../../controller/modules/docker/volume.js';
import { dash, fakeContext, framed, outcome } from '../system/fake.js';
import { argsOf, fakeDocker, fixture } from './helpers.js';

const vol = fixture('volume.json')[0];
const st = (volume?: Record<string, unknown>, docker = true): VolumeState => ({ docker, volume });

const table: [string, Record<string, unknown>, VolumeState, string | string[]][] = [
  ['missing -> create', { name: 'data' }, st(), ['docker volume create --driver local data']],
  [
    'missing, options and labels sorted',
    { volume_name: 'data', driver_options: { type: 'tmpfs', device: 'tmpfs' }, labels: { b: 2, a: 'x y' } },
    st(),
    ["docker volume create --driver local --opt device=tmpfs --opt type=tmpfs --label 'a=x y' --label b=2 data"],
  ],
  ['exists as wanted', { name: 'h5-vol', labels: { app: 'muster' }, driver_options: { type: 'tmpfs' } }, st(vol), 'noop: volume h5-vol exists as wanted'],
  [
    'differs, recreate=never keeps it',
    { name: 'h5-vol', labels: { app: 'other' } },
    st(vol),
    'noop: volume h5-vol exists; it differs in labels.app but recreate=never keeps it (and its data)',
  ],
  [
    'differs, options-changed recreates',
    { name: 'h5-vol', labels: { app: 'other' }, recreate: 'options-changed' },
    st(vol),
    ['docker volume rm h5-vol', 'docker volume create --driver local --label app=other h5-vol'],
  ],
  [
    'same, options-changed keeps it',
    { name: 'h5-vol', labels: { app: 'muster' }, recreate: 'options-changed' },
    st(vol),
    'noop: volume h5-vol exists as wanted',
  ],
  ['recreate=always', { name: 'h5-vol', recreate: 'always' }, st(vol), ['docker volume rm h5-vol', 'docker volume create --driver local h5-vol']],
  [
    'another driver counts',
    { name: 'h5-vol', driver: 'nfs', recreate: 'options-changed' },
    st(vol),
    ['docker volume rm h5-vol', 'docker volume create --driver nfs h5-vol'],
  ],
  ['absent, exists', { name: 'h5-vol', state: 'absent' }, st(vol), ['docker volume rm h5-vol']],
  ['absent, missing', { name: 'h5-vol', state: 'absent' }, st(), 'noop: volume h5-vol does not exist'],
  ['no docker', { name: 'x' }, st(undefined, false), /^fail: the docker CLI is not on the host/ as unknown as string],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => {
    const got = outcome(planVolume(argsOf(dockerVolume, given), s));
    if (want instanceof RegExp) t.match(got, want);
    else t.same(got, want);
  });
}

t.test('parse reads recorded inspect output; a missing volume is undefined', async (t) => {
  const s = parseVolume(framed({ docker: 'yes\n', volume: JSON.stringify([vol]) }));
  t.equal(s.docker, true);
  t.equal(s.volume?.Name, 'h5-vol');
  t.same(parseVolume(framed({ docker: '', volume: ['[]\n', 1] })), { docker: false, volume: undefined });
});

t.test('the diff shows the wanted volume; the noop returns the volume', async (t) => {
  const p = planVolume(argsOf(dockerVolume, { name: 'data', labels: { a: 1 } }), st());
  if (p.kind !== 'change') return t.fail('expected a change');
  t.match(p.diff?.[0].after, /"labels": \{\n\s+"a": "1"/);
  const n = planVolume(argsOf(dockerVolume, { name: 'h5-vol' }), st(vol));
  t.same(n.data, { volume: vol });
});

t.test('for real with dash against a stand-in docker: create, then nothing, then remove', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-dvol-'));
  const local = fakeDocker(dir);
  t.equal(parseVolume(dash(probeVolume({ volume_name: 'v1' }), local).stdout).docker, true, 'the probe finds the stand-in');
  const args = argsOf(dockerVolume, { name: 'v1', labels: { app: 'x' } });
  const first = await dockerVolume.run(args, fakeContext({ local }));
  t.equal(first.changed, true, String(first.msg));
  t.match(first.data, { volume: { Name: 'v1' } }, 'returns the volume as inspected after');
  t.ok(existsSync(join(dir, 'objects', 'volume-v1.json')));
  const again = await dockerVolume.run(args, fakeContext({ local }));
  t.equal(again.changed, false, String(again.msg));
  const check = await dockerVolume.run({ ...args, state: 'absent' }, fakeContext({ local, check: true }));
  t.equal(check.changed, true);
  t.ok(existsSync(join(dir, 'objects', 'volume-v1.json')), 'check mode removed nothing');
  const gone = await dockerVolume.run({ ...args, state: 'absent' }, fakeContext({ local }));
  t.equal(gone.changed, true);
  t.notOk(existsSync(join(dir, 'objects', 'volume-v1.json')));
});
