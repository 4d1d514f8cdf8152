import t from 'tap';
import { resolve } from 'node:path';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import type { Block, Task, TaskNode } from '../../../controller/playbook/types.js';
import { fakeOptions } from './fakes.js';

const dir = 'test/fixtures/playbooks/site';
const abs = resolve(dir);
const opts = { ...fakeOptions, rolesPath: ['test/fixtures/playbooks/shared-roles'] };
const book = loadPlaybookWith(`${dir}/site.yml`, opts);
const [base, web] = book.plays;
const task = (n: TaskNode | undefined): Task => {
  if (n?.kind !== 'task') throw new Error(`expected a task, got ${n?.kind}`);
  return n;
};
const block = (n: TaskNode | undefined): Block => {
  if (n?.kind !== 'block') throw new Error(`expected a block, got ${n?.kind}`);
  return n;
};

t.test("import_playbook brings the imported plays first, with the import's vars and tags", async (t) => {
  t.equal(book.file, `${dir}/site.yml`);
  t.equal(book.plays.length, 2);
  t.match(base, {
    name: '10',
    hosts: '10',
    file: `${dir}/base.yml`,
    pos: { file: `${dir}/base.yml`, line: 1, col: 3 },
    gatherFacts: false,
    anyErrorsFatal: true,
    vars: { imported: true },
    tags: ['base'],
    dir: abs,
  });
});

t.test('tasks with collection prefixes, action:, args: and until', async (t) => {
  const [dbg, act, actMap, withArgs, wait, items] = base.tasks.map(task);
  t.match(dbg, { module: 'debug', name: 'debug', args: { msg: 'hello' }, pos: { line: 5, col: 7 } });
  t.same(act.args, { src: 'a', dest: 'b' });
  t.equal(act.module, 'copy');
  t.same(actMap.args, { src: 'c', dest: 'd' });
  t.same(withArgs.args, { chdir: '/srv', creates: '/srv/done', _raw_params: 'echo hi' });
  t.match(wait, { register: 'ready', retries: 10, delay: 5, until: [{ expr: 'ready.rc == 0', pos: { line: 19, col: 14 } }] });
  t.match(items, { loop: '{{ things }}', loopFlatten: true, loopVar: 'item' });
  t.equal(dbg.until, undefined, 'no until unless written');
});

t.test('play keywords, vars_files (first-found lists) and role variables', async (t) => {
  t.match(web, {
    name: 'web servers',
    hosts: 'web',
    become: true,
    gatherFacts: true,
    serial: [1, '50%'],
    maxFailPercentage: 30,
    environment: { LANG: 'C' },
    vars: { port: 8080 },
    pos: { file: `${dir}/site.yml`, line: 7, col: 3 },
  });
  t.same(web.varsFiles, { common_var: 1, shared: 'from-fallback' });
  t.same(web.roleDefaults, { common_packages: ['curl'], shared: 'from-defaults' });
  t.same(web.roleVars, { common_role_var: true, nginx_port: 80 });
});

t.test("pre_tasks, then role tasks in role order, then the play's tasks", async (t) => {
  t.match(task(web.preTasks[0]), { name: 'update cache', module: 'apt', args: { update_cache: 'yes' } });
  const names = web.tasks.map((n) => (n.kind === 'task' ? `${n.role ?? ''}:${n.name}` : `block:${n.name ?? ''}`));
  t.same(names, ['common:common packages', 'block:', 'block:', 'extra:debug', ':copy files', ':shell', 'block:guarded', 'block:', ':packages']);
});

t.test("role tasks: role name, search dirs, include_tasks relative to the role's tasks/", async (t) => {
  const common = task(web.tasks[0]);
  t.match(common, { role: 'common', searchDirs: [`${abs}/roles/common`, abs], pos: { file: `${dir}/roles/common/tasks/main.yml`, line: 1, col: 3 } });
  const sub = task(block(web.tasks[1]).block[0]);
  t.match(sub, { name: 'common sub', role: 'common', module: 'template', pos: { file: `${dir}/roles/common/tasks/sub.yml` } });
  const extra = task(web.tasks[3]);
  t.match(extra, { role: 'extra', searchDirs: [resolve('test/fixtures/playbooks/shared-roles/extra'), abs] });
});

