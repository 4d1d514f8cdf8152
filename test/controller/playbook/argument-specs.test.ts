import t from 'tap';
import { join } from 'node:path';
import { canonicalModuleName, getModule, moduleNames } from '../../../controller/modules/index.js';
import { type Lookups, loadPlaybookWith } from '../../../controller/playbook/loader.js';
import type { Task, TaskNode } from '../../../controller/playbook/types.js';
import { type Case, checkMalformed } from './malformed.js';

const real: Lookups = { modules: getModule, canonical: canonicalModuleName, moduleNames, rolesPath: [] };

function flat(nodes: TaskNode[]): Task[] {
  return nodes.flatMap((n) => (n.kind === 'block' ? [...flat(n.block), ...flat(n.rescue), ...flat(n.always)] : [n]));
}

const roles = {
  good: {
    meta: {
      'argument_specs.yml':
        'argument_specs:\n  main:\n    short_description: The good role\n    options:\n      app_port: {type: int, required: true}\n  other:\n    short_description: Other entry\n    options:\n      other_x: {type: str, required: true}\n',
    },
    tasks: { 'main.yml': '- name: show\n  debug: msg=main\n', 'other.yml': '- name: other show\n  debug: msg=other\n' },
  },
  nodesc: {
    meta: { 'argument_specs.yml': 'argument_specs:\n  main:\n    options:\n      name_x: {type: str}\n' },
    tasks: { 'main.yml': '- debug: msg=nodesc\n' },
  },
  metakey: {
    meta: { 'main.yml': 'dependencies: [dep]\nargument_specs:\n  main:\n    short_description: From meta main\n    options:\n      mk: {type: dict}\n' },
    tasks: { 'main.yml': '- debug: msg=metakey\n' },
  },
  dep: { meta: { 'argument_specs.yml': 'argument_specs:\n  main:\n    short_description: dep role\n' }, tasks: { 'main.yml': '- debug: msg=dep\n' } },
  // an argument_specs.yml without the key: no validation, and meta/main.yml's specs are not read
  emptyfile: {
    meta: { 'argument_specs.yml': '---\n', 'main.yml': 'argument_specs:\n  main: {short_description: unused}\n' },
    tasks: { 'main.yml': '- debug: msg=emptyfile\n' },
  },
};

t.test('the validation task comes first in each role with a spec for its entry point, as ansible-playbook --list-tasks shows', async (t) => {
  const site =
    '- hosts: all\n  roles:\n    - role: good\n      app_port: "8080"\n    - nodesc\n    - metakey\n    - emptyfile\n  tasks:\n    - import_role: {name: good, tasks_from: other}\n      vars: {other_x: hi}\n';
  const dir = t.testdir({ 'site.yml': site, roles });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), real).plays;
  const tasks = flat(play.tasks);
  // ansible-playbook 2.14 --list-tasks on the same files (the role prefix, then the name and tags)
  t.same(
    tasks.map((x) => `${x.role ? `${x.role} : ` : ''}${x.name}\tTAGS: [${x.tags.join(', ')}]`),
    [
      "good : Validating arguments against arg spec 'main' - The good role\tTAGS: [always]",
      'good : show\tTAGS: []',
      "nodesc : Validating arguments against arg spec 'main'\tTAGS: [always]",
      'nodesc : debug\tTAGS: []',
      "dep : Validating arguments against arg spec 'main' - dep role\tTAGS: [always]",
      'dep : debug\tTAGS: []',
      "metakey : Validating arguments against arg spec 'main' - From meta main\tTAGS: [always]",
      'metakey : debug\tTAGS: []',
      'emptyfile : debug\tTAGS: []',
      "good : Validating arguments against arg spec 'other' - Other entry\tTAGS: [always]",
      'good : other show\tTAGS: []',
    ],
  );
  const [first] = tasks;
  t.equal(first.module, 'validate_argument_spec');
  t.same(first.args.argument_spec, { app_port: { type: 'int', required: true } }, 'only the options go to the module');
  t.same(first.args.provided_arguments, { app_port: '8080' }, "a roles: entry's parameters are checked");
  t.match(first.args.validate_args_context, { type: 'role', name: 'good', argument_spec_name: 'main' });
  t.match(first.pos, { line: 2, col: 3 }, 'the task points at the entry point in argument_specs.yml');
  t.ok(first.pos.file.endsWith('roles/good/meta/argument_specs.yml'));
  const imported = tasks[9];
  t.same(imported.args.provided_arguments, {}, "import_role's vars are not role parameters");
});

t.test('no spec for the entry point (or an entry point without a spec): no validation task', async (t) => {
  const site = '- hosts: all\n  tasks:\n    - import_role: {name: nodesc, tasks_from: main}\n    - import_role: {name: good, tasks_from: extra}\n';
  const dir = t.testdir({
    'site.yml': site,
    roles: { ...roles, good: { ...roles.good, tasks: { ...roles.good.tasks, 'extra.yml': '- name: extra\n  debug: msg=x\n' } } },
  });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), real).plays;
  t.same(
    flat(play.tasks).map((x) => x.name),
    ["Validating arguments against arg spec 'main'", 'debug', 'extra'],
  );
});

