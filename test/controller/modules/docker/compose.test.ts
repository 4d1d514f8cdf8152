import t from 'tap';
import {
  type ComposeState,
  dockerComposeV2,
  labelMap,
  parseCompose,
  planCompose,
  probeCompose,
  psRows,
  psSnapshot,
  upReasons,
} from '../../../../controller/modules/docker/compose.js';
import { dash, fakeContext, framed, outcome } from '../system/fake.js';
import { argsOf, fixtureText } from './helpers.js';

const HASH = '169e4e126a39107152df606292ac0c5155413d4454e1d89c71c8b316e12ee888';
const IMG = 'sha256:de21a8db30827d77a8a5679131577493306280c4ef7cee72ef4bec55f1d527e9';
const config = JSON.parse(fixtureText('compose-config.json'));
const web = psRows(fixtureText('compose-ps.ndjson'));
const st = (more: Partial<ComposeState> = {}): ComposeState => ({
  docker: true,
  plugin: true,
  config,
  hashes: { web: HASH },
  images: { 'muster-busybox:1': IMG },
  containers: web,
  ...more,
});
const exited = web.map((c) => ({ ...c, state: 'exited' }));
const C = 'docker compose --project-directory /srv/proj';

const table: [string, Record<string, unknown>, ComposeState, string | string[]][] = [
  ['up to date', {}, st(), 'noop: project proj is up to date (1 container(s) running)'],
  ['nothing yet -> up', {}, st({ containers: [] }), [`${C} up --detach`]],
  ['stopped container -> up', {}, st({ containers: exited }), [`${C} up --detach`]],
  ['config changed -> up', {}, st({ hashes: { web: 'other' } }), [`${C} up --detach`]],
  ['image changed -> up', {}, st({ images: { 'muster-busybox:1': 'sha256:new' } }), [`${C} up --detach`]],
  [
    'recreate=never ignores a config change',
    { recreate: 'never' },
    st({ hashes: { web: 'other' } }),
    'noop: project proj is up to date (1 container(s) running)',
  ],
  ['recreate=always', { recreate: 'always' }, st(), [`${C} up --detach --force-recreate`]],
  ['pull=always always runs up', { pull: 'always' }, st(), [`${C} up --detach --pull always`]],
  ['build=always', { build: 'always' }, st(), [`${C} up --detach --build`]],
  [
    'every flag, files and env files under project_src',
    {
      project_name: 'p2',
      files: ['a.yml', '/abs/b.yml'],
      env_files: ['prod.env'],
      profiles: ['jobs'],
      services: ['web'],
      build: 'never',
      dependencies: false,
      remove_orphans: true,
      wait: true,
      wait_timeout: 30,
      scale: { web: 2 },
    },
    st(),
    [
      `${C} --project-name p2 --file /srv/proj/a.yml --file /abs/b.yml --env-file /srv/proj/prod.env --profile jobs up --detach --no-build --no-deps --remove-orphans --wait --wait-timeout 30 --scale web=2 web`,
    ],
  ],
  [
    'an orphan with remove_orphans',
    { remove_orphans: true },
    st({ containers: [...web, { ...web[0], service: 'old', name: 'proj-old-1' }] }),
    [`${C} up --detach --remove-orphans`],
  ],
  [
    'an orphan without: kept',
    {},
    st({ containers: [...web, { ...web[0], service: 'old', name: 'proj-old-1' }] }),
    'noop: project proj is up to date (2 container(s) running)',
  ],
  ['unknown service', { services: ['db'] }, st(), 'fail: project proj: db: no such service in the project'],
  ['stopped: running -> stop', { state: 'stopped' }, st(), [`${C} stop`]],
  ['stopped: already', { state: 'stopped' }, st({ containers: exited }), 'noop: project proj is stopped'],
  ['stopped: nothing yet -> created, then stop', { state: 'stopped' }, st({ containers: [] }), [`${C} up --no-start`, `${C} stop`]],
  ['restarted', { state: 'restarted', timeout: 5 }, st(), [`${C} restart --timeout 5`]],
  [
    'absent',
    { state: 'absent', remove_images: 'local', remove_volumes: true, remove_orphans: true },
    st(),
    [`${C} down --remove-orphans --rmi local --volumes`],
  ],
  ['absent: no containers', { state: 'absent' }, st({ containers: [] }), 'noop: project proj has no containers'],
  ['no plugin', {}, st({ plugin: false }), 'fail: docker compose is not available on the host (Debian: apt-get install docker-compose, the v2 plugin)'],
  [
    'a project compose refuses',
    {},
    st({ config: undefined, configError: 'no configuration file provided: not found' }),
    'fail: docker compose cannot read the project in /srv/proj: no configuration file provided: not found',
  ],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planCompose(argsOf(dockerComposeV2, { project_src: '/srv/proj', ...given }), s)), want));
}

