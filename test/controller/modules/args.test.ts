import t from 'tap';
import { Secret } from '../../../controller/command.js';
import type { MusterError } from '../../../shared/errors.js';
import { checkArgNames, normalizeArgs } from '../../../controller/modules/args.js';
import { parseYaml } from '../../../shared/yaml.js';
import { fakeModule } from '../playbook/fakes.js';

const where = { pos: { file: 'site.yml', line: 4, col: 7 }, task: 'a task', host: 'pi1' };

/** Normalisation table: module, rendered args in, args out. */
const ok: { name: string; module: string; args: Record<string, unknown>; want: Record<string, unknown> }[] = [
  { name: 'defaults applied', module: 'apt', args: { name: 'git' }, want: { name: ['git'], state: 'present', update_cache: false } },
  { name: 'alias to canonical name', module: 'apt', args: { pkg: ['git', 'curl'] }, want: { name: ['git', 'curl'], state: 'present', update_cache: false } },
  {
    name: 'list from a comma-separated string',
    module: 'apt',
    args: { name: 'git, curl,,vim' },
    want: { name: ['git', 'curl', 'vim'], state: 'present', update_cache: false },
  },
  { name: 'list elements to strings', module: 'user', args: { name: 'u', groups: [1, 'adm'] }, want: { name: 'u', groups: ['1', 'adm'] } },
  { name: 'list of ints from strings and a scalar', module: 'wait_for', args: { ports: '22, 80' }, want: { ports: [22, 80], timeout: 300 } },
  { name: 'scalar to a one-item list', module: 'wait_for', args: { ports: 22 }, want: { ports: [22], timeout: 300 } },
  { name: 'list of dicts', module: 'wait_for', args: { extra: [{ a: 1 }] }, want: { extra: [{ a: 1 }], timeout: 300 } },
  { name: 'dict', module: 'wait_for', args: { headers: { a: '1' } }, want: { headers: { a: '1' }, timeout: 300 } },
  { name: 'float from a string', module: 'wait_for', args: { timeout: '2.5' }, want: { timeout: 2.5 } },
  { name: 'int from digits', module: 'apt', args: { name: 'x', cache_valid_time: ' 3600 ' }, want: { cache_valid_time: 3600 } },
  { name: 'str from a number', module: 'service', args: { name: 42 }, want: { name: '42' } },
  { name: 'null means not given', module: 'apt', args: { name: 'x', state: null }, want: { state: 'present' } },
  {
    name: 'any names for set_fact, declared ones still typed',
    module: 'set_fact',
    args: { answer: 42, list: [1], cacheable: 'yes' },
    want: { answer: 42, list: [1], cacheable: true },
  },
  { name: 'cmd is an alias of the command text', module: 'command', args: { cmd: 'ls' }, want: { _raw_params: 'ls' } },
  { name: 'free-form text passes through', module: 'shell', args: { _raw_params: 'ls', chdir: '/tmp' }, want: { _raw_params: 'ls', chdir: '/tmp' } },
  { name: 'choice given as written', module: 'apt', args: { name: 'x', state: 'latest' }, want: { state: 'latest' } },
  ...(
    [
      ['yes', true],
      ['no', false],
      ['True', true],
      ['false', false],
      ['on', true],
      ['off', false],
      ['1', true],
      ['0', false],
      [1, true],
      [0, false],
      [true, true],
    ] as [unknown, boolean][]
  ).map(([v, b]) => ({ name: `bool from ${JSON.stringify(v)}`, module: 'copy', args: { dest: '/x', force: v }, want: { force: b } })),
  ...(
    [
      [0o644, '0644'],
      [420, '0644'],
      ['0o755', '0o755'],
      ['u+x-w,go=', 'u+x-w,go='],
      ['g=u', 'g=u'],
      [0o4755, '4755'],
      [0, '0000'],
      ['0644', '0644'],
      ['644', '644'],
      ['u=rw,g=r,o=r', 'u=rw,g=r,o=r'],
      ['a+x', 'a+x'],
      ['preserve', 'preserve'],
      ['g-w', 'g-w'],
    ] as [unknown, string][]
  ).map(([v, m]) => ({ name: `mode from ${JSON.stringify(v)}`, module: 'copy', args: { dest: '/x', mode: v }, want: { mode: m } })),
];

t.test('normalizeArgs', async (t) => {
  for (const c of ok) t.match(normalizeArgs(fakeModule(c.module), c.args, where), c.want, c.name);
  const out = normalizeArgs(fakeModule('apt'), { name: 'git' }, where);
  t.same(Object.keys(out).sort(), ['name', 'state', 'update_cache'], 'nothing else added');
});

