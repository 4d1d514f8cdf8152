/** loadStack on real files: the example stack, .env and the environment, the stack name, side files, YAML errors. */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStack } from '../../../controller/stack/load.js';
import { errorOf, where } from './harness.js';

const bases = new WeakMap<object, string>();

/** A directory `name` under the test's own dir holding the given files; returns the path of stack.yml in it. */
function dirWith(t: { testdir: () => string }, name: string, files: Record<string, string>): string {
  if (!bases.has(t)) bases.set(t, t.testdir());
  const dir = join(bases.get(t) as string, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return join(dir, 'stack.yml');
}

t.test('examples/stacks/home.yml loads: global, replicated, constrained, device, volume, secret', async (t) => {
  const s = loadStack('examples/stacks/home.yml', { env: {} });
  t.equal(s.name, 'home');
  t.same(s.warnings, []);
  t.same(
    s.services.map((x) => [x.name, x.deploy.mode, x.deploy.replicas]),
    [
      ['db', 'replicated', 1],
      ['node-exporter', 'global', 1],
      ['web', 'replicated', 3],
      ['zigbee2mqtt', 'replicated', 1],
    ],
  );
  const [db, exporter, web, zigbee] = s.services;
  t.equal(web.deploy.limits.memoryBytes, 64 * 2 ** 20);
  t.equal(web.image, 'nginx:1.27-alpine', 'the default of ${WEB_IMAGE:-...}');
  t.same(web.deploy.spread, ['node.labels.zone']);
  t.equal(web.deploy.update.order, 'start-first');
  t.same(web.ports, [{ target: 80, published: 8080, protocol: 'tcp' }]);
  t.same(
    db.deploy.constraints.map((c) => c.text),
    ['node.labels.disk == ssd'],
  );
  t.same(db.mounts, [{ type: 'volume', source: 'home_db-data', target: '/var/lib/postgresql/data' }]);
  t.same(db.secrets, [{ source: 'db_password', target: '/run/secrets/db_password', mode: 0o444 }]);
  t.ok(s.secrets.db_password.content.length > 0);
  t.same(zigbee.devices, [{ host: '/dev/ttyUSB0', container: '/dev/ttyACM0' }]);
  t.equal(exporter.deploy.limits.cpus, 0.25);
  t.equal(exporter.logging?.options['max-file'], '3', 'the YAML anchor and alias');
  t.same(Object.keys(s.volumes), ['db-data', 'z2m-data']);
  t.equal(loadStack('examples/stacks/home.yml', { env: { WEB_IMAGE: 'me/web:2' } }).services[2].image, 'me/web:2');
});

t.test('.env beside the file; the process environment wins; it interpolates', async (t) => {
  const path = dirWith(t, 'app', {
    'stack.yml': 'services:\n  web:\n    image: "web:${TAG}"\n    environment:\n      - MODE=${MODE}\n      - FROM_DOTENV\n',
    '.env': '# settings\nTAG=1.0\nMODE=dev\nFROM_DOTENV="a b"\n',
  });
  const s = loadStack(path, { env: { MODE: 'prod', HOME: '/home/x' } });
  t.equal(s.services[0].image, 'web:1.0');
  t.same(s.services[0].env, { MODE: 'prod', FROM_DOTENV: 'a b' }, 'the process wins; a bare name reads .env too');
  t.same(s.warnings, []);
  const unset = loadStack(path, { env: { TAG: undefined } });
  t.equal(unset.services[0].image, 'web:1.0', 'an undefined process variable does not hide .env');
  const bad = dirWith(t, 'bad', { 'stack.yml': 'services:\n  w:\n    image: x\n', '.env': 'A=1\nB C\n' });
  const e = errorOf(() => loadStack(bad, { env: {} }));
  t.equal(e.code, 'E_SCHEMA');
  t.match(where(e), /bad\/\.env:2:2$/);
});

t.test('unset variables warn once, as docker compose does', async (t) => {
  const path = dirWith(t, 'w', { 'stack.yml': 'services:\n  web:\n    image: "web${TAG}"\n    labels: [v=$TAG]\n' });
  const s = loadStack(path, { env: {} });
  t.equal(s.services[0].image, 'web');
  t.same(s.services[0].labels, { v: '' });
  const empty = errorOf(() => loadStack(dirWith(t, 'e', { 'stack.yml': 'services:\n  web:\n    image: "web:${TAG}"\n' }), { env: {} }));
  t.match(empty.message, /"web:" is not an image reference: "" is not a tag/, 'an empty tag is caught at load time');
  t.same(
    s.warnings.map((w) => w.message),
    ['The "TAG" variable is not set. Defaulting to a blank string.'],
  );
  t.match(
    where(errorOf(() => loadStack(dirWith(t, 'r', { 'stack.yml': 'services:\n  web:\n    image: "${IMG:?name the image}"\n' }), { env: {} }))),
    /stack\.yml:3:12$/,
  );
});

t.test('the stack name: --name, else name:, else the directory name lower-cased', async (t) => {
  const path = dirWith(t, 'My-Stack', { 'stack.yml': 'services:\n  w:\n    image: x\n' });
  t.equal(loadStack(path, { env: {} }).name, 'my-stack');
  t.equal(loadStack(path, { env: {}, name: 'other' }).name, 'other');
  const named = dirWith(t, 'n', { 'stack.yml': 'name: ${PROJECT:-media}\nservices:\n  w:\n    image: x\n' });
  t.equal(loadStack(named, { env: {} }).name, 'media');
  t.equal(loadStack(named, { env: { PROJECT: 'films' } }).name, 'films', 'name: is interpolated');
  t.equal(loadStack(named, { env: {}, name: 'given' }).name, 'given');
  const badName = errorOf(() => loadStack(named, { env: { PROJECT: 'Films' } }));
  t.equal(badName.message, 'stack name "Films" (from name:) is not valid');
  t.match(where(badName), /n\/stack\.yml:1:7$/);
  t.match(badName.hint, /--name NAME/);
  t.match(errorOf(() => loadStack(path, { env: {}, name: '_x' })).message, /stack name "_x" \(from --name\) is not valid/);
  const dotted = dirWith(t, 'my.stack', { 'stack.yml': 'services:\n  w:\n    image: x\n' });
  t.match(errorOf(() => loadStack(dotted, { env: {} })).message, /stack name "my\.stack" \(from the directory name of .*\) is not valid/);
  t.equal(loadStack(dirWith(t, 'x', { 'stack.yml': 'name: a0_b-c\nservices:\n  w:\n    image: x\n' }), { env: {} }).name, 'a0_b-c');
});

t.test('YAML as Compose reads it: unquoted 22:22 is a port string, yes a string; errors are E_YAML with a position', async (t) => {
  const path = dirWith(t, 'y', {
    'stack.yml': 'services:\n  ssh:\n    image: x\n    ports:\n      - 22:22\n      - 2222:22\n    environment:\n      ON: yes\n',
  });
  const s = loadStack(path, { env: {} });
  t.same(
    s.services[0].ports.map((p) => [p.published, p.target]),
    [
      [22, 22],
      [2222, 22],
    ],
  );
  t.same(s.services[0].env, { ON: 'yes' });
  const broken = errorOf(() => loadStack(dirWith(t, 'b', { 'stack.yml': 'services:\n  w:\n    image: x\n   bad: indent\n' }), { env: {} }));
  t.equal(broken.code, 'E_YAML');
  t.match(where(broken), /b\/stack\.yml:4:\d+$/);
  const dup = errorOf(() => loadStack(dirWith(t, 'd', { 'stack.yml': 'services:\n  w:\n    image: x\n    image: y\n' }), { env: {} }));
  t.equal(dup.code, 'E_YAML');
  t.match(where(dup), /d\/stack\.yml:4:5$/);
});

t.test('side files relative to the stack file; a missing stack file is E_FILE', async (t) => {
  const path = dirWith(t, 's', {
    'stack.yml': 'services:\n  w:\n    image: x\n    env_file: conf/app.env\n    secrets: [pw]\nsecrets:\n  pw:\n    file: ./conf/pw.txt\n',
    'conf/app.env': 'A=1\n',
    'conf/pw.txt': 'secret',
  });
  const s = loadStack(path, { env: {} });
  t.same(s.services[0].env, { A: '1' });
  t.equal(s.secrets.pw.content.toString(), 'secret');
  const missing = errorOf(() => loadStack(join(dirWith(t, 'empty', {}), '..', 'nope.yml'), { env: {} }));
  t.equal(missing.code, 'E_FILE');
  t.match(missing.message, /nope\.yml: no such file/);
  const dirSecret = dirWith(t, 'ds', { 'stack.yml': 'services:\n  w:\n    image: x\nsecrets:\n  pw:\n    file: ./conf\n', 'conf/x': '' });
  const isDir = errorOf(() => loadStack(dirSecret, { env: {} }));
  t.match(isDir.message, /conf: is a directory/);
  t.equal(isDir.code, 'E_FILE');
  t.match(where(isDir), /ds\/stack\.yml:6:11$/, 'at the file: key');
});

t.test('strict turns the unsupported-keys warning into an error', async (t) => {
  const path = dirWith(t, 'st', { 'stack.yml': 'services:\n  w:\n    image: x\n    hostname: w1\n' });
  t.match(loadStack(path, { env: {} }).warnings[0].message, /services\.w\.hostname/);
  const e = errorOf(() => loadStack(path, { env: {}, strict: true }));
  t.equal(e.code, 'E_SCHEMA');
  t.match(where(e), /st\/stack\.yml:4:5$/);
});
