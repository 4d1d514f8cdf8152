import t from 'tap';
import {
  dockerContainer,
  parseContainer,
  planContainer,
  probeContainer,
  pullPolicy,
  type ContainerState,
} from '../../../../controller/modules/docker/container.js';
import { dash, fakeContext, framed, outcome } from '../system/fake.js';
import { argsOf, fixture } from './helpers.js';

const ctr = fixture('container.json')[0];
const img = fixture('image.json')[0];
const SLEEP = 'trap "exit 0" TERM; while true; do sleep 1; done';
/** The options h5-ctr was made with (fixtures/container.json). */
const base = {
  name: 'h5-ctr',
  image: 'muster-busybox:1',
  command: ['sh', '-c', SLEEP],
  env: { GREETING: 'hello' },
  labels: { app: 'muster' },
  published_ports: ['127.0.0.1:18099:80'],
  volumes: ['h5-vol:/data'],
  mounts: [{ type: 'tmpfs', target: '/scratch' }],
  networks: [{ name: 'h5-net', ipv4_address: '172.31.250.10', aliases: ['app'] }],
  restart_policy: 'unless-stopped',
  memory: '64m',
  cpus: 0.5,
  capabilities: ['NET_ADMIN'],
  cap_drop: ['MKNOD'],
  init: true,
  log_options: { 'max-size': '1m' },
  healthcheck: { test: ['CMD-SHELL', 'true'], interval: '1s' },
};
const stopped = { ...ctr, State: { ...(ctr.State as object), Running: false, Status: 'exited' } };
/** State with the container and the wanted image (null: the image is not on the host). */
const st = (container?: Record<string, unknown>, image: Record<string, unknown> | null = img, more: Partial<ContainerState> = {}): ContainerState => ({
  docker: true,
  container,
  image: image ?? undefined,
  ...more,
});
const plan = (given: Record<string, unknown>, s: ContainerState) => outcome(planContainer(argsOf(dockerContainer, given), s));

const RM = ['docker stop h5-ctr', 'docker rm --force h5-ctr >/dev/null'];
const CREATE_MIN = `docker create --name c1 muster-busybox:1 sh -c 'sleep 1' >/dev/null`;

const table: [string, Record<string, unknown>, ContainerState, string | string[]][] = [
  ['running with every option as wanted', base, st(ctr), 'noop: container h5-ctr is running as wanted'],
  ['only the name: nothing compared', { name: 'h5-ctr' }, st(ctr, null), 'noop: container h5-ctr is running as wanted'],
  ['new: created and started', { name: 'c1', image: 'muster-busybox:1', command: "sh -c 'sleep 1'" }, st(), [CREATE_MIN, 'docker start c1 >/dev/null']],
  ['new, state present: created only', { name: 'c1', image: 'muster-busybox:1', command: ['sh', '-c', 'sleep 1'], state: 'present' }, st(), [CREATE_MIN]],
  ['new, state stopped: created only', { name: 'c1', image: 'muster-busybox:1', command: ['sh', '-c', 'sleep 1'], state: 'stopped' }, st(), [CREATE_MIN]],
  ['stopped -> started', { name: 'h5-ctr' }, st(stopped, null), ['docker start h5-ctr >/dev/null']],
  ['running -> stopped', { name: 'h5-ctr', state: 'stopped' }, st(ctr, null), ['docker stop h5-ctr']],
  [
    'a recreate without image uses the one it runs',
    { name: 'h5-ctr', state: 'stopped', stop_timeout: 3 },
    st(ctr, null),
    ['docker stop --time 3 h5-ctr', 'docker rm --force h5-ctr >/dev/null', 'docker create --name h5-ctr --stop-timeout 3 muster-busybox:1 >/dev/null'],
  ],
  ['running -> stopped, force_kill', { name: 'h5-ctr', state: 'stopped', force_kill: true }, st(ctr, null), ['docker kill h5-ctr']],
  ['stopped stays stopped', { name: 'h5-ctr', state: 'stopped' }, st(stopped, null), 'noop: container h5-ctr is stopped as wanted'],
  ['restart=true restarts a running one', { name: 'h5-ctr', restart: true }, st(ctr, null), ['docker restart h5-ctr']],
  ['absent: stopped, then removed', { name: 'h5-ctr', state: 'absent' }, st(ctr, null), RM],
  [
    'absent, keep_volumes=false',
    { name: 'h5-ctr', state: 'absent', keep_volumes: false },
    st(stopped, null),
    ['docker rm --force --volumes h5-ctr >/dev/null'],
  ],
  ['absent, missing', { name: 'h5-ctr', state: 'absent' }, st(undefined, null), 'noop: container h5-ctr does not exist'],
  ['missing and no image', { name: 'c1' }, st(undefined, null), 'fail: container c1 does not exist and no image is given to create it from'],
  [
    'image missing, pull=never',
    { name: 'c1', image: 'app:1', pull: 'never' },
    st(undefined, null),
    'fail: image app:1 is not on the host and pull=never (load or build it first, docker_image)',
  ],
  ['env file missing', { name: 'c1', image: 'app:1', env_file: '/srv/x.env' }, st(undefined, img), 'fail: env_file /srv/x.env is not on the host'],
  ['comparisons ignore env', { ...base, env: { GREETING: 'bye' }, comparisons: { env: 'ignore' } }, st(ctr), 'noop: container h5-ctr is running as wanted'],
  ['comparisons * ignore', { ...base, memory: '1g', user: 'nobody', comparisons: { '*': 'ignore' } }, st(ctr), 'noop: container h5-ctr is running as wanted'],
  [
    'image ignored',
    { ...base, image: 'other:1', comparisons: { image: 'ignore' } },
    st(ctr, { ...img, Id: 'sha256:1111' }),
    'noop: container h5-ctr is running as wanted',
  ],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(plan(given, s), want));
}

