/** The stack model from a file: top level, each service key muster reads, unsupported keys, typos, all with positions. */
import t from 'tap';
import { errorOf, stackOf, svc, where } from './harness.js';

t.test('a minimal stack: sorted services, the default network, no warnings', async (t) => {
  const s = stackOf('version: "3.8"\nservices:\n  web:\n    image: nginx\n  api:\n    image: api:1\n');
  t.equal(s.name, 'home');
  t.equal(s.file, 'stack.yml');
  t.same(
    s.services.map((x) => x.name),
    ['api', 'web'],
  );
  t.same(s.services[0].pos, { file: 'stack.yml', line: 5, col: 3 });
  t.same(s.networks, { default: { name: 'home_default', external: false, labels: {} } });
  t.same(s.services[1].networks, [{ key: 'default', aliases: [] }]);
  t.same(s.warnings, []);
  t.same([s.volumes, s.secrets, s.configs], [{}, {}, {}]);
});

t.test('the file must be a mapping with services', async (t) => {
  t.equal(where(errorOf(() => stackOf('- a\n- b\n'))), 'stack.yml:1:1');
  const none = errorOf(() => stackOf('version: "3"\n'));
  t.equal(none.message, 'services: the stack has no services');
  const empty = errorOf(() => stackOf('services: {}\n'));
  t.equal(where(empty), 'stack.yml:1:11');
  t.equal(errorOf(() => stackOf('services: [a]\n')).message, 'services: must be a mapping, not a list');
});

t.test('unknown keys are errors with a did-you-mean, at the key', async (t) => {
  const top = errorOf(() => stackOf('services:\n  s:\n    image: x\nvolume:\n  a:\n'));
  t.equal(top.message, 'unknown key volume (did you mean "volumes"?)');
  t.equal(where(top), 'stack.yml:4:1');
  t.match(top.hint, /the top level takes configs, name, networks, secrets, services, version, volumes/);
  const inService = errorOf(() => svc('image: x\nenviroment:\n  A: 1'));
  t.equal(inService.message, 'unknown key services.s.enviroment (did you mean "environment"?)');
  t.equal(where(inService), 'stack.yml:4:5');
  const far = errorOf(() => svc('image: x\nzzzzzz: 1'));
  t.equal(far.message, 'unknown key services.s.zzzzzz', 'no suggestion when nothing is close');
  t.equal(errorOf(() => svc('image: x\ncontainer_nam: x')).message, 'unknown key services.s.container_nam (did you mean "container_name"?)');
});

t.test('x-* extensions are ignored anywhere, version: is accepted', async (t) => {
  const s = stackOf('version: "3.9"\nx-common: &c\n  image: x\nservices:\n  s:\n    <<: *c\n    x-note: hi\n    deploy:\n      x-also: 1\n');
  t.equal(s.services[0].image, 'x');
  t.same(s.warnings, []);
});

t.test('unsupported keys: one warning listing each with its position; --strict refuses them', async (t) => {
  const text =
    'services:\n  s:\n    image: x\n    container_name: s1\n    depends_on: [db]\n    sysctls:\n      a: 1\n  db:\n    image: pg\n    stop_signal: SIGINT\n';
  const s = stackOf(text);
  t.equal(s.warnings.length, 1);
  t.equal(
    s.warnings[0].message,
    [
      'ignoring keys muster does not support:',
      '  services.db.stop_signal (stack.yml:10:5)',
      '  services.s.container_name (stack.yml:4:5): replicas are named <stack>_<service>.<slot>.<hash>',
      '  services.s.depends_on (stack.yml:5:5): muster starts services in no particular order, as docker stack deploy does',
      '  services.s.sysctls (stack.yml:6:5)',
    ].join('\n'),
  );
  t.same(s.warnings[0].pos, { file: 'stack.yml', line: 10, col: 5 });
  const strict = errorOf(() => stackOf(text, { strict: true }));
  t.equal(strict.code, 'E_SCHEMA');
  t.match(strict.message, /^keys muster does not support \(refused with --strict\):\n {2}services\.db\.stop_signal \(stack\.yml:10:5\)/);
  t.match(strict.message, /services\.s\.sysctls \(stack\.yml:6:5\)/);
  t.equal(where(strict), 'stack.yml:10:5');
  t.match(strict.hint, /without --strict/);
  t.same(stackOf('services:\n  s:\n    image: x\n', { strict: true }).warnings, [], 'strict with nothing unsupported loads');
});

t.test('build: alone is refused with what to do; beside image: it is listed', async (t) => {
  const e = errorOf(() => svc('build: .'));
  t.equal(e.message, 'services.s.build: build: without image: is not supported');
  t.equal(where(e), 'stack.yml:3:12');
  t.match(e.hint, /build the image first/);
  t.match(e.hint, /name it in image:/);
  t.match(
    stackOf('services:\n  s:\n    image: me/app\n    build: .\n').warnings[0].message,
    /services\.s\.build \(stack\.yml:4:5\): muster does not build images/,
  );
  const none = errorOf(() => svc('command: x'));
  t.equal(none.message, 'services.s: has no image:');
  t.equal(where(none), 'stack.yml:3:5');
  t.equal(where(errorOf(() => stackOf('services:\n  s:\n'))), 'stack.yml:2:3', 'an empty service');
  t.equal(where(errorOf(() => svc('image: ""'))), 'stack.yml:3:12');
});

