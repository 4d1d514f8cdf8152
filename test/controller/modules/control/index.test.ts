import t from 'tap';
import { modules } from '../../../../controller/modules/control/index.js';
import type { ControlModule } from '../../../../controller/modules/control/spec.js';

t.test('every control module is exported once, with a summary and typed arguments', async (t) => {
  const names = modules.map((m) => m.name);
  t.same([...names].sort(), [
    'assert',
    'debug',
    'fail',
    'gather_facts',
    'include_vars',
    'meta',
    'pause',
    'reboot',
    'set_fact',
    'setup',
    'ssh_key_login',
    'validate_argument_spec',
    'wait_for',
    'wait_for_connection',
  ]);
  for (const m of modules as ControlModule[]) {
    t.ok(m.summary.length > 10, `${m.name} has a summary`);
    for (const [arg, spec] of Object.entries(m.args)) {
      if (spec.default !== undefined && spec.choices) t.ok(spec.choices.includes(spec.default as string), `${m.name}.${arg} default is a choice`);
      t.notOk(spec.required && spec.default !== undefined, `${m.name}.${arg} is not both required and defaulted`);
    }
  }
  const local = modules
    .filter((m) => m.local)
    .map((m) => m.name)
    .sort();
  t.same(local, ['assert', 'debug', 'fail', 'include_vars', 'meta', 'pause', 'set_fact', 'validate_argument_spec'], 'only these run without a connection');
});

t.test('task arguments as written normalise against the control modules', async (t) => {
  const { normalizeArgs } = await import('../../../../controller/modules/args.js');
  const byName = new Map(modules.map((m) => [m.name, m]));
  const where = { task: 't', host: 'h1' };
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['set_fact', { my_var: 'x', other: [1] }, { my_var: 'x', other: [1], cacheable: false }],
    ['assert', { that: 'x in [1, 2]', msg: 'no' }, { that: 'x in [1, 2]', fail_msg: 'no', quiet: false }],
    ['wait_for', { port: '8080', timeout: '30' }, { port: 8080, timeout: 30, host: '127.0.0.1', state: 'started', delay: 0, sleep: 1 }],
    ['pause', { seconds: '1.5' }, { seconds: 1.5, echo: true }],
    ['reboot', { reboot_timeout: 900 }, { reboot_timeout: 900, test_command: 'true', pre_reboot_delay: 0 }],
    ['setup', { filter: 'ansible_distribution*,ansible_pi_model' }, { filter: ['ansible_distribution*', 'ansible_pi_model'], gather_subset: ['all'] }],
    ['debug', { var: 'x', verbosity: '2' }, { var: 'x', verbosity: 2 }],
  ];
  for (const [name, args, want] of cases) t.match(normalizeArgs(byName.get(name)!, args, where), want, name);
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['set_fact', { '9lives': 1 }, /not a valid variable name/],
    ['wait_for', { port: 1, path: '/x' }, /mutually exclusive/],
    ['wait_for', { state: 'gone' }, /must be one of started, stopped, present, absent, drained/],
    ['debug', { msg: 'a', var: 'b' }, /mutually exclusive/],
    ['pause', { prompt: 'Continue?' }, /non-interactive/],
  ];
  for (const [name, args, re] of bad) t.throws(() => normalizeArgs(byName.get(name)!, args, where), { message: re }, `${name} ${JSON.stringify(args)}`);
});