t.test('defaults are copies', async (t) => {
  const m = fakeModule('wait_for');
  const a = normalizeArgs({ ...m, args: { ...m.args, extra: { type: 'list', default: ['x'] } } }, {}, where);
  (a.extra as string[]).push('y');
  const b = normalizeArgs({ ...m, args: { ...m.args, extra: { type: 'list', default: ['x'] } } }, {}, where);
  t.same(b.extra, ['x']);
});

t.test('secret arguments are wrapped and never printed', async (t) => {
  const out = normalizeArgs(fakeModule('user'), { name: 'u', password: 'hunter22' }, where);
  t.ok(out.password instanceof Secret);
  t.equal((out.password as Secret).value, 'hunter22');
  t.equal(String(out.password), '***');
  t.equal(JSON.stringify(out), '{"name":"u","password":"***"}');
  const again = normalizeArgs(fakeModule('user'), { name: 'u', password: out.password }, where);
  t.equal(again.password, out.password, 'an existing Secret is kept');
});

/** Error table: what is wrong, what the message must say. */
const bad: { name: string; module: string; args: Record<string, unknown>; msg: string }[] = [
  { name: 'unknown argument', module: 'copy', args: { dest: '/x', dset: 'y' }, msg: 'unknown argument "dset" for module copy (did you mean "dest"?)' },
  { name: 'alias and canonical name both', module: 'apt', args: { name: 'a', pkg: 'b' }, msg: 'arguments "name" and "pkg" of apt are the same argument' },
  { name: 'missing required', module: 'copy', args: { src: 'a' }, msg: 'missing required argument "dest" for module copy' },
  {
    name: 'not a bool',
    module: 'copy',
    args: { dest: '/x', force: 'maybe' },
    msg: 'argument "force" of copy must be a boolean (true/false, yes/no, on/off, y/n, t/f, 1/0), got "maybe"',
  },
  { name: 'not an int', module: 'apt', args: { name: 'x', cache_valid_time: '1h' }, msg: 'argument "cache_valid_time" of apt must be an integer, got "1h"' },
  { name: 'a float is not an int', module: 'apt', args: { name: 'x', cache_valid_time: 1.5 }, msg: 'must be an integer, got 1.5' },
  { name: 'not a float', module: 'wait_for', args: { timeout: 'soon' }, msg: 'must be a number' },
  { name: 'not a str', module: 'service', args: { name: ['a'] }, msg: 'argument "name" of service must be a string, got a list' },
  { name: 'not a dict', module: 'wait_for', args: { headers: 'a=1' }, msg: 'must be a mapping' },
  { name: 'not a list', module: 'apt', args: { name: { a: 1 } }, msg: 'argument "name" of apt must be a list' },
  { name: 'list element not an int', module: 'wait_for', args: { ports: 'http' }, msg: 'must be a list of integers' },
  { name: 'list element not a dict', module: 'wait_for', args: { extra: ['x'] }, msg: 'must be a list of mappings' },
  { name: 'list element not a str', module: 'apt', args: { name: [{ a: 1 }] }, msg: 'must be a list of strings' },
  {
    name: 'bad choice',
    module: 'apt',
    args: { name: 'x', state: 'presnt' },
    msg: 'argument "state" of apt must be one of present, absent, latest, got "presnt" (did you mean "present"?)',
  },
  { name: 'bad mode string', module: 'copy', args: { dest: '/x', mode: 'rwx' }, msg: 'argument "mode" of copy must be a file mode' },
  { name: 'mode out of range', module: 'copy', args: { dest: '/x', mode: 0o17777 }, msg: 'must be a file mode' },
  { name: 'octal string out of range', module: 'copy', args: { dest: '/x', mode: '17777' }, msg: 'must be a file mode' },
  { name: 'bad symbolic clause', module: 'copy', args: { dest: '/x', mode: 'u=rw,q+x' }, msg: 'must be a file mode' },
  { name: 'set_fact takes no free-form text', module: 'set_fact', args: { _raw_params: 'a b' }, msg: 'unknown argument "_raw_params"' },
  { name: 'free-form text for a non-free-form module', module: 'copy', args: { dest: '/x', _raw_params: 'a' }, msg: 'unknown argument "_raw_params"' },
  { name: 'module validate', module: 'copy', args: { dest: '/x', src: 'a', content: 'b' }, msg: 'copy: src and content are mutually exclusive' },
];

