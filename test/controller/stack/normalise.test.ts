/** The stack model from a file: top level, each service key muster reads, unsupported keys, typos, all with positions. */
import t from 'tap';
import { createHash } from 'node:crypto';
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
    'services:\n  s:\n    image: x\n    container_name: s1\n    depends_on: [db]\n    sysctls:\n      a: 1\n  db:\n    image: pg\n    stop_grace_period: 1m\n';
  const s = stackOf(text);
  t.equal(s.warnings.length, 1);
  t.equal(
    s.warnings[0].message,
    [
      'ignoring keys muster does not support:',
      '  services.db.stop_grace_period (stack.yml:10:5)',
      '  services.s.container_name (stack.yml:4:5): replicas are named <stack>_<service>.<slot>.<hash>',
      '  services.s.depends_on (stack.yml:5:5): muster starts services in no particular order, as docker stack deploy does',
      '  services.s.sysctls (stack.yml:6:5)',
    ].join('\n'),
  );
  t.same(s.warnings[0].pos, { file: 'stack.yml', line: 10, col: 5 });
  const strict = errorOf(() => stackOf(text, { strict: true }));
  t.equal(strict.code, 'E_SCHEMA');
  t.match(strict.message, /^keys muster does not support \(refused with --strict\):\n {2}services\.db\.stop_grace_period \(stack\.yml:10:5\)/);
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

t.test('environment: map or list, env_file first, null and bare names from the environment', async (t) => {
  const env = { FROM_ENV: 'e', EMPTY: '' };
  t.same(svc('image: x\nenvironment:\n  A: 1\n  B: "two"\n  C: true\n  D:\n  FROM_ENV:\n  E: ""', { env }).env, {
    A: '1',
    B: 'two',
    C: 'true',
    FROM_ENV: 'e',
    E: '',
  });
  t.same(svc('image: x\nenvironment:\n  - A=1\n  - B=x=y\n  - C=\n  - FROM_ENV\n  - NOT_SET\n  - EMPTY', { env }).env, {
    A: '1',
    B: 'x=y',
    C: '',
    FROM_ENV: 'e',
    EMPTY: '',
  });
  t.same(svc('image: x\nenvironment:\n  - DEBUG=yes\n  - N=010').env, { DEBUG: 'yes', N: '010' }, 'list values are strings as written');
  t.same(
    svc('image: x\nenvironment:\n  DEBUG: yes\n  PORT: 0080\n  MODE: 0755').env,
    { DEBUG: 'yes', PORT: '80', MODE: '493' },
    'as yaml.v3 reads them: yes a string, 0755 octal',
  );
  const bad = errorOf(() => svc('image: x\nenvironment:\n  - =x'));
  t.equal(where(bad), 'stack.yml:5:9');
  const files = { '/srv/stacks/home/app.env': 'A=file\nB=file\n# c\nREF=${FROM_ENV}', '/srv/stacks/common.env': 'Z=z' };
  const s = svc('image: x\nenv_file:\n  - app.env\n  - ../common.env\nenvironment:\n  B: env', { env, files });
  t.same(s.env, { A: 'file', B: 'env', REF: 'e', Z: 'z' }, 'environment over env_file; env_file interpolated');
  t.same(svc('image: x\nenv_file: app.env', { files }).env.A, 'file', 'a single path');
  const missing = errorOf(() => svc('image: x\nenv_file:\n  - app.env\n  - nope.env', { files }));
  t.equal(missing.code, 'E_FILE');
  t.equal(missing.message, 'services.s.env_file[1]: cannot read env file nope.env: no such file');
  t.equal(where(missing), 'stack.yml:6:9');
  t.same(
    svc('image: x\nenv_file:\n  - path: nope.env\n    required: false\n  - path: app.env', { files }).env.A,
    'file',
    'required: false skips a missing file',
  );
  const badLine = errorOf(() => svc('image: x\nenv_file: bad.env', { files: { '/srv/stacks/home/bad.env': 'A=1\nwhat is this\n' } }));
  t.equal(where(badLine), 'bad.env:2:5', 'an error inside an env file points into it');
});

t.test('labels: map or list', async (t) => {
  t.same(svc('image: x\nlabels:\n  a.b: c\n  n: 1').labels, { 'a.b': 'c', n: '1' });
  t.same(svc('image: x\nlabels:\n  - a.b=c\n  - flag').labels, { 'a.b': 'c', flag: '' });
  t.equal(where(errorOf(() => svc('image: x\nlabels:\n  - =v'))), 'stack.yml:5:9');
  t.equal(where(errorOf(() => svc('image: x\nlabels: oops'))), 'stack.yml:4:13');
});