t.test('reasons name the service and the cause', async (t) => {
  const a = argsOf(dockerComposeV2, { project_src: '/srv/proj' });
  t.same(upReasons(a, st({ containers: [] })), ['web: 1 container(s) to create']);
  t.same(upReasons(a, st({ containers: exited })), ['web: proj-web-1 not running']);
  t.same(upReasons(a, st({ hashes: { web: 'x' } })), ['proj-web-1: configuration changed']);
  t.same(upReasons(a, st({ images: {} })), ['web: image muster-busybox:1 is not on the host']);
  t.same(upReasons(argsOf(dockerComposeV2, { project_src: '/p', scale: { web: 3 } }), st()), ['web: 2 container(s) to create']);
});

t.test('parse: recorded compose output (one JSON object per line, or an array)', async (t) => {
  const s = parseCompose(
    framed({
      docker: 'yes\n',
      plugin: '2.26.1-4\n',
      config: fixtureText('compose-config.json'),
      hashes: `web ${HASH}\n`,
      images: `muster-busybox:1 ${IMG}\n`,
      ps: fixtureText('compose-ps.ndjson'),
    }),
  );
  t.equal(s.plugin, true);
  t.equal(s.config?.name, 'proj');
  t.same(s.hashes, { web: HASH });
  t.same(s.images, { 'muster-busybox:1': IMG });
  t.equal(s.containers.length, 1);
  t.match(s.containers[0], { id: 'd7152194e45c', name: 'proj-web-1', service: 'web', state: 'running' });
  t.equal(s.containers[0].labels['com.docker.compose.config-hash'], HASH);
  t.same(psRows(`[${fixtureText('compose-ps.ndjson').trim()}]`).length, 1, 'the older array form');
  const bad = parseCompose(framed({ docker: 'yes\n', plugin: '', config: ['no configuration file provided: not found\n', 1], ps: '' }));
  t.same([bad.plugin, bad.config, bad.configError, bad.containers], [false, undefined, 'no configuration file provided: not found', []]);
  t.same(labelMap('a=1,b=x=y'), { a: '1', b: 'x=y' });
});

t.test('the probe is valid POSIX sh: without docker every section is empty', async (t) => {
  const s = parseCompose(dash(probeCompose({ project_src: '/nonexistent' }), { env: { PATH: '/nonexistent' } }).stdout);
  t.same([s.docker, s.plugin, s.config, s.containers], [false, false, undefined, []]);
  t.match(planCompose({ project_src: '/x' }, s), { kind: 'fail', msg: /the docker CLI is not on the host/ });
});

t.test('run: ps after up tells whether anything changed', async (t) => {
  const a = argsOf(dockerComposeV2, { project_src: '/srv/proj', pull: 'always' });
  const probe = framed({
    docker: 'yes\n',
    plugin: '2.26.1\n',
    config: JSON.stringify(config),
    hashes: `web ${HASH}\n`,
    images: '',
    ps: fixtureText('compose-ps.ndjson'),
  });
  const same = fakeContext({ answers: [{ stdout: probe }, {}, { stdout: fixtureText('compose-ps.ndjson') }] });
  const r = await dockerComposeV2.run(a, same);
  t.equal(r.changed, false, 'pull=always found nothing new: unchanged');
  t.equal(r.msg, 'project proj: nothing changed');
  const recreated = fixtureText('compose-ps.ndjson').replace('d7152194e45c', 'aaaaaaaaaaaa');
  const other = fakeContext({ answers: [{ stdout: probe }, {}, { stdout: recreated }] });
  const r2 = await dockerComposeV2.run(a, other);
  t.equal(r2.changed, true, 'a new container ID is a change');
  t.match(r2.data, { containers: [{ ID: 'aaaaaaaaaaaa', Service: 'web' }] }, 'containers as compose ps prints them');
  const check = fakeContext({ check: true, answers: [{ stdout: probe }] });
  t.equal((await dockerComposeV2.run(a, check)).changed, true);
  t.equal(check.scripts.length, 1, 'check mode runs only the probe');
  t.not(psSnapshot(web), psSnapshot(exited));
});
