import t from 'tap';
import { checkArguments, type OptionSpec } from '../../../../controller/modules/control/argument-spec-check.js';
import { convert } from '../../../../controller/modules/control/argument-spec-types.js';

type Row = [what: string, spec: Record<string, OptionSpec>, params: Record<string, unknown>, errors: string[]];

// Each rule on both sides; the outcomes were checked against ansible-playbook 2.14 (validate_argument_spec on a role).
const rows: Row[] = [
  ['required, set', { a: { type: 'str', required: true } }, { a: 'x' }, []],
  ['required, set to null still counts', { a: { type: 'str', required: true } }, { a: null }, []],
  ['required, missing', { a: { type: 'str', required: true } }, {}, ['missing required option "a": set it (a role parameter, a variable or a role default)']],
  ['required with a default, missing: the default counts', { a: { required: true, default: 1 } }, {}, []],
  ['a default is checked too', { p: { type: 'int', default: 'abc' } }, {}, ['"p" must be an int, got the string "abc"']],
  ['int from an int', { p: { type: 'int' } }, { p: 8080 }, []],
  ['int from a numeric string with spaces', { p: { type: 'int' } }, { p: ' 12 ' }, []],
  ['int from a boolean (Python: bool is an int)', { p: { type: 'int' } }, { p: true }, []],
  ['int from a fraction', { p: { type: 'int' } }, { p: 8080.5 }, ['"p" must be an int, got the number 8080.5']],
  ['int from hex text', { p: { type: 'int' } }, { p: '0x10' }, ['"p" must be an int, got the string "0x10"']],
  ['int from exponent text', { p: { type: 'int' } }, { p: '1e3' }, ['"p" must be an int, got the string "1e3"']],
  ['int from a list', { p: { type: 'int' } }, { p: [1] }, ['"p" must be an int, got a list']],
  ['no_log hides the value', { pw: { type: 'int', no_log: true } }, { pw: 's3cret' }, ['"pw" must be an int, got a value not shown (no_log)']],
  ['no_log hides a wrong choice', { pw: { choices: ['a'], no_log: true } }, { pw: 's3cret' }, ['"pw" must be one of a, got a value not shown (no_log)']],
  ['float from exponent text', { f: { type: 'float' } }, { f: '1e3' }, []],
  ['float from an int', { f: { type: 'float' } }, { f: 3 }, []],
  ['float from a word', { f: { type: 'float' } }, { f: 'abc' }, ['"f" must be a float, got the string "abc"']],
  ['bool from yes', { b: { type: 'bool' } }, { b: 'yes' }, []],
  ['bool from " Off "', { b: { type: 'bool' } }, { b: ' Off ' }, []],
  ['bool from 1', { b: { type: 'bool' } }, { b: 1 }, []],
  ['bool from 2', { b: { type: 'bool' } }, { b: 2 }, ['"b" must be a bool, got the number 2']],
  ['bool from maybe', { b: { type: 'bool' } }, { b: 'maybe' }, ['"b" must be a bool, got the string "maybe"']],
  ['bool from a dict', { b: { type: 'bool' } }, { b: {} }, ['"b" must be a bool, got a dict']],
  ['list from a list', { l: { type: 'list' } }, { l: [1, 'a'] }, []],
  ['list from comma text', { l: { type: 'list', elements: 'int' } }, { l: '1,2' }, []],
  ['list from a number', { l: { type: 'list' } }, { l: 5 }, []],
  ['list from a dict', { l: { type: 'list' } }, { l: { a: 1 } }, ['"l" must be a list, got a dict']],
  ['elements int, all ints', { l: { type: 'list', elements: 'int' } }, { l: [1, '2'] }, []],
  ['elements int, one word', { l: { type: 'list', elements: 'int' } }, { l: [1, 'x'] }, ['"l[1]" must be an int, got the string "x"']],
  ['dict from a dict', { d: { type: 'dict' } }, { d: { a: 1 } }, []],
  ['dict from k=v text', { d: { type: 'dict' } }, { d: 'a=1 b=2' }, []],
  ['dict from JSON text', { d: { type: 'dict' } }, { d: '{"a": 1}' }, []],
  ['dict from plain text', { d: { type: 'dict' } }, { d: 'abc' }, ['"d" must be a dict, got the string "abc"']],
  ['dict from a list', { d: { type: 'dict' } }, { d: [1] }, ['"d" must be a dict, got a list']],
  ['str takes anything (converted)', { s: { type: 'str' } }, { s: [1, 2] }, []],
  ['no type is str', { s: {} }, { s: 5 }, []],
  ['path from text', { p: { type: 'path' } }, { p: '~/x' }, []],
  ['raw takes anything', { r: { type: 'raw' } }, { r: { a: [1] } }, []],
  ['null skips the type check', { p: { type: 'int' } }, { p: null }, []],
  ['choices, in', { m: { choices: ['a', 'b'] } }, { m: 'b' }, []],
  ['choices, out', { m: { choices: ['a', 'b'] } }, { m: 'c' }, ['"m" must be one of a, b, got c']],
  ['choices compare after conversion', { n: { type: 'int', choices: [1, 2] } }, { n: '2' }, []],
  ['choices of str do not match numbers', { n: { type: 'str', choices: [1, 2] } }, { n: 2 }, ['"n" must be one of 1, 2, got 2']],
  ['choices of a list, all in', { l: { type: 'list', choices: ['a', 'b'] } }, { l: ['a', 'b'] }, []],
  ['choices of a list, one out', { l: { type: 'list', choices: ['a', 'b'] } }, { l: ['a', 'z'] }, ['"l" must hold only a, b; not allowed: z']],
  ['unknown provided option', { a: {} }, { a: 1, zz: 2 }, ['"zz" is not an option of the argument spec (supported: a): remove it or declare it in the spec']],
  ['an alias is a known option', { a: { aliases: ['b'], type: 'int' } }, { b: '3' }, []],
  ['an alias value is checked', { a: { aliases: ['b'], type: 'int' } }, { b: 'x' }, ['"a" must be an int, got the string "x"']],
  ['nested options, valid', { mk: { type: 'dict', options: { a: { type: 'int', required: true } } } }, { mk: { a: '3' } }, []],
  [
    'nested options, missing and unknown',
    { mk: { type: 'dict', options: { a: { type: 'int', required: true } } } },
    { mk: { b: 1 } },
    [
      'missing required option "mk.a": set it (a role parameter, a variable or a role default)',
      '"mk.b" is not an option of the argument spec (supported: a): remove it or declare it in the spec',
    ],
  ],
  [
    'list of dicts, second item bad',
    { hosts: { type: 'list', elements: 'dict', options: { port: { type: 'int' } } } },
    { hosts: [{ port: 1 }, { port: 'x' }] },
    ['"hosts[1].port" must be an int, got the string "x"'],
  ],
  [
    'list of dicts, an item not a dict',
    { hosts: { type: 'list', elements: 'dict', options: { port: {} } } },
    { hosts: ['x'] },
    ['"hosts[0]" must be a dict, got the string "x"'],
  ],
  ['nested not given: not checked', { mk: { type: 'dict', options: { a: { required: true } } } }, {}, []],
  [
    'apply_defaults checks an absent dict',
    { mk: { type: 'dict', apply_defaults: true, options: { a: { required: true } } } },
    {},
    ['missing required option "mk.a": set it (a role parameter, a variable or a role default)'],
  ],
  ['mutually exclusive, one set', { d: { type: 'dict', mutually_exclusive: [['a', 'b']], options: { a: {}, b: {} } } }, { d: { a: 1 } }, []],
  [
    'mutually exclusive, both set',
    { d: { type: 'dict', mutually_exclusive: [['a', 'b']], options: { a: {}, b: {} } } },
    { d: { a: 1, b: 2 } },
    ['options a, b in "d" are mutually exclusive: set only one'],
  ],
  ['required together, both', { d: { type: 'dict', required_together: [['a', 'b']], options: { a: {}, b: {} } } }, { d: { a: 1, b: 2 } }, []],
  [
    'required together, one',
    { d: { type: 'dict', required_together: [['a', 'b']], options: { a: {}, b: {} } } },
    { d: { a: 1 } },
    ['options a, b in "d" are required together: set all or none'],
  ],
  ['required one of, one', { d: { type: 'dict', required_one_of: [['a', 'b']], options: { a: {}, b: {} } } }, { d: { b: 1 } }, []],
  [
    'required one of, none',
    { d: { type: 'dict', required_one_of: [['a', 'b']], options: { a: {}, b: {} } } },
    { d: {} },
    ['one of a, b in "d" is required: set one'],
  ],
  ['required if, condition off', { d: { type: 'dict', required_if: [['s', 'on', ['p']]], options: { s: {}, p: {} } } }, { d: { s: 'off' } }, []],
  [
    'required if, condition on',
    { d: { type: 'dict', required_if: [['s', 'on', ['p']]], options: { s: {}, p: {} } } },
    { d: { s: 'on' } },
    ['"d.s" is on, so all of p in "d" must be set; missing: p'],
  ],
  ['required by, present', { d: { type: 'dict', required_by: { a: ['b'] }, options: { a: {}, b: {} } } }, { d: { a: 1, b: 1 } }, []],
  ['required by, missing', { d: { type: 'dict', required_by: { a: 'b' }, options: { a: {}, b: {} } } }, { d: { a: 1 } }, ['"d.a" needs b in "d": set it too']],
];

for (const [what, spec, params, errors] of rows) {
  t.test(what, async (t) => {
    t.same(checkArguments(spec, params), errors);
  });
}

t.test('the checks never change the values given', async (t) => {
  const params = { p: '5', mk: { a: '1' } };
  checkArguments({ p: { type: 'int' }, mk: { type: 'dict', options: { a: { type: 'int' }, b: { default: 2 } } } }, params);
  t.same(params, { p: '5', mk: { a: '1' } });
});

t.test('conversions as Ansible makes them', async (t) => {
  t.equal(convert('int', ' 12 '), 12);
  t.equal(convert('float', '1e3'), 1000);
  t.equal(convert('bool', 'On'), true);
  t.same(convert('list', 'a,b'), ['a', 'b']);
  t.same(convert('list', 5), ['5']);
  t.same(convert('dict', 'a=1, b="x y"'), { a: '1', b: 'x y' });
  t.equal(convert('str', true), 'True');
});