const spec = (text: string) => ({
  'site.yml': '- hosts: all\n  roles: [r]\n',
  'roles/r/tasks/main.yml': '- debug: msg=x\n',
  'roles/r/meta/argument_specs.yml': text,
});
const cases: Case[] = [
  {
    name: 'argument_specs is a list',
    files: spec('argument_specs: [main]\n'),
    code: 'E_SCHEMA',
    msg: 'argument_specs must map entry points',
    at: 'roles/r/meta/argument_specs.yml:1:17',
  },
  {
    name: 'entry point is a string',
    files: spec('argument_specs:\n  main: yes please\n'),
    code: 'E_SCHEMA',
    msg: 'entry point "main" must be a mapping',
    at: 'roles/r/meta/argument_specs.yml:2:9',
  },
  {
    name: 'options is a list',
    files: spec('argument_specs:\n  main:\n    options: [a]\n'),
    code: 'E_SCHEMA',
    msg: 'options of entry point "main" must map',
    at: 'roles/r/meta/argument_specs.yml:3:14',
  },
  {
    name: 'option is a string',
    files: spec('argument_specs:\n  main:\n    options:\n      a: str\n'),
    code: 'E_SCHEMA',
    msg: 'option "a" of entry point "main" must be a mapping',
    at: 'roles/r/meta/argument_specs.yml:4:10',
  },
  {
    name: 'unknown type',
    files: spec('argument_specs:\n  main:\n    options:\n      a:\n        type: string\n'),
    code: 'E_SCHEMA',
    msg: 'option "a" of entry point "main" has an unknown type the string "string"',
    at: 'roles/r/meta/argument_specs.yml:5:15',
  },
  {
    name: 'unknown nested elements',
    files: spec(
      'argument_specs:\n  main:\n    options:\n      a:\n        type: list\n        elements: dict\n        options:\n          b: {type: list, elements: integer}\n',
    ),
    code: 'E_SCHEMA',
    msg: 'option "b" of option "a" has an unknown elements the string "integer"',
    at: 'roles/r/meta/argument_specs.yml:8:37',
  },
  {
    name: 'choices not a list',
    files: spec('argument_specs:\n  main:\n    options:\n      a: {choices: a}\n'),
    code: 'E_SCHEMA',
    msg: 'choices of option "a" must be a list',
    at: 'roles/r/meta/argument_specs.yml:4:20',
  },
];

t.test('malformed specs are load errors at their file:line:col', async (t) => {
  await checkMalformed(t, cases);
});

t.test("rolespec_validate: false on import_role/include_role leaves out that role's check; its dependencies keep theirs", async (t) => {
  const more = {
    ...roles,
    v: {
      meta: { 'argument_specs.yml': 'argument_specs:\n  main:\n    short_description: V\n    options:\n      need: {type: str, required: true}\n' },
      tasks: { 'main.yml': '- name: V\n  debug: msg=v\n' },
    },
    w: { meta: { 'main.yml': 'dependencies: [v]\n' }, tasks: { 'main.yml': '- name: W\n  debug: msg=w\n' } },
    // not read when the check is off, as in Ansible
    broken: { meta: { 'argument_specs.yml': 'argument_specs: [main]\n' }, tasks: { 'main.yml': '- name: B\n  debug: msg=b\n' } },
  };
  const site = [
    '- hosts: all',
    '  tasks:',
    '    - import_role: {name: v, rolespec_validate: false}',
    '    - import_role: name=nodesc rolespec_validate=no',
    '    - import_role: {name: w, rolespec_validate: false}',
    '    - include_role: {name: metakey, rolespec_validate: true}',
    '    - include_role: {name: v, rolespec_validate: false}',
    '    - import_role: {name: broken, rolespec_validate: false}',
    '    - import_role: {name: good, tasks_from: other, rolespec_validate: yes}',
    '',
  ].join('\n');
  const dir = t.testdir({ 'site.yml': site, roles: more });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), real).plays;
  // what ansible-playbook 2.14 ran for the same roles (each loaded once: Ansible reuses a role imported twice)
  t.same(
    flat(play.tasks).map((x) => `${x.role} : ${x.name}`),
    [
      'v : V',
      'nodesc : debug',
      "v : Validating arguments against arg spec 'main' - V",
      'v : V',
      'w : W',
      "dep : Validating arguments against arg spec 'main' - dep role",
      'dep : debug',
      "metakey : Validating arguments against arg spec 'main' - From meta main",
      'metakey : debug',
      'v : V',
      'broken : B',
      "good : Validating arguments against arg spec 'other' - Other entry",
      'good : other show',
    ],
  );
  const bad = t.testdir({ 'site.yml': '- hosts: all\n  tasks:\n    - import_role: {name: v, rolespec_validate: maybe}\n', roles: more });
  t.throws(() => loadPlaybookWith(join(bad, 'site.yml'), real), { code: 'E_SCHEMA', message: /"rolespec_validate" must be a boolean/ });
  const templated = t.testdir({ 'site.yml': '- hosts: all\n  tasks:\n    - include_role: {name: v, rolespec_validate: "{{ x }}"}\n', roles: more });
  t.throws(() => loadPlaybookWith(join(templated, 'site.yml'), real), { code: 'E_SCHEMA', message: /templated "rolespec_validate" is not supported/ });
});