/** The reasons in a recreate plan's message. */
const why = (given: Record<string, unknown>, s: ContainerState = st(ctr)) => {
  const p = planContainer(argsOf(dockerContainer, given), s);
  return p.kind === 'change' ? p.msg : `${p.kind}: ${'reason' in p ? p.reason : p.msg}`;
};

t.test('each compared option recreates when it differs (and only then)', async (t) => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ env: { GREETING: 'bye' } }, /env: .*"GREETING":"hello".* -> .*"GREETING":"bye"/],
    [{ env: { GREETING: 'hello', MORE: '1' } }, /env:/],
    [{ command: ['sleep', '1'] }, /command: \["sh","-c",.*\] -> \["sleep","1"\]/],
    [{ command: `sh -c '${SLEEP}'` }, /^noop/],
    [{ labels: { app: 'other' } }, /labels:/],
    [{ published_ports: ['127.0.0.1:18100:80'] }, /published_ports:/],
    [{ published_ports: ['127.0.0.1:18099:80/tcp'] }, /^noop/],
    [{ volumes: ['h5-vol:/data:rw'] }, /^noop/],
    [{ volumes: ['h5-vol:/data:ro'] }, /volumes:/],
    [{ mounts: [{ type: 'tmpfs', target: '/scratch', read_only: true }] }, /mounts:/],
    [{ restart_policy: 'always' }, /restart_policy: "unless-stopped" -> "always"/],
    [{ memory: '67108864' }, /^noop/],
    [{ memory: '128m' }, /memory: 67108864 -> 134217728/],
    [{ cpus: 1 }, /cpus: 500000000 -> 1000000000/],
    [{ capabilities: ['CAP_NET_ADMIN'] }, /^noop/],
    [{ capabilities: ['NET_ADMIN', 'SYS_TIME'] }, /capabilities:/],
    [{ cap_drop: [] }, /cap_drop:/],
    [{ init: false }, /init: true -> false/],
    [{ user: 'nobody' }, /user: "" -> "nobody"/],
    [{ working_dir: '/data' }, /working_dir:/],
    [{ hostname: 'other' }, /hostname:/],
    [{ privileged: false }, /^noop/],
    [{ privileged: true }, /privileged: false -> true/],
    [{ log_driver: 'json-file' }, /^noop/],
    [{ log_options: { 'max-size': '2m' } }, /log_options:/],
    [{ healthcheck: { test: 'true', interval: '1s' } }, /^noop/],
    [{ healthcheck: { test: 'true', interval: '2s' } }, /healthcheck:/],
    [{ devices: ['/dev/null'] }, /devices: \[\] -> \["\/dev\/null:\/dev\/null:rwm"\]/],
    [{ network_mode: 'bridge' }, /network_mode: "h5-net" -> "bridge"/],
    [{ entrypoint: ['/bin/sh'] }, /entrypoint:/],
    [{ recreate: true }, /recreated \(recreate=true\)/],
  ];
  for (const [given, want] of cases) t.match(why({ ...base, ...given }), want, JSON.stringify(given));
});

