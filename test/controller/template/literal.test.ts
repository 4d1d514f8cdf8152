import t from 'tap';
import { parseLiteral, textToValue } from '../../../controller/template/literal.js';
import { renderString, renderText } from '../../../controller/template/index.js';

// the variables of bench-style probes; every expectation below is what ansible-playbook 2.14 (jinja2_native
// off) gives for the same template and variables, through Templar.template
const vars = { a: 1, x: true, xs: [1, 2], s: 'text', ls: '[1, 2]', n: null, d: { k: 'v' }, sp: ' [1]', tr: 'True', non: 'None', num: '42', qs: "'q'" };
const where = { host: 'web1', task: 'probe' };

t.test('a task argument that renders to a literal becomes its value, as in Ansible', async (t) => {
  const cases: [string, unknown][] = [
    ['{% if x %}[1, 2]{% else %}[]{% endif %}', [1, 2]],
    ['{% if not x %}[1, 2]{% else %}[]{% endif %}', []],
    ["{{ '[' ~ a ~ ']' }}", [1]],
    ['{{ ls }}', [1, 2]],
    ['{{ sp }}', ' [1]'],
    ['{{ tr }}', true],
    ['{{ non }}', 'None'],
    ['{{ num }}', '42'],
    ['{{ qs }}', "'q'"],
    ['{% if x %}True{% endif %}', true],
    ['{% if x %}False{% endif %}', false],
    ['{% if x %}true{% endif %}', 'true'],
    ['{% if x %}None{% endif %}', 'None'],
    ['{% if x %}42{% endif %}', '42'],
    ["{% if x %}'q'{% endif %}", "'q'"],
    ['{% if x %} [1]{% endif %}', ' [1]'],
    ['{% if x %}[1] {% endif %}', [1]],
    ['{% if x %}True {% endif %}', 'True '],
    ["{% if x %}[1, {'a': [true, null]}]{% endif %}", [1, { a: [true, null] }]],
    ['{% if x %}{\'a\': 1, "b": [None, False]}{% endif %}', { a: 1, b: [null, false] }],
    ['{% if x %}[a, b]{% endif %}', '[a, b]'],
    ['{% if x %}[1,{% endif %}', '[1,'],
    ["{% if x %}[\"s\", 'u', r'\\d', u'x']{% endif %}", ['s', 'u', '\\d', 'x']],
    ['{% if x %}{{ xs }}{% endif %}', [1, 2]],
    ['{% if x %}{{ d }}{% endif %}', { k: 'v' }],
    ['{% if x %}{{ d | to_json }}{% endif %}', '{"k": "v"}'],
    ['{% if x %}{{ d | to_json }} {% endif %}', { k: 'v' }],
    ['[{% for i in xs %}{{ i }},{% endfor %}]', [1, 2]],
    ['{% for i in xs %}{{ i }}{% endfor %}', '12'],
    ['{% if x %}[1e3, -2, 0x1f, 1_0, 0o17, 0b11, 2.5]{% endif %}', [1000.0, -2, 31, 10, 15, 3, 2.5]],
    ['{% if x %}[(1, 2), (3,), ()]{% endif %}', [[1, 2], [3], []]],
    ['{% if x %}{}{% endif %}', {}],
    ['{% if x %}[]{% endif %}', []],
    ['{% if x %}[1]\n{% endif %}', [1]],
    ['{% if x %}[1+2]{% endif %}', '[1+2]'],
    ["{% if x %}['a' 'b']{% endif %}", ['ab']],
    ['{% if x %}[1, 2,]{% endif %}', [1, 2]],
    ['{% if x %}[1, 2] # c{% endif %}', [1, 2]],
    ['{% if x %}[\n  1,\n  2\n]{% endif %}', [1, 2]],
    ['{% if x %}{True: 1, 2: None}{% endif %}', { true: 1, '2': null }],
    ["{% if x %}['a\\nb', '\\u00e9', '\\x41']{% endif %}", ['a\nb', 'é', 'A']],
    ['{% if x %}[01]{% endif %}', '[01]'],
    ['{% if x %}[1 2]{% endif %}', '[1 2]'],
    ["{% if x %}{'a' 1}{% endif %}", "{'a' 1}"],
    ['{% if x %}[{% endif %}', '['],
    ['{% if x %}{x}{% endif %}', '{x}'],
    ['{% if x %}{ }{% endif %}', {}],
    ['{% if x %}[-1, +2, - 3]{% endif %}', [-1, 2, -3]],
    ['{% if x %}[1.5e-3, .5, 5.]{% endif %}', [0.0015, 0.5, 5.0]],
    ['{% if x %}["it\'s"]{% endif %}', ["it's"]],
    ["{% if x %}['''a''']{% endif %}", ['a']],
    ['[{{ a }}]', [1]],
    ['{{ xs }} ', [1, 2]],
    ['{{ xs | to_json }}', '[1, 2]'],
    ['{{ d | to_nice_json }}', '{\n    "k": "v"\n}'],
    ["{{ '[1, 2]' | trim }}", [1, 2]],
    ["{{ ('[1]' | to_json) ~ '' }}", '"[1]"'],
    ['{{ \'{"a": 1}\' }}', { a: 1 }],
    ["{{ 'True' }}", true],
    ["{{ 'true' }}", 'true'],
    ["{{ '[' }}{{ '1]' }}", [1]],
  ];
  for (const [tpl, want] of cases) t.same(renderString(tpl, vars, where), want, tpl);
  // t.same is loose: the type of each text that stays text, and of each value, checked strictly
  for (const [tpl, want] of cases) t.equal(typeof renderString(tpl, vars, where), typeof want, `${tpl}: ${typeof want}`);
});

