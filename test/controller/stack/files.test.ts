/** Top-level secrets and configs and a service's references to them, read into the stack model. */
import t from 'tap';
import { createHash } from 'node:crypto';
import { errorOf, stackOf, svc, where } from './harness.js';

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