t.test('a recreate stops, removes, creates with every option, connects and starts', async (t) => {
  const got = plan({ ...base, env: { GREETING: 'bye' } }, st(ctr));
  t.same(got.slice(0, 2), RM);
  t.equal(
    got[2],
    'docker create --name h5-ctr --env GREETING=bye --label app=muster --publish 127.0.0.1:18099:80 --volume h5-vol:/data --mount type=tmpfs,target=/scratch --network h5-net --ip 172.31.250.10 --network-alias app --restart unless-stopped --memory 64m --cpus 0.5 --init --cap-add NET_ADMIN --cap-drop MKNOD --log-opt max-size=1m --health-cmd true --health-interval 1s muster-busybox:1 sh -c \'trap "exit 0" TERM; while true; do sleep 1; done\' >/dev/null',
  );
  t.same(got.slice(3), ['docker start h5-ctr >/dev/null']);
});

t.test('another image recreates; the same image under its ID does not', async (t) => {
  t.match(why(base, st(ctr, { ...img, Id: 'sha256:2222222222222222' })), /image: de21a8db3082 -> 222222222222 \(muster-busybox:1\)/);
  t.match(why({ ...base, image: 'muster-busybox' }, st(ctr, img)), /image name: muster-busybox:1 -> muster-busybox:latest/);
  t.match(why({ ...base, image: 'muster-busybox', image_name_mismatch: 'ignore' }, st(ctr, img)), /^noop/);
  const missing = plan({ ...base, image: 'app:2' }, st(ctr, null));
  t.match(missing[0], /^docker pull app:2 >\/dev\/null \|\| \{ echo 'could not pull app:2: no registry answered/);
});

t.test('networks are changed in place, not by recreating', async (t) => {
  const detached = { ...ctr, NetworkSettings: { Networks: {} } };
  t.same(plan(base, st(detached)), ['docker network connect --ip 172.31.250.10 --alias app h5-net h5-ctr']);
  const moreNets = { ...base, networks: [...base.networks, { name: 'n2' }] };
  t.same(plan(moreNets, st(ctr)), ['docker network connect n2 h5-ctr']);
  const extra = { ...ctr, NetworkSettings: { Networks: { ...((ctr.NetworkSettings as Record<string, object>).Networks as object), bridge: {} } } };
  t.match(plan(base, st(extra)), 'noop: ', 'an extra network stays by default');
  t.same(plan({ ...base, purge_networks: true }, st(extra)), ['docker network disconnect --force bridge h5-ctr']);
  t.same(plan({ ...base, comparisons: { networks: 'strict' } }, st(extra)), ['docker network disconnect --force bridge h5-ctr']);
  const otherIp = { ...base, networks: [{ name: 'h5-net', ipv4_address: '172.31.250.11' }] };
  t.same(plan(otherIp, st(ctr)), ['docker network disconnect --force h5-net h5-ctr', 'docker network connect --ip 172.31.250.11 h5-net h5-ctr']);
  const created = plan({ name: 'c1', image: 'muster-busybox:1', networks: [{ name: 'a' }, { name: 'b', aliases: ['x'] }] }, st());
  t.same(created, ['docker create --name c1 --network a muster-busybox:1 >/dev/null', 'docker network connect --alias x b c1', 'docker start c1 >/dev/null']);
});

t.test('state healthy: waits after a start; a healthy container is a noop; waiting alone is no change', async (t) => {
  t.equal(plan({ name: 'h5-ctr', state: 'healthy' }, st(ctr, null)), 'noop: container h5-ctr is running and healthy as wanted');
  const starting = { ...ctr, State: { ...(ctr.State as object), Health: { Status: 'starting' } } };
  const wait = planContainer(argsOf(dockerContainer, { name: 'h5-ctr', state: 'healthy', healthy_wait_timeout: 5 }), st(starting, null));
  if (wait.kind !== 'change') return t.fail('expected a wait');
  t.match(outcome(wait)[0], /i=0; while :; do s=\$\(docker container inspect --format .* h5-ctr\)/);
  t.match(outcome(wait)[0], /-ge 5/);
  const ctx = fakeContext({ answers: [{ stdout: framed({ docker: 'yes\n', container: JSON.stringify([starting]) }) }, {}, { stdout: JSON.stringify([ctr]) }] });
  const r = await dockerContainer.run(argsOf(dockerContainer, { name: 'h5-ctr', state: 'healthy' }), ctx);
  t.equal(r.changed, false, 'waiting is not a change');
  t.equal(r.failed, undefined);
  t.equal(ctx.scripts.length, 3, 'probe, wait, inspect');
  t.notOk('_wait_only' in (r.data ?? {}));
});

t.test('the health wait script, for real with dash and a stand-in docker', async (t) => {
  const wait = planContainer(argsOf(dockerContainer, { name: 'h5-ctr', state: 'healthy', healthy_wait_timeout: 2 }), st({ ...stopped }, null));
  if (wait.kind !== 'change') return t.fail('expected a change');
  const script = outcome(wait)[1];
  const answer = (status: string) => dash(`docker() { echo ${status}; }\nsleep() { :; }\n${script}`);
  t.equal(answer('healthy').rc, 0);
  t.match(answer('unhealthy').stderr, 'container h5-ctr is unhealthy');
  t.match(answer('none').stderr, 'has no health check');
  const slow = answer('starting');
  t.equal(slow.rc, 1);
  t.match(slow.stderr, 'was not healthy within 2 s (status: starting)');
});

t.test('detach=false waits for the exit and returns the output; cleanup removes it', async (t) => {
  t.same(plan({ name: 'job', image: 'muster-busybox:1', command: 'echo hi', detach: false, cleanup: true }, st()), [
    'docker create --name job muster-busybox:1 echo hi >/dev/null',
    'docker start --attach job',
    'docker rm --force job',
  ]);
  const ctx = fakeContext({
    answers: [{ stdout: framed({ docker: 'yes\n', container: ['[]\n', 1], image: JSON.stringify([img]) }) }, {}, { stdout: 'hi\n' }, {}, { rc: 1 }],
  });
  const r = await dockerContainer.run(
    argsOf(dockerContainer, { name: 'job', image: 'muster-busybox:1', command: 'echo hi', detach: false, cleanup: true }),
    ctx,
  );
  t.equal(r.changed, true);
  t.equal(r.data?.container_output, 'hi\n');
});

t.test('pull=always pulls before the probe; a new image ID is a change', async (t) => {
  t.equal(pullPolicy(true), 'always');
  t.equal(pullPolicy(false), 'missing');
  t.equal(pullPolicy('never'), 'never');
  const probe = framed({ docker: 'yes\n', container: JSON.stringify([ctr]), image: JSON.stringify([img]) });
  const ctx = fakeContext({ answers: [{ stdout: 'sha256:old\n' }, {}, { stdout: 'sha256:new\n' }, { stdout: probe }] });
  const r = await dockerContainer.run(argsOf(dockerContainer, { ...base, pull: 'always' }), ctx);
  t.equal(r.changed, true, 'the pull changed the image');
  t.match(ctx.scripts[1].shown, 'docker pull muster-busybox:1');
  const failed = fakeContext({ answers: [{ stdout: '' }, { rc: 1, stderr: 'could not pull muster-busybox:1: no registry answered' }] });
  const f = await dockerContainer.run(argsOf(dockerContainer, { ...base, pull: 'always' }), failed);
  t.equal(f.failed, true);
  t.match(f.msg, 'no registry answered');
  const check = fakeContext({ check: true, answers: [{ stdout: probe }] });
  t.equal((await dockerContainer.run(argsOf(dockerContainer, { ...base, pull: 'always' }), check)).changed, false, 'check mode pulls nothing');
});

t.test('arguments are checked at load time', async (t) => {
  t.throws(() => argsOf(dockerContainer, { name: 'x', comparisons: { env: 'loose' } }), /comparisons.env must be strict, ignore or allow_more_present/);
  t.throws(() => argsOf(dockerContainer, { name: 'x', pull: 'sometimes' }), /pull must be always, missing, never or a boolean/);
  t.throws(() => argsOf(dockerContainer, { name: 'x', networks: [{ aliases: ['a'] }] }), /each entry of networks needs a name/);
  t.throws(() => argsOf(dockerContainer, { name: 'x', state: 'running' }), /must be one of absent, present, stopped, started, healthy/);
  t.same(argsOf(dockerContainer, { name: 'x', ports: ['80'] }).published_ports, ['80'], 'ports is an alias');
});

t.test('probe and parse: recorded inspect output, the env file read for real with dash', async (t) => {
  const s = parseContainer(framed({ docker: 'yes\n', container: JSON.stringify([ctr]), image: JSON.stringify([img]), envfile: 'A=1\n' }));
  t.equal(s.container?.Name, '/h5-ctr');
  t.equal(s.image?.Id, img.Id);
  t.equal(s.envFile, 'A=1\n');
  const out = dash(probeContainer({ name: 'x', image: 'i:1', env_file: '/nonexistent/env' }), { env: { PATH: '/nonexistent' } });
  const none = parseContainer(out.stdout);
  t.same(none, { docker: false, container: undefined, image: undefined, envFile: undefined }, 'no docker, no file: all absent');
});
