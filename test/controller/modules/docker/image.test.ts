import t from 'tap';
import { archiveManifest, dockerImage, imageRef, parseImage, planImage, type ImageState } from '../../../../controller/modules/docker/image.js';
import { fakeContext, framed, outcome } from '../system/fake.js';
import { argsOf, fixture, fixtureText } from './helpers.js';

const img = fixture('image.json')[0];
const ID = 'sha256:de21a8db30827d77a8a5679131577493306280c4ef7cee72ef4bec55f1d527e9';
const st = (more: Partial<ImageState> = {}): ImageState => ({ docker: true, ...more });
const LOAD =
  "out=$(docker load --input /srv/b.tar) || exit 1\nprintf '%s\\n' \"$out\"\ndocker image inspect muster-busybox:1 >/dev/null 2>&1 || { printf '%s%s\\n' 'archive /srv/b.tar did not contain image muster-busybox:1; it loaded: ' \"$out\" >&2; exit 1; }";
const load = { name: 'muster-busybox', tag: '1', source: 'load', load_path: '/srv/b.tar' };
const build = { name: 'app:v1', source: 'build', build: { path: '/srv/ctx', dockerfile: 'Dockerfile.prod', args: { B: 2, A: 'x' }, nocache: true } };

const table: [string, Record<string, unknown>, ImageState, string | string[]][] = [
  ['load: missing -> docker load, checked', load, st(), [LOAD]],
  ['load: present -> nothing', load, st({ image: img }), 'noop: image muster-busybox:1 is present'],
  ['load: force_source loads again', { ...load, force_source: true }, st({ image: img }), [LOAD]],
  ['build: every option', build, st(), ['docker build --tag app:v1 --file /srv/ctx/Dockerfile.prod --build-arg A=x --build-arg B=2 --no-cache /srv/ctx']],
  ['build: present -> nothing', build, st({ image: img }), 'noop: image app:v1 is present'],
  [
    'pull: refused clearly when no registry answers',
    { name: 'nginx', source: 'pull' },
    st(),
    [
      "docker pull nginx:latest || { echo 'could not pull nginx:latest: no registry answered (this host may have no network); use source=load or source=build instead' >&2; exit 1; }",
    ],
  ],
  ['local: missing fails', { name: 'x', source: 'local' }, st(), 'fail: image x:latest is not on the host (source=local looks nowhere else)'],
  ['archive: missing archive -> save', { ...load, archive_path: '/srv/a.tar' }, st({ image: img }), ['docker image save --output /srv/a.tar muster-busybox:1']],
  [
    'archive: holds this image -> nothing',
    { ...load, archive_path: '/srv/a.tar' },
    st({ image: img, archive: { id: ID, tags: ['muster-busybox:1'] } }),
    'noop: image muster-busybox:1 is present and archived in /srv/a.tar',
  ],
  [
    'archive: holds another image -> save',
    { ...load, archive_path: '/srv/a.tar' },
    st({ image: img, archive: { id: 'sha256:00', tags: ['muster-busybox:1'] } }),
    ['docker image save --output /srv/a.tar muster-busybox:1'],
  ],
  ['repository: tagged once', { ...load, repository: 'reg.local/busybox' }, st({ image: img }), ['docker image tag muster-busybox:1 reg.local/busybox:1']],
  [
    'repository: already that image',
    { ...load, repository: 'reg.local/busybox' },
    st({ image: img, repository: img }),
    'noop: image muster-busybox:1 is present',
  ],
  ['absent: removed', { name: 'muster-busybox', tag: '1', state: 'absent' }, st({ image: img }), ['docker image rm muster-busybox:1']],
  [
    'absent: force',
    { name: 'muster-busybox', tag: '1', state: 'absent', force_absent: true },
    st({ image: img }),
    ['docker image rm --force muster-busybox:1'],
  ],
  ['absent: not there', { name: 'muster-busybox', state: 'absent' }, st(), 'noop: image muster-busybox:latest is not on the host'],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planImage(argsOf(dockerImage, given), s)), want));
}

t.test('arguments are checked at load time', async (t) => {
  t.throws(() => argsOf(dockerImage, { name: 'x' }), /source is required when state is present/);
  t.throws(() => argsOf(dockerImage, { name: 'x', source: 'build' }), /source=build needs build.path/);
  t.throws(() => argsOf(dockerImage, { name: 'x', source: 'load' }), /source=load needs load_path/);
  t.throws(() => argsOf(dockerImage, { name: 'x', source: 'fetch' }), /must be one of build, load, pull, local/);
  t.ok(argsOf(dockerImage, { name: 'x', state: 'absent' }), 'absent needs no source');
});

t.test('image references as Ansible reads them', async (t) => {
  t.equal(imageRef({ name: 'nginx', tag: 'latest' }), 'nginx:latest');
  t.equal(imageRef({ name: 'nginx:1.27', tag: 'latest' }), 'nginx:1.27', 'a tag in the name wins');
  t.equal(imageRef({ name: 'reg.local:5000/app', tag: 'v2' }), 'reg.local:5000/app:v2', 'a registry port is not a tag');
  t.equal(imageRef({ name: 'app@sha256:abc', tag: 'x' }), 'app@sha256:abc');
});

t.test('archive manifests: the recorded docker save layout and the OCI one', async (t) => {
  t.same(archiveManifest(fixtureText('save-manifest.json')), { id: ID, tags: ['muster-busybox:1'] });
  t.same(archiveManifest(JSON.stringify([{ Config: `blobs/sha256/${ID.slice(7)}`, RepoTags: null }])), { id: ID, tags: [] });
  t.equal(archiveManifest('not json'), undefined);
  t.equal(archiveManifest('[]'), undefined);
});

t.test('parse: image, repository and archive sections', async (t) => {
  const s = parseImage(framed({ docker: 'yes\n', image: JSON.stringify([img]), archive: fixtureText('save-manifest.json') }));
  t.equal(s.image?.Id, ID);
  t.same(s.archive, { id: ID, tags: ['muster-busybox:1'] });
  const none = parseImage(framed({ docker: 'yes\n', image: ['[]\n', 1], archive: ['', 2] }));
  t.same([none.image, none.archive], [undefined, undefined]);
});

t.test('run: a change returns the image inspected afterwards; check mode runs only the probe', async (t) => {
  const probe = framed({ docker: 'yes\n', image: ['[]\n', 1] });
  const ctx = fakeContext({ answers: [{ stdout: probe }, { stdout: 'Loaded image: muster-busybox:1\n' }, { stdout: JSON.stringify([img]) }] });
  const r = await dockerImage.run(argsOf(dockerImage, load), ctx);
  t.equal(r.changed, true);
  t.match(r.data, { image: { Id: ID } });
  t.equal(ctx.scripts.length, 3);
  const check = fakeContext({ check: true, answers: [{ stdout: probe }] });
  t.equal((await dockerImage.run(argsOf(dockerImage, load), check)).changed, true);
  t.equal(check.scripts.length, 1);
});
