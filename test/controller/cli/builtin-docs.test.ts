/** docs/playbooks-builtin.md: role docs from defaults/main.yml comments, the roles of each playbook, and the page kept current. */
import { readFileSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { builtinsDoc, renderBuiltinsDoc, roleDoc, rolesOf } from '../../../controller/cli/builtin-docs.js';

const page = new URL('../../../docs/playbooks-builtin.md', import.meta.url);

t.test('roleDoc: the opening comment, then a comment per variable', async (t) => {
  const text = [
    '# demo: does a thing.',
    '# On two lines.',
    '',
    '# where it goes',
    'demo_dir: /opt/demo',
    'demo_users: []   # who may use it',
    '# off by default',
    'demo_on: false',
    'demo_plain: ""',
    '',
  ].join('\n');
  t.same(roleDoc('demo', text), {
    name: 'demo',
    about: 'demo: does a thing.\nOn two lines.',
    vars: [
      { name: 'demo_dir', default: '/opt/demo', doc: 'where it goes' },
      { name: 'demo_users', default: [], doc: 'who may use it' },
      { name: 'demo_on', default: false, doc: 'off by default' },
      { name: 'demo_plain', default: '', doc: '' },
    ],
  });
  t.same(
    roleDoc('x', '# only a header\nx_a: 1\n'),
    { name: 'x', about: 'only a header', vars: [{ name: 'x_a', default: 1, doc: '' }] },
    'no blank line: the block is the header',
  );
  t.same(roleDoc('x', ''), { name: 'x', about: '', vars: [] });
});

t.test('rolesOf: roles lists and role includes, once each', async (t) => {
  const text = `# all\n- hosts: all\n  roles: [base, { role: docker }]\n- hosts: pis\n  tasks:\n    - include_role: { name: pi }\n    - ansible.builtin.import_role:\n        name: base\n`;
  t.same(rolesOf(text), ['base', 'docker', 'pi']);
  t.same(rolesOf('- hosts: all\n  tasks: []\n'), []);
});

t.test('renderBuiltinsDoc', async (t) => {
  const doc = renderBuiltinsDoc(
    [{ name: 'site', summary: 'Every | role.', roles: ['base'] }],
    [
      {
        name: 'base',
        about: 'Base things.',
        vars: [
          { name: 'base_tz', default: 'Etc/UTC', doc: 'the zone' },
          { name: 'base_keys', default: [], doc: '' },
        ],
      },
      { name: 'empty', about: '', vars: [] },
    ],
  );
  t.match(doc, /^# Builtin playbooks\n/);
  t.match(doc, /\| `site` \| Every \\\| role\. \| \[base\]\(#base\) \|\n/);
  t.match(
    doc,
    /## base\n\nBase things\.\n\n\| variable \| default \| meaning \|\n\|---\|---\|---\|\n\| `base_tz` \| `Etc\/UTC` \| the zone \|\n\| `base_keys` \| `\[\]` \|  \|\n/,
  );
  t.match(doc, /## empty\n\n\(no description\)\n\nNo variables\.\n$/);
});

t.test('docs/playbooks-builtin.md is up to date with playbooks/', async (t) => {
  const want = builtinsDoc();
  // MUSTER_WRITE_DOCS=1 rewrites the page (after changing a playbook or a role's defaults) instead of failing.
  if (process.env.MUSTER_WRITE_DOCS === '1') writeFileSync(page, want);
  let have = '';
  try {
    have = readFileSync(page, 'utf8');
  } catch {
    // missing: the comparison below fails with the hint
  }
  t.equal(have, want, 'docs/playbooks-builtin.md differs: run MUSTER_WRITE_DOCS=1 npx tap test/controller/cli/builtin-docs.test.ts');
});