t.test('service names become container names: dots and odd characters are refused', async (t) => {
  t.equal(stackOf('services:\n  Web_1-a:\n    image: x\n').services[0].name, 'Web_1-a');
  t.equal(stackOf(`services:\n  ${'a'.repeat(63)}:\n    image: x\n`).services[0].name.length, 63, '63 characters: a DNS label');
  for (const name of ['web.1', '-web', '_web', 'we b', 'a'.repeat(64)]) {
    const e = errorOf(() => stackOf(`services:\n  "${name}":\n    image: x\n`));
    t.match(e.message, /service name .* is not valid/);
    t.equal(where(e), 'stack.yml:2:3');
  }
});

t.test('command and entrypoint: strings split as a shell would, lists kept', async (t) => {
  t.same(svc('image: x\ncommand: npm run start -- --port=80').command, ['npm', 'run', 'start', '--', '--port=80']);
  t.same(svc(`image: x\ncommand: sh -c 'echo "hi there" && sleep 1'`).command, ['sh', '-c', 'echo "hi there" && sleep 1']);
  t.same(svc('image: x\ncommand: echo "a \\"b\\" c" d\\ e').command, ['echo', 'a "b" c', 'd e']);
  t.same(svc('image: x\ncommand: ["sh", "-c", "echo $$HOME"]').command, ['sh', '-c', 'echo $HOME']);
  t.same(svc('image: x\ncommand: [run, 3, true]').command, ['run', '3', 'true']);
  t.same(svc('image: x\nentrypoint: /init.sh').entrypoint, ['/init.sh']);
  t.same(svc('image: x\nentrypoint: []').entrypoint, [], 'an empty entrypoint clears the image one');
  t.equal(svc('image: x').command, undefined);
  const open = errorOf(() => svc("image: x\ncommand: echo 'unclosed"));
  t.equal(open.message, 'services.s.command: a single quote is never closed');
  t.equal(where(open), 'stack.yml:4:14');
});

t.test('labels: map or list', async (t) => {
  t.same(svc('image: x\nlabels:\n  a.b: c\n  n: 1').labels, { 'a.b': 'c', n: '1' });
  t.same(svc('image: x\nlabels:\n  - a.b=c\n  - flag').labels, { 'a.b': 'c', flag: '' });
  t.equal(where(errorOf(() => svc('image: x\nlabels:\n  - =v'))), 'stack.yml:5:9');
  t.equal(where(errorOf(() => svc('image: x\nlabels: oops'))), 'stack.yml:4:13');
});

t.test('restart, user, working_dir, privileged, cap_add/cap_drop, logging', async (t) => {
  const s = svc(
    'image: x\nrestart: unless-stopped\nuser: "1000:1000"\nworking_dir: /app\nprivileged: true\ncap_add: [NET_ADMIN, SYS_RAWIO]\ncap_drop:\n  - ALL\nlogging:\n  driver: journald\n  options:\n    tag: web\n    max-file: 3',
  );
  t.same(
    [s.restart, s.user, s.workingDir, s.privileged, s.capAdd, s.capDrop, s.logging],
    ['unless-stopped', '1000:1000', '/app', true, ['NET_ADMIN', 'SYS_RAWIO'], ['ALL'], { driver: 'journald', options: { tag: 'web', 'max-file': '3' } }],
  );
  t.equal(s.deploy.restartPolicy.condition, 'any');
  t.equal(svc('image: x\nuser: 1000').user, '1000');
  t.equal(svc('image: x\nprivileged: "false"').privileged, false, 'an interpolated boolean');
  t.equal(svc('image: x').privileged, false);
  t.equal(where(errorOf(() => svc('image: x\nprivileged: maybe'))), 'stack.yml:4:17');
  t.same(svc('image: x\nlogging:\n  options:\n    max-size: 1m').logging, { driver: 'json-file', options: { 'max-size': '1m' } });
  t.equal(svc('image: x\nrestart: "no"').deploy.restartPolicy.condition, 'none');
  t.equal(svc('image: x\nrestart: no').restart, 'no', 'YAML 1.2: no is the string');
  t.equal(svc('image: x\nrestart: on-failure').deploy.restartPolicy.condition, 'on-failure');
  t.equal(where(errorOf(() => svc('image: x\nrestart: sometimes'))), 'stack.yml:4:14');
  t.equal(where(errorOf(() => svc('image: x\nrestart: always:3'))), 'stack.yml:4:14');
  const counted = stackOf('services:\n  s:\n    image: x\n    restart: on-failure:3\n');
  t.equal(counted.services[0].restart, 'on-failure');
  t.match(counted.warnings[0].message, /services\.s\.restart \(stack\.yml:4:14\): the retry count of on-failure:N is not supported/);
  const both = stackOf('services:\n  s:\n    image: x\n    restart: "no"\n    deploy:\n      restart_policy:\n        condition: any\n');
  t.equal(both.services[0].restart, undefined, 'deploy.restart_policy wins');
  t.equal(both.services[0].deploy.restartPolicy.condition, 'any');
  t.same(both.warnings, [{ message: 'services.s.restart: ignored, deploy.restart_policy is used instead', pos: { file: 'stack.yml', line: 4, col: 14 } }]);
  t.equal(where(errorOf(() => svc('image: x\nworking_dir: app'))), 'stack.yml:4:18');
  t.equal(where(errorOf(() => svc('image: x\ncap_add: ["NET ADMIN"]'))), 'stack.yml:4:15');
});

