import t from 'tap';
import { join } from 'node:path';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import { fakeOptions } from './fakes.js';
import { flat, names, role, site } from './role-fixtures.js';

t.test('dependencies run before the role, each once per play with the same parameters', async (t) => {
  const dir = t.testdir({
    ...site('[web, api]'),
    roles: {
      common: role('common', undefined, {
        defaults: { 'main.yml': 'common_port: 1\nshared: common\n' },
        handlers: { 'main.yml': '- name: reload common\n  debug: msg=r\n' },
      }),
      tls: role('tls', 'dependencies: [common]\n'),
      web: role('web', 'galaxy_info: {author: me, min_ansible_version: "2.9"}\ncollections: [community.general]\ndependencies:\n  - tls\n  - role: common\n', {
        defaults: { 'main.yml': 'shared: web\n' },
      }),
      api: role('api', 'dependencies: [common, {role: tls}]\n'),
    },
  });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays;
  t.same(names(play.tasks), ['common : common task', 'tls : tls task', 'web : web task', 'api : api task']);
  t.same(
    play.handlers.map((h) => `${h.role} : ${h.name}`),
    ['common : reload common'],
    "a dependency's handlers reach the play",
  );
  t.same(play.roleDefaults, { common_port: 1, shared: 'web' }, "the role's defaults over its dependencies'");
});

t.test('a dependency with other parameters runs again; its parameters, when and tags are its own', async (t) => {
  const dir = t.testdir({
    ...site('[{role: app, tags: [app]}]'),
    roles: {
      app: role(
        'app',
        'dependencies:\n  - {role: port, port: 80}\n  - role: port\n    vars: {port: 443}\n    when: tls | bool\n    tags: [tls]\n  - {role: port, port: 80}\n',
      ),
      port: role('port'),
    },
  });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays;
  const tasks = flat(play.tasks);
  t.same(names(play.tasks), ['port : port task', 'port : port task', 'app : app task'], 'the third entry repeats the first: once');
  t.same(
    tasks.map((x) => x.roleParams),
    [{ port: 80 }, {}, {}],
    'parameters on the tasks of the entry that sets them',
  );
  t.same(
    tasks.map((x) => x.vars),
    [{}, {}, {}],
  );
  t.equal(play.roleVars.port, 443, "an entry's vars: are role vars");
  const outer = play.tasks[0];
  t.equal(outer.kind, 'block');
  t.same(outer.tags, ['app'], "the roles entry's tags cover its dependencies");
  const second = outer.kind === 'block' ? outer.block[1] : undefined;
  t.match(second, { kind: 'block', tags: ['tls'], when: [{ expr: 'tls | bool' }] });
});

t.test('allow_duplicates: true runs a role each time it is named', async (t) => {
  const dir = t.testdir({ ...site('[twice, twice, once, once]'), roles: { twice: role('twice', 'allow_duplicates: true\n'), once: role('once', '{}\n') } });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays;
  t.same(names(play.tasks), ['twice : twice task', 'twice : twice task', 'once : once task']);
});

t.test('each play has its own roles: a role runs in every play that names it', async (t) => {
  const dir = t.testdir({ 'site.yml': '- hosts: all\n  roles: [r]\n- hosts: all\n  roles: [r]\n', roles: { r: role('r') } });
  const plays = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays;
  t.same(
    plays.map((p) => names(p.tasks)),
    [['r : r task'], ['r : r task']],
  );
});

t.test("import_role runs the role's dependencies first, and always runs", async (t) => {
  const dir = t.testdir({
    'site.yml': '- hosts: all\n  roles: [app]\n  tasks:\n    - import_role: name=app\n',
    roles: { app: role('app', 'dependencies: [base]\n'), base: role('base') },
  });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays;
  t.same(names(play.tasks), ['base : base task', 'app : app task', 'app : app task'], 'import_role runs app again; base ran already');
});

t.test('module_defaults on a roles entry reach its tasks, under their own arguments', async (t) => {
  const dir = t.testdir({
    ...site('[{role: pkgs, module_defaults: {apt: {update_cache: true, cache_valid_time: 60}}}]'),
    roles: { pkgs: { tasks: { 'main.yml': '- apt: name=vim\n- apt: {name: git, update_cache: false}\n- debug: msg=x\n' } } },
  });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays;
  t.same(
    flat(play.tasks).map((x) => x.args),
    [{ update_cache: true, cache_valid_time: 60, name: 'vim' }, { cache_valid_time: 60, name: 'git', update_cache: false }, { msg: 'x' }],
  );
});
