import t from 'tap';
import { join } from 'node:path';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import { roleEntry } from '../../../controller/playbook/role-entry.js';
import { fakeOptions } from './fakes.js';
import { flat, names, role, site } from './role-fixtures.js';

t.test('a galaxy-style dependency ({src: ..., version: ...}) is the role its source names', async (t) => {
  const dir = t.testdir({
    ...site('[app]'),
    roles: {
      app: role(
        'app',
        'dependencies:\n  - src: https://example.org/team/ansible-role-base.git,v1.2\n    version: v1.2\n    base_port: 1\n  - {src: acme.tools}\n',
      ),
      'ansible-role-base': role('base'),
      'acme.tools': role('tools'),
    },
  });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays;
  t.same(names(play.tasks), ['ansible-role-base : base task', 'acme.tools : tools task', 'app : app task']);
  t.same(flat(play.tasks)[0].roleParams, { base_port: 1 }, 'src and version are not parameters');
});

t.test('an entry is a name, or a mapping whose role: (or name:, or src:) names the role; other keys are parameters', async (t) => {
  const entry = (item: unknown) => roleEntry(item, [item], 0);
  t.match(entry('web'), { name: 'web', params: {}, listed: undefined });
  t.match(entry({ role: 'web', port: 80, tags: ['x'], vars: { a: 1 } }), { name: 'web', params: { port: 80 }, vars: { a: 1 }, listed: true });
  t.match(entry({ name: 'web', port: 80 }), { name: 'web', params: { port: 80 } }, 'name: is the role when there is no role:');
  t.match(entry({ role: 'web', name: 'other' }), { name: 'web', params: {} }, 'role: wins over name:');
  t.match(entry({ src: 'https://example.org/team/ansible-role-db.git,v2', version: 'v2', scm: 'git' }), { name: 'ansible-role-db', params: {} });
  t.match(entry({ src: 'git@example.org:team/db.tar.gz' }), { name: 'db' }, 'an scp-like source and an archive name');
  t.match(entry({ src: 'acme.db' }), { name: 'acme.db' }, 'a galaxy name stays as written');
  t.throws(() => entry(3), { code: 'E_SCHEMA', message: /a roles entry must be a role name or a mapping with role:, got/ });
  t.throws(() => entry({ role: 3 }), { code: 'E_SCHEMA', message: /needs "role: NAME"/ });
  t.throws(() => entry('{{ r }}'), { code: 'E_SCHEMA', message: /templated role names are not supported yet/ });
});