t.test('healthcheck', async (t) => {
  t.same(
    svc('image: x\nhealthcheck:\n  test: ["CMD", "curl", "-f", "http://localhost"]\n  interval: 1m30s\n  timeout: 500ms\n  retries: 3\n  start_period: 0s')
      .healthcheck,
    {
      test: ['CMD', 'curl', '-f', 'http://localhost'],
      intervalS: 90,
      timeoutS: 0.5,
      retries: 3,
      startPeriodS: 0,
    },
  );
  t.same(svc('image: x\nhealthcheck:\n  test: curl -f http://localhost || exit 1').healthcheck, { test: ['CMD-SHELL', 'curl -f http://localhost || exit 1'] });
  t.same(svc('image: x\nhealthcheck:\n  test: ["CMD-SHELL", "pg_isready"]').healthcheck, { test: ['CMD-SHELL', 'pg_isready'] });
  t.same(svc('image: x\nhealthcheck:\n  disable: true').healthcheck, { test: ['NONE'] });
  t.same(svc('image: x\nhealthcheck:\n  test: ["NONE"]\n  interval: 5s').healthcheck, { test: ['NONE'] });
  t.same(svc('image: x\nhealthcheck:\n  test: NONE').healthcheck, { test: ['NONE'] });
  t.equal(svc('image: x\nhealthcheck:\n  test: x\n  interval: 1ms').healthcheck?.intervalS, 0.001, 'the 1ms floor itself');
  t.equal(where(errorOf(() => svc('image: x\nhealthcheck:\n  test: x\n  interval: 999us'))), 'stack.yml:6:17', 'under 1ms');
  t.equal(where(errorOf(() => svc('image: x\nhealthcheck:\n  test: x\n  timeout: 0s'))), 'stack.yml:6:16');
  t.equal(where(errorOf(() => svc('image: x\nhealthcheck:\n  test: x\n  interval: 30'))), 'stack.yml:6:17', 'no unit');
  const first = errorOf(() => svc('image: x\nhealthcheck:\n  test: ["curl", "-f", "x"]'));
  t.match(first.message, /a test list starts with CMD, CMD-SHELL or NONE, not "curl"/);
  t.equal(where(first), 'stack.yml:5:13');
  t.match(errorOf(() => svc('image: x\nhealthcheck:\n  interval: 5s')).message, /a healthcheck needs a test/);
  t.match(errorOf(() => svc('image: x\nhealthcheck:\n  test: ["CMD"]')).message, /CMD needs the command after it/);
  t.match(stackOf('services:\n  s:\n    image: x\n    healthcheck:\n      test: x\n      start_interval: 1s\n').warnings[0].message, /start_interval/);
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

t.test('devices', async (t) => {
  t.same(svc('image: x\ndevices:\n  - /dev/ttyUSB0\n  - /dev/a:/dev/b\n  - /dev/c:/dev/d:rw\n  - /dev/e:r\n  - source: /dev/f\n    permissions: rwm').devices, [
    { host: '/dev/ttyUSB0', container: '/dev/ttyUSB0' },
    { host: '/dev/a', container: '/dev/b' },
    { host: '/dev/c', container: '/dev/d', permissions: 'rw' },
    { host: '/dev/e', container: '/dev/e', permissions: 'r' },
    { host: '/dev/f', container: '/dev/f', permissions: 'rwm' },
  ]);
  const bad: [string, RegExp, string][] = [
    ['- ttyUSB0', /device path "ttyUSB0" is not absolute/, 'stack.yml:5:9'],
    ['- /dev/a:/dev/b:rx', /"rx" are not device permissions/, 'stack.yml:5:9'],
    ['- /dev/a:/dev/b:rww', /"rww" are not device permissions/, 'stack.yml:5:9'],
    ['- /dev/a:/dev/b:r:x', /is not HOST\[:CONTAINER\[:PERMISSIONS\]\]/, 'stack.yml:5:9'],
    ['- nvidia.com/gpu=all', /CDI device name/, 'stack.yml:5:9'],
    ['- source: /dev/a\n    target: b', /device path "b" is not absolute/, 'stack.yml:6:17'],
  ];
  for (const [body, message, pos] of bad) {
    const e = errorOf(() => svc(`image: x\ndevices:\n  ${body}`));
    t.match(e.message, message);
    t.equal(where(e), pos, body);
  }
});

t.test('extra_hosts: list with : or =, mapping; IPv6; host-gateway', async (t) => {
  t.same(svc('image: x\nextra_hosts:\n  - "nas:192.168.1.10"\n  - printer=10.0.0.5\n  - "v6=::1"\n  - "v6b:[fe80::1]"\n  - "gw:host-gateway"').extraHosts, [
    'nas:192.168.1.10',
    'printer:10.0.0.5',
    'v6:::1',
    'v6b:fe80::1',
    'gw:host-gateway',
  ]);
  t.same(svc('image: x\nextra_hosts:\n  nas: 192.168.1.10\n  multi: ["10.0.0.1", "10.0.0.2"]').extraHosts, [
    'nas:192.168.1.10',
    'multi:10.0.0.1',
    'multi:10.0.0.2',
  ]);
  t.equal(where(errorOf(() => svc('image: x\nextra_hosts:\n  - nas'))), 'stack.yml:5:9');
  t.equal(where(errorOf(() => svc('image: x\nextra_hosts:\n  - nas=not-an-ip'))), 'stack.yml:5:9');
  t.equal(where(errorOf(() => svc('image: x\nextra_hosts:\n  nas: 999.1.1.1'))), 'stack.yml:5:12');
});

t.test('networks: declared ones with aliases; undeclared refused; network_mode', async (t) => {
  const top = 'networks:\n  front:\n  back:\n    labels: [tier=back]\n  outside:\n    external: true\n    name: proxy\n';
  const s = stackOf(
    `services:\n  a:\n    image: x\n    networks: [front, back]\n  b:\n    image: x\n    networks:\n      back:\n        aliases: [db, store]\n      outside:\n${top}`,
  );
  t.same(s.services[0].networks, [
    { key: 'front', aliases: [] },
    { key: 'back', aliases: [] },
  ]);
  t.same(s.services[1].networks, [
    { key: 'back', aliases: ['db', 'store'] },
    { key: 'outside', aliases: [] },
  ]);
  t.same(s.networks, {
    front: { name: 'home_front', external: false, labels: {} },
    back: { name: 'home_back', external: false, labels: { tier: 'back' } },
    outside: { name: 'proxy', external: true, labels: {} },
  });
  t.notOk('default' in s.networks, 'no default network when no service uses it');
  const undeclared = errorOf(() => svc('image: x\nnetworks: [frnt]', { top }));
  t.equal(undeclared.message, 'services.s.networks[0]: refers to undefined network frnt (did you mean "front"?)');
  t.equal(where(undeclared), 'stack.yml:4:16');
  t.equal(where(errorOf(() => svc('image: x\nnetworks:\n  nope: {}', { top }))), 'stack.yml:5:13');
  t.same(svc('image: x\nnetworks: [default]').networks, [{ key: 'default', aliases: [] }], 'default needs no declaration');
  const host = svc('image: x\nnetwork_mode: host');
  t.same([host.networkMode, host.networks], ['host', []]);
  t.equal(svc('image: x\nnetwork_mode: none').networkMode, 'none');
  t.equal(svc('image: x\nnetwork_mode: bridge').networkMode, 'bridge');
  const svcMode = errorOf(() => svc('image: x\nnetwork_mode: "service:db"'));
  t.equal(svcMode.message, 'services.s.network_mode: network_mode "service:db" is not supported');
  t.equal(where(svcMode), 'stack.yml:4:19');
  t.match(svcMode.hint, /service name/);
  t.match(errorOf(() => svc('image: x\nnetwork_mode: hots')).message, /did you mean "host"/);
  t.equal(
    errorOf(() => svc('image: x\nnetwork_mode: host\nnetworks: [front]', { top })).message,
    'services.s.networks: network_mode and networks cannot be combined',
  );
  const ported = stackOf('services:\n  s:\n    image: x\n    network_mode: host\n    ports: ["80:80"]\n');
  t.match(ported.warnings[0].message, /services\.s\.ports: not mapped with network_mode: host/);
  t.same(ported.services[0].ports, [{ target: 80, published: 80, protocol: 'tcp' }], 'kept for the scheduler');
  const ipv4 = stackOf(`services:\n  s:\n    image: x\n    networks:\n      front:\n        ipv4_address: 10.0.0.2\n${top}`);
  t.match(ipv4.warnings[0].message, /services\.s\.networks\.front\.ipv4_address \(stack\.yml:6:9\)/);
  const driver = stackOf('services:\n  s:\n    image: x\nnetworks:\n  n:\n    driver: macvlan\n  o:\n    driver: overlay\n    attachable: true\n');
  t.same(driver.warnings, [
    { message: 'networks.n.driver: muster makes a bridge network on each node; driver "macvlan" is not used', pos: { file: 'stack.yml', line: 6, col: 13 } },
  ]);
});

t.test('secrets and configs: file, environment, content; references short and long', async (t) => {
  const files = { '/srv/stacks/home/secrets/db.txt': 'hunter2\n', '/srv/stacks/home/nginx.conf': 'server {}\n' };
  const s = stackOf(
    'services:\n  s:\n    image: x\n    secrets:\n      - db\n      - source: token\n        target: api_token\n        uid: "1000"\n        gid: 1000\n        mode: 0440\n    configs:\n      - nginx\n      - source: motd\n        target: /etc/motd\n        mode: "0644"\nsecrets:\n  db:\n    file: ./secrets/db.txt\n  token:\n    environment: API_TOKEN\nconfigs:\n  nginx:\n    file: nginx.conf\n  motd:\n    content: hello ${WHO}\n',
    { files, env: { API_TOKEN: 't0k', WHO: 'pi' } },
  );
  const sha = (x: string) => createHash('sha256').update(x).digest('hex');
  t.same(s.secrets.db, { key: 'db', digest: sha('hunter2\n'), pos: { file: 'stack.yml', line: 18, col: 5 } });
  t.equal(s.secrets.db.content.toString(), 'hunter2\n');
  t.notMatch(JSON.stringify(s), /hunter2|104,117,110/, 'a secret does not print with the stack');
  t.notMatch(JSON.stringify(s.secrets), /t0k|116,48,107/);
  t.match(JSON.stringify(s.configs.motd), /"content"/, 'a config does');
  t.same(s.secrets.token.content.toString(), 't0k');
  t.same(s.configs.motd.content.toString(), 'hello pi', 'content is interpolated');
  t.equal(s.configs.nginx.digest, sha('server {}\n'));
  t.same(s.services[0].secrets, [
    { source: 'db', target: '/run/secrets/db' },
    { source: 'token', target: '/run/secrets/api_token', uid: 1000, gid: 1000, mode: 0o440 },
  ]);
  t.same(s.services[0].configs, [
    { source: 'nginx', target: '/nginx' },
    { source: 'motd', target: '/etc/motd', mode: 0o644 },
  ]);
  const external = errorOf(() => stackOf('services:\n  s:\n    image: x\nsecrets:\n  a:\n    external: true\n'));
  t.equal(external.message, 'secrets.a.external: external secrets are not supported: muster has no secret store outside stack files');
  t.equal(where(external), 'stack.yml:6:15');
  t.match(external.hint, /file:/);
  const missing = errorOf(() => stackOf('services:\n  s:\n    image: x\nsecrets:\n  a:\n    file: nope.txt\n'));
  t.equal(missing.code, 'E_FILE');
  t.equal(where(missing), 'stack.yml:6:11');
  t.match(missing.hint, /\/srv\/stacks\/home\/nope\.txt/);
  t.equal(where(errorOf(() => stackOf('services:\n  s:\n    image: x\nsecrets:\n  a:\n    environment: NOPE\n'))), 'stack.yml:6:18');
  t.match(errorOf(() => stackOf('services:\n  s:\n    image: x\nsecrets:\n  a: {}\n')).message, /secret a has no content/);
  t.match(errorOf(() => stackOf('services:\n  s:\n    image: x\nsecrets:\n  a:\n    content: x\n')).message, /unknown key secrets\.a\.content/);
  t.match(
    errorOf(() => stackOf('services:\n  s:\n    image: x\nconfigs:\n  a:\n    content: x\n    environment: Y\n')).message,
    /config a has environment and content: pick one/,
  );
  const undeclared = errorOf(() => svc('image: x\nsecrets: [nope]'));
  t.equal(undeclared.message, 'services.s.secrets[0]: refers to undefined secret nope');
  t.equal(where(undeclared), 'stack.yml:4:15');
  const top = 'secrets:\n  a:\n    environment: A\n  b:\n    environment: A\n';
  t.equal(
    where(errorOf(() => svc('image: x\nsecrets:\n  - a\n  - source: b\n    target: a', { top, env: { A: '1' } }))),
    'stack.yml:6:9',
    'two secrets on one target',
  );
  t.equal(where(errorOf(() => svc('image: x\nsecrets:\n  - source: a\n    mode: 0800', { top, env: { A: '1' } }))), 'stack.yml:6:15', '0800 is no octal mode');
  t.equal(svc('image: x\nsecrets:\n  - source: a\n    mode: 0777', { top, env: { A: '1' } }).secrets[0].mode, 0o777);
  t.equal(where(errorOf(() => svc('image: x\nsecrets:\n  - source: a\n    uid: -1', { top, env: { A: '1' } }))), 'stack.yml:6:14');
});

t.test('expose is read and checked, and changes nothing', async (t) => {
  t.same(svc('image: x\nexpose: ["80", 8080, "53/udp"]').ports, []);
  t.equal(where(errorOf(() => svc('image: x\nexpose: [http]'))), 'stack.yml:4:14');
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