t.test("stop_grace_period: seconds, 0 allowed; a bad duration refused where it is; a fraction told on muster's own engine", async (t) => {
  t.equal(svc('image: x\nstop_grace_period: 1m30s').stopGraceS, 90);
  t.equal(svc('image: x\nstop_grace_period: 0s').stopGraceS, 0, 'zero: killed right after SIGTERM');
  t.equal(svc('image: x\nstop_grace_period: 0').stopGraceS, 0);
  t.equal(svc('image: x').stopGraceS, undefined, "absent: the engine's default");
  t.same(stackOf('services:\n  s:\n    image: x\n    stop_grace_period: 30s\n', { strict: true }).warnings, [], 'read, not unsupported');
  const bad = errorOf(() => svc('image: x\nstop_grace_period: 30'));
  t.equal(bad.message, 'services.s.stop_grace_period: "30" is not a duration');
  t.equal(where(bad), 'stack.yml:4:24');
  t.match(bad.hint, /10s, 1m30s/);
  t.equal(where(errorOf(() => svc('image: x\nstop_grace_period: -5s'))), 'stack.yml:4:24');
  t.equal(svc('image: x\nstop_grace_period: 596523h').stopGraceS, 596523 * 3600, 'the longest Docker takes');
  t.match(errorOf(() => svc('image: x\nstop_grace_period: 596524h')).message, /too long a grace period/);
  const half = stackOf('services:\n  s:\n    image: x\n    stop_grace_period: 1500ms\n');
  t.equal(half.services[0].stopGraceS, 1.5);
  t.same(half.warnings, [
    {
      message: "services.s.stop_grace_period: muster's own engine stops containers in whole seconds: 1500ms is 2s",
      pos: { file: 'stack.yml', line: 4, col: 24 },
      engine: 'native',
    },
  ]);
});

t.test('expose: ports and ranges, each once, in order; bad ports refused where they are', async (t) => {
  t.same(svc('image: x\nexpose: ["80", 8080, "53/udp", "9000-9002", "80/tcp"]').expose, [
    { target: 80, protocol: 'tcp' },
    { target: 8080, protocol: 'tcp' },
    { target: 53, protocol: 'udp' },
    { target: 9000, protocol: 'tcp' },
    { target: 9001, protocol: 'tcp' },
    { target: 9002, protocol: 'tcp' },
  ]);
  t.same(svc('image: x\nexpose: ["80"]').ports, [], 'nothing published');
  t.equal(svc('image: x').expose, undefined);
  t.equal(svc('image: x\nexpose: []').expose, undefined);
  t.same(svc('image: x\nexpose: [1, 65535]').expose, [
    { target: 1, protocol: 'tcp' },
    { target: 65535, protocol: 'tcp' },
  ]);
  t.equal(where(errorOf(() => svc('image: x\nexpose: [http]'))), 'stack.yml:4:14');
  t.match(errorOf(() => svc('image: x\nexpose: [0]')).message, /port 0 in "0" is out of range/);
  t.match(errorOf(() => svc('image: x\nexpose: [65536]')).message, /port 65536 in "65536" is out of range/);
  t.match(errorOf(() => svc('image: x\nexpose: ["90-80"]')).message, /ends before it starts/);
  t.match(errorOf(() => svc('image: x\nexpose: ["80/sctp"]')).message, /"80\/sctp" is not a port/);
});

t.test('include and extends are refused: ignoring them would deploy part of what the file means', async (t) => {
  const inc = errorOf(() => stackOf('include:\n  - other.yml\nservices:\n  s:\n    image: x\n'));
  t.equal(inc.message, 'include: include is not supported');
  t.equal(where(inc), 'stack.yml:2:3');
  const ext = errorOf(() => svc('image: x\nextends:\n  service: base'));
  t.equal(ext.message, 'services.s.extends: extends is not supported');
  t.equal(where(ext), 'stack.yml:5:7');
  t.match(ext.hint, /<<: \*base/);
});
