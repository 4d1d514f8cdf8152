import t from 'tap';
import { validateArgumentSpec, validationResult, valuesToCheck } from '../../../../controller/modules/control/validate-argument-spec.js';
import { fakeContext } from './fake-context.js';

const spec = { app_port: { type: 'int', required: true }, mode: { choices: ['a', 'b'], default: 'a' } };
const context = { type: 'role', name: 'web', argument_spec_name: 'main', path: '/r/web' };

t.test('valid values pass, with the context in the result', async (t) => {
  t.same(validationResult(spec, { app_port: '80' }, context), {
    changed: false,
    msg: 'The arg spec validation passed',
    data: { validate_args_context: context },
  });
});

t.test('a failure names the role, the entry point, each variable and what to do', async (t) => {
  const r = validationResult(spec, { app_port: 'abc', mode: 'c' }, context);
  t.equal(r.failed, true);
  t.equal(
    r.msg,
    'Validation of arguments failed for role "web" (arg spec \'main\'):\n' +
      '- "app_port" must be an int, got the string "abc"\n' +
      '- "mode" must be one of a, b, got c\n' +
      'Fix the variables or role parameters named above; the spec is in /r/web/meta/argument_specs.yml or meta/main.yml.',
  );
  t.same(r.data?.argument_errors, ['"app_port" must be an int, got the string "abc"', '"mode" must be one of a, b, got c']);
  t.same(r.data?.argument_spec_data, spec);
});

t.test('the values: the variables the spec names, then the provided arguments over them', async (t) => {
  const vars: Record<string, unknown> = { app_port: 1, mode: 'b', other: 2 };
  t.same(
    valuesToCheck(
      spec,
      { app_port: 'x' },
      (n) => vars[n],
      (n) => n in vars,
    ),
    { app_port: 'x', mode: 'b' },
  );
});

t.test('the module reads the host variables, templates rendered', async (t) => {
  const run = (vars: Record<string, unknown>, provided = {}) =>
    validateArgumentSpec.run({ argument_spec: spec, provided_arguments: provided, validate_args_context: context }, fakeContext({}, { vars }));
  t.notOk((await run({ base: 8000, app_port: '{{ base + 80 }}' })).failed, 'a templated variable is checked as its value');
  t.equal((await run({ app_port: '{{ "x" ~ 1 }}' })).failed, true, 'the rendered value fails');
  t.equal((await run({})).failed, true, 'a required variable unset fails');
  t.notOk((await run({}, { app_port: 5 })).failed, 'a role parameter counts');
  t.notOk((await run({ app_port: null })).failed, 'a variable set to null counts as set, as in Ansible');
});

t.test('called as a task of its own (no role context), the message says so without a role', async (t) => {
  const r = await validateArgumentSpec.run(
    { argument_spec: { n: { type: 'int' } }, provided_arguments: { n: 'x' }, validate_args_context: {} },
    fakeContext({}, { vars: {} }),
  );
  t.equal(r.msg, 'Validation of arguments failed:\n- "n" must be an int, got the string "x"\nFix the variables or role parameters named above.');
  const ok = await validateArgumentSpec.run(
    { argument_spec: { n: { type: 'int' } }, provided_arguments: { n: '3' }, validate_args_context: {} },
    fakeContext(),
  );
  t.equal(ok.failed, undefined);
});