t.test("a roles entry with vars/tags/when: keywords on a wrapping block, its vars: the role's vars", async (t) => {
  const wrap = block(web.tasks[2]);
  t.match(wrap, { tags: ['web'], when: [{ expr: 'ansible_os_family == "Debian"', pos: { line: 24, col: 13 } }] });
  t.same(wrap.vars, {});
  const [install, inner] = wrap.block;
  t.same(task(install).vars, { nginx_port: 1 }, "the task's own vars outrank the entry's vars: (role vars), as in Ansible");
  t.same(block(inner).vars, {});
  t.same(task(block(inner).block[0]).roleMagic, {
    role_name: 'nginx',
    role_path: `${abs}/roles/nginx`,
    ansible_role_name: 'nginx',
    ansible_collection_name: null,
  });
});

t.test('k=v args, with_items flattened one level, free-form command text', async (t) => {
  const copy = task(web.tasks[4]);
  t.same(copy.args, { src: '{{ item }}', dest: '/etc/{{ item }}', mode: '0644' });
  t.same(copy.loop, ['a.conf', 'b.conf', 'c.conf']);
  t.equal(copy.loopFlatten, undefined);
  t.same(copy.notify, ['restart nginx']);
  const shell = task(web.tasks[5]);
  t.same(shell.args, { chdir: '/tmp', _raw_params: 'echo hello && ls' });
  t.match(shell, {
    register: 'out',
    changedWhen: [{ expr: 'false' }],
    failedWhen: [{ expr: 'out.rc != 0', pos: { line: 40, col: 11 } }, { expr: "'error' in out.stdout" }],
  });
});

t.test('block/rescue/always with their keywords', async (t) => {
  const b = block(web.tasks[6]);
  t.match(b, { name: 'guarded', becomeUser: 'www', tags: ['guard', 'safety'], pos: { line: 42, col: 7 } });
  t.same(
    b.when.map((c) => c.expr),
    ['a', 'b'],
  );
  t.same(task(b.block[0]).args, { _raw_params: '/bin/true' });
  t.same(task(b.rescue[0]).args, { msg: 'it failed' });
  t.same(task(b.always[0]).args, { msg: 'done' });
});

t.test("import_tasks becomes a block carrying the import's vars and tags", async (t) => {
  const b = block(web.tasks[7]);
  t.match(b, { tags: ['extra'], vars: { x: 1 }, pos: { file: `${dir}/site.yml`, line: 53, col: 7 } });
  t.match(task(b.block[0]), { name: 'extra one', module: 'file', pos: { file: `${dir}/tasks/extra.yml`, line: 1, col: 3 }, searchDirs: [`${abs}/tasks`, abs] });
  t.equal(block(b.block[1]).block.length, 1, 'nested block kept');
});

t.test('loop_control', async (t) => {
  t.match(task(web.tasks[8]), { loop: '{{ packages }}', loopVar: 'pkg', loopLabel: '{{ pkg }}' });
});

t.test("handlers: role handlers first, listen, imported handlers take the import's keywords", async (t) => {
  t.same(
    web.handlers.map((h) => h.name),
    ['common handler', 'nginx handler', 'restart nginx', 'reload nginx'],
  );
  t.same(web.handlers[2].listen, ['web restart']);
  t.same(web.handlers[1].vars, {}, "the entry's vars: are role vars, not the handler's");
  t.same(web.handlers[1].roleMagic?.role_name, 'nginx');
  t.match(web.handlers[3], { tags: ['h'], when: [{ expr: 'reload_ok' }], pos: { file: `${dir}/tasks/handlers.yml` } });
  t.equal(web.handlers[3].listen.length, 0);
});