t.test('normalizeArgs errors name the argument, the task, the host and the position', async (t) => {
  for (const c of bad) {
    const err = t.throws(() => normalizeArgs(fakeModule(c.module), c.args, where), c.name) as MusterError;
    t.equal(err.code, 'E_MODULE', c.name);
    t.ok(err.message.includes(c.msg), `${c.name}: "${err.message}" should include "${c.msg}"`);
    t.match(err, { task: 'a task', host: 'pi1', pos: where.pos }, c.name);
    t.ok(err.hint, c.name);
  }
});

t.test('a secret argument of the wrong type is not printed', async (t) => {
  const m = fakeModule('user');
  const err = t.throws(() =>
    normalizeArgs({ ...m, args: { ...m.args, password: { type: 'int', secret: true } } }, { name: 'u', password: 'hunter22' }, where),
  ) as MusterError;
  t.notMatch(err.message, /hunter22/);
  t.match(err.message, /got \*\*\*/);
});

t.test('normalizeArgs errors point at the value when the args carry positions', async (t) => {
  const args = parseYaml('dest: /x\nforce: maybe\n', 'task.yml') as Record<string, unknown>;
  const err = t.throws(() => normalizeArgs(fakeModule('copy'), args, where)) as MusterError;
  t.same(err.pos, { file: 'task.yml', line: 2, col: 8 });
});

t.test('checkArgNames', async (t) => {
  const w = { pos: where.pos, task: 'copy it' };
  t.doesNotThrow(() => checkArgNames(fakeModule('file'), { dest: '/x', state: 'touch' }, w), 'aliases are names');
  t.doesNotThrow(() => checkArgNames(fakeModule('command'), { _raw_params: 'ls', chdir: '/' }, w), 'free-form text for command');
  t.doesNotThrow(() => checkArgNames(fakeModule('copy'), { dest: '{{ d }}', mode: '{{ m }}' }, w), 'values are not checked');
  t.doesNotThrow(() => checkArgNames(fakeModule('set_fact'), { anything: 1 }, w), 'set_fact names are variables');
  t.throws(() => checkArgNames(fakeModule('set_fact'), { _raw_params: 'a=' }, w), 'but set_fact takes no free-form text');

  const typo = t.throws(() => checkArgNames(fakeModule('copy'), parseYaml('src: a\ndset: b\n', 't.yml') as Record<string, unknown>, w)) as MusterError;
  t.match(typo, { code: 'E_MODULE', task: 'copy it', pos: { file: 't.yml', line: 2, col: 1 } });
  t.equal(typo.message, 'unknown argument "dset" for module copy (did you mean "dest"?)');
  t.match(typo.hint, /copy accepts: content, dest, force, mode, src/);

  const far = t.throws(() => checkArgNames(fakeModule('copy'), { zzzzzz: 1 }, w)) as MusterError;
  t.equal(far.message, 'unknown argument "zzzzzz" for module copy');
  t.same(far.pos, where.pos, 'falls back to the given position');

  const free = t.throws(() => checkArgNames(fakeModule('debug'), { msg: 'a', _raw_params: 'b c' }, w)) as MusterError;
  t.match(free, { code: 'E_MODULE', message: 'module debug takes no free-form text: "b c"' });

  const none = t.throws(() => checkArgNames({ ...fakeModule('debug'), name: 'ping', args: {} }, { x: 1 }, w)) as MusterError;
  t.equal(none.hint, 'ping takes no arguments');
});

t.test("Ansible's arguments that change nothing here are accepted and say why", async (t) => {
  const { ignoredArgs } = await import('../../../controller/modules/args.js');
  const { getModule } = await import('../../../controller/modules/index.js');
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['apt', { name: 'curl', autoclean: true, policy_rc_d: 101 }, ['autoclean', 'policy_rc_d']],
    ['apt', { name: 'curl' }, []],
    ['copy', { src: 'a', dest: '/b', directory_mode: '0755' }, ['directory_mode']],
    ['file', { path: '/b', state: 'directory', setype: 'httpd_sys_content_t' }, ['setype']],
    ['stat', { path: '/b', get_md5: false }, ['get_md5']],
  ];
  for (const [name, args, want] of cases) {
    const m = getModule(name);
    if (!m) return t.fail(`no module ${name}`);
    const got = ignoredArgs(m, args);
    t.same(
      got.map((a) => a.name),
      want,
      `${name} ${Object.keys(args).join(',')}`,
    );
    for (const a of got) t.ok(a.reason.length > 10, `${a.name} says why`);
  }
});