t.test('a variable that renders to a literal is that value where it is used', async (t) => {
  const more = { ...vars, v: '{% if x %}[1, 2]{% endif %}', w: "{{ '[' ~ 3 ~ ']' }}", p: '{% if x %}42{% endif %}' };
  const cases: [string, unknown][] = [
    ['{{ v | length }}', 2],
    ['{{ v[0] }}', 1],
    ['{{ w | first }}', 3],
    ['{{ p | length }}', 2],
    ['{{ v }}', [1, 2]],
    ['{{ w + [4] }}', [3, 4]],
  ];
  for (const [tpl, want] of cases) t.same(renderString(tpl, more, where), want, tpl);
});

t.test('a template file stays text', async (t) => {
  t.equal(renderText('{% if x %}[1, 2]{% endif %}', vars, { ...where, source: 'list.j2' }), '[1, 2]');
  t.equal(renderText('{% if x %}True{% endif %}', vars, { ...where, source: 'flag.j2' }), 'True');
  t.equal(renderText('[{{ a }}]', vars, { ...where, source: 'list.hbs' }), '[1]');
});

t.test('textToValue: only text starting with [ or {, or exactly True or False', async (t) => {
  const cases: [string, unknown][] = [
    ['True', true],
    ['False', false],
    ['true', 'true'],
    ['None', 'None'],
    ['42', '42'],
    ['-1', '-1'],
    ["'q'", "'q'"],
    [' [1]', ' [1]'],
    ['True ', 'True '],
    ['[1] ', [1]],
    ['[1]\n', [1]],
    ['[]', []],
    ['{}', {}],
    ['{ }', {}],
    ['[1, 2,]', [1, 2]],
    ['[1,, 2]', '[1,, 2]'],
    ['[,]', '[,]'],
    ['[1 2]', '[1 2]'],
    ['[1', '[1'],
    ['[1]]', '[1]]'],
    ['[a]', '[a]'],
    ['[1+2]', '[1+2]'],
    // Ansible reads a complex number, then fails to print it: muster keeps the text
    ['[1j]', '[1j]'],
    ['[01]', '[01]'],
    ['[00, 0]', [0, 0]],
    ['[0x1f, 0o17, 0b11, 1_000]', [31, 15, 3, 1000]],
    ['[1e3, 1.5e-3, .5, 5.]', [1000, 0.0015, 0.5, 5]],
    ['[-1, +2, - 3]', [-1, 2, -3]],
    ['[--1]', '[--1]'],
    ['[True, False, None, true, false, null]', [true, false, null, true, false, null]],
    ['[none]', '[none]'],
    ['[\'a\' "b"]', ['ab']],
    ['[\'\'\'x\'\'\', """y"""]', ['x', 'y']],
    ["[r'\\d', u'e', b'b', R'\\n']", ['\\d', 'e', 'b', '\\n']],
    ["[f'x']", "[f'x']"],
    ["['a\\nb', '\\t', '\\x41', '\\u00e9', '\\101', '\\q']", ['a\nb', '\t', 'A', 'é', 'A', '\\q']],
    ["['\\xZZ']", "['\\xZZ']"],
    ["['a\nb']", "['a\nb']"],
    ['["it\'s", \'say "hi"\']', ["it's", 'say "hi"']],
    ['[(1, 2), (3,), (), (4)]', [[1, 2], [3], [], 4]],
    ["{'a': 1, \"b\": [None, {'c': ()}]}", { a: 1, b: [null, { c: [] }] }],
    ["{'a': 1, 'a': 2}", { a: 2 }],
    ['{True: 1, 2: None, None: 0}', { true: 1, '2': null, null: 0 }],
    // a TypeError (unhashable key) in Ansible
    ['{[1]: 2}', '{[1]: 2}'],
    ["{'a' 1}", "{'a' 1}"],
    ["{'a': 1, 'b'}", "{'a': 1, 'b'}"],
    // a set in Ansible (its output then fails): a list here
    ['{1, 2, 1, True}', [1, 2]],
    ['{x}', '{x}'],
    ['[\n  1,  # one\n  2\n]', [1, 2]],
    ['[1, 2] # trailing comment', [1, 2]],
    ['[1]\u0000', '[1]\u0000'],
  ];
  for (const [text, want] of cases) t.same(textToValue(text), want, JSON.stringify(text));
  for (const [text, want] of cases) t.equal(typeof textToValue(text), typeof want, `${JSON.stringify(text)}: ${typeof want}`);
});

t.test('parseLiteral reads any Python literal, up to the 200 nested brackets Python parses', async (t) => {
  t.same(parseLiteral('42'), { value: 42 });
  t.same(parseLiteral("'q'"), { value: 'q' });
  t.same(parseLiteral('None'), { value: null });
  t.equal(parseLiteral('name'), undefined);
  t.type(textToValue(`${'['.repeat(200)}${']'.repeat(200)}`), Array);
  t.equal(textToValue(`${'['.repeat(201)}${']'.repeat(201)}`), `${'['.repeat(201)}${']'.repeat(201)}`);
});
