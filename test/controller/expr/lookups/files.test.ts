import t from 'tap';
import { evalExpr } from '../../../../controller/expr/index.js';
import { withLookupIO } from '../../../../controller/expr/lookups/index.js';
import { MusterError } from '../../../../shared/errors.js';
import { fakeIO } from './fake-io.js';

const tree = {
  '/play/files/motd.txt': 'hello\n\n',
  '/play/roles/web/files/motd.txt': 'role motd\n',
  '/play/plain.txt': '  padded  \n',
  '/play/templates/site.j2': 'site {{ name }}\n',
  '/play/vars/Debian.yml': 'a: 1\n',
  '/play/vars/default.yml': 'a: 0\n',
  '/play/files/conf.d/a.conf': 'a',
  '/play/files/conf.d/b.conf': 'b',
  '/play/files/conf.d/.hidden.conf': 'h',
  '/play/files/conf.d/c.txt': 'c',
};
const where = { host: 'h1', task: 'lookups' };
const run = (cmd: string) =>
  cmd === 'echo hi'
    ? { rc: 0, stdout: 'hi\n', stderr: '' }
    : cmd === 'printf "a\\nb\\n"'
      ? { rc: 0, stdout: 'a\nb\n', stderr: '' }
      : { rc: 2, stdout: '', stderr: 'boom' };
const vars = () => withLookupIO({ name: 'web1', os: 'Debian' }, fakeIO(tree, { env: { HOME: '/home/me' }, run }));

const cases: [string, unknown][] = [
  // the role's files/ come first in the search path, then the playbook's
  ["lookup('file', 'motd.txt')", 'role motd'],
  ["lookup('file', '/play/files/motd.txt')", 'hello'],
  ["lookup('file', '/play/files/motd.txt', rstrip=False)", 'hello\n\n'],
  ["lookup('file', 'plain.txt', lstrip=True)", 'padded'],
  ["q('file', 'motd.txt', 'plain.txt')", ['role motd', '  padded']],
  ["lookup('ansible.builtin.template', 'site.j2')", 'site web1\n'],
  ["lookup('template', 'site.j2', template_vars={'name': 'other'})", 'site other\n'],
  ["lookup('env', 'HOME')", '/home/me'],
  ["lookup('env', 'NOPE')", ''],
  ["lookup('env', 'NOPE', default='d')", 'd'],
  ["lookup('first_found', 'missing.yml', 'vars/' ~ os ~ '.yml')", '/play/vars/Debian.yml'],
  ["lookup('first_found', {'files': [os ~ '.yml', 'default.yml'], 'paths': ['vars']})", '/play/vars/Debian.yml'],
  ["lookup('first_found', {'files': 'RedHat.yml,default.yml', 'paths': 'vars'})", '/play/vars/default.yml'],
  ["lookup('first_found', files=['RedHat.yml', 'default.yml'], paths=['vars'])", '/play/vars/default.yml'],
  ["q('first_found', 'missing.yml', skip=True)", []],
  ["q('first_found', {'files': ['missing.yml'], 'skip': True})", []],
  ["q('fileglob', 'conf.d/*.conf')", ['/play/files/conf.d/a.conf', '/play/files/conf.d/b.conf']],
  ["q('fileglob', 'conf.d/[ab].*')", ['/play/files/conf.d/a.conf', '/play/files/conf.d/b.conf']],
  ["q('fileglob', 'conf.d/?.txt')", ['/play/files/conf.d/c.txt']],
  ["q('fileglob', '*.txt')", ['/play/roles/web/files/motd.txt']],
  ["q('fileglob', 'nothing/*')", []],
  ["lookup('pipe', 'echo hi')", 'hi'],
  ["q('lines', 'printf \"a\\\\nb\\\\n\"')", ['a', 'b']],
  ["lookup('pipe', 'false', errors='ignore')", null],
  ["query('inventory_hostnames', 'db:web')", ['web1', 'web2', 'db1']],
  ["query('inventory_hostnames', 'db', 'web1')", ['web1', 'db1']],
  ["lookup('inventory_hostnames', 'web')", 'web1,web2'],
];

for (const [src, want] of cases) {
  t.test(src, async (t) => t.same(evalExpr(src, vars(), where), want));
}

const errors: [string, RegExp][] = [
  ["lookup('file', 'nope.txt')", /lookup\('file'\): could not find the file "nope.txt"/],
  ["lookup('template', 'nope.j2')", /could not find the template "nope.j2"/],
  ["lookup('first_found', 'a.yml', 'b.yml')", /no file was found/],
  ["lookup('pipe', 'false')", /pipe\(false\) returned 2: boom/],
  ["lookup('first_found', {'file': 'x'})", /unknown key "file"/],
  ["lookup('template', 'site.j2', variable_start_string='[[')", /variable_start_string is not supported/],
  ["query('inventory_hostnames', '[[')", /lookup\('inventory_hostnames'\): malformed pattern/],
];
for (const [src, re] of errors) {
  t.test(`fails: ${src}`, async (t) => {
    const e = failure(() => evalExpr(src, vars(), where));
    t.equal(e.code, 'E_EXPR');
    t.match(e.message, re);
  });
}

t.test('a failing lookup with errors=warn warns once and gives none', async (t) => {
  const io = fakeIO(tree);
  t.equal(evalExpr("lookup('file', 'nope', errors='warn')", withLookupIO({}, io), where), null);
  t.equal(io.warnings.length, 1);
  t.match(io.warnings[0], /lookup\('file'\) failed and errors='warn': .*could not find the file "nope"/);
});

t.test('the file lookup hint lists where it looked', async (t) => {
  const e = failure(() => evalExpr("lookup('file', 'nope.txt')", vars(), where));
  t.match(e.hint, '/play/roles/web/files/nope.txt, /play/roles/web/nope.txt, /play/files/nope.txt, /play/nope.txt');
});

function failure(f: () => unknown): MusterError {
  try {
    f();
  } catch (e) {
    if (e instanceof MusterError) return e;
    throw e;
  }
  throw new Error('expected an error');
}
