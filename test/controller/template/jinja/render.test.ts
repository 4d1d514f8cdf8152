/**
 * Jinja templates rendered as Ansible's template module renders them. Every expected output in the table
 * was produced by ansible-core 2.14's own template code (bench/lib/ansible-render.py) from the same text
 * and variables, so these pin byte-identical output, whitespace rules included.
 */
import t, { type Test } from 'tap';
import { renderText } from '../../../../controller/template/index.js';
import { MusterError } from '../../../../shared/errors.js';

const vars = {
  name: 'web',
  on: true,
  off: false,
  nothing: null,
  n: 3,
  f: 2.5,
  xs: ['a', 'b', 'c'],
  d: { b: 2, a: 1 },
  users: [
    { name: 'ann', admin: true },
    { name: 'bob', admin: false },
  ],
  empty: [],
  nested: { k: [1, null, 'x'] },
  quote: "it's",
  url: 'http://{{ name }}/',
  port: 80,
};

// [what, template, Ansible's output]
const table: [string, string, string][] = [
  ['plain text', 'hello\n', 'hello\n'],
  ['a variable', 'name={{ name }}\n', 'name=web\n'],
  ['booleans and none', '{{ on }} {{ off }} {{ nothing }}\n', 'True False \n'],
  ['lists and dicts print as Python', '{{ xs }} {{ d }} {{ nested }} {{ [quote] }}\n', "['a', 'b', 'c'] {'b': 2, 'a': 1} {'k': [1, None, 'x']} [\"it's\"]\n"],
  ['numbers', '{{ n }} {{ f }} {{ n / 2 }} {{ n // 2 }}\n', '3 2.5 1.5 1\n'],
  ['a templated variable renders', 'url={{ url }}\n', 'url=http://web/\n'],
  ['if/elif/else', '{% if n > 5 %}big{% elif n > 2 %}mid{% else %}small{% endif %}\n', 'mid\n'],
  ['trim_blocks drops the newline after a tag', '{% if on %}\nyes\n{% endif %}\nend\n', 'yes\nend\n'],
  ['indentation before a tag stays (no lstrip_blocks)', 'a\n  {% if on %}\n  b\n  {% endif %}\nc\n', 'a\n    b\n  c\n'],
  ['minus strips whitespace', 'a   {%- if on -%}   b   {%- endif %}\nc\n', 'abc\n'],
  ['minus on expressions', 'x\n  {{- name -}}  \ny\n', 'xweby\n'],
  ['plus keeps the newline', '{% if on +%}\nyes\n{% endif %}\n', '\nyes\n'],
  ['for with loop variables', '{% for x in xs %}{{ loop.index }}/{{ loop.length }}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}\n', '1/3a,2/3b,3/3c\n'],
  ['loop.index0, first, revindex', '{% for x in xs %}{{ loop.index0 }}{{ loop.first }}{{ loop.revindex }} {% endfor %}\n', '0True3 1False2 2False1 \n'],
  ['for over a dict gives keys', '{% for k in d %}{{ k }}={{ d[k] }};{% endfor %}\n', 'b=2;a=1;\n'],
  ['for k, v in items()', '{% for k, v in d.items() %}{{ k }}:{{ v }} {% endfor %}\n', 'b:2 a:1 \n'],
  ['for with a filter', '{% for u in users if u.admin %}{{ u.name }}{% endfor %}\n', 'ann\n'],
  ['for else', '{% for x in empty %}{{ x }}{% else %}none{% endfor %}\n', 'none\n'],
  ['loop variables do not leak', '{% set x = 1 %}{% for x in xs %}{% endfor %}{{ x }}\n', '1\n'],
  ['set inside a loop stays inside', '{% set total = 0 %}{% for x in xs %}{% set total = total + 1 %}{% endfor %}{{ total }}\n', '0\n'],
  ['set', '{% set greeting = "hi " ~ name %}{{ greeting }}\n', 'hi web\n'],
  ['set with a tuple', '{% set a, b = [1, 2] %}{{ a }}{{ b }}\n', '12\n'],
  ['block set', '{% set block %}x{{ n }}{% endset %}[{{ block }}]\n', '[x3]\n'],
  ['raw', '{% raw %}{{ not rendered }}{% endraw %}\n', '{{ not rendered }}\n'],
  ['comments vanish', 'a{# note #}b\n{# whole line #}\nc\n', 'ab\nc\n'],
  ['filter block', '{% filter upper %}loud {{ name }}{% endfilter %}\n', 'LOUD WEB\n'],
  ['block renders its body', '{% block body %}in block {{ n }}{% endblock %}\n', 'in block 3\n'],
  ['with', '{% with a = 5 %}{{ a + n }}{% endwith %}\n', '8\n'],
  ['header: lstrip_blocks', '#jinja2: lstrip_blocks: True\na\n    {% if on %}\n    b\n    {% endif %}\n', 'a\n    b\n'],
  ['header: trim_blocks off', '#jinja2: trim_blocks: False\n{% if on %}\nb\n{% endif %}\n', '\nb\n'],
  ['trailing newlines kept', 'x\n\n\n', 'x\n\n\n'],
  ['no trailing newline', 'x', 'x'],
  ['string escapes and quotes in tags', '{{ \'a }} b\' }} {{ "%}" }}\n', 'a }} b %}\n'],
  ['dict literal in an expression', "{{ {'a': {'b': 1}} }}\n", "{'a': {'b': 1}}\n"],
  ['nested loops', '{% for u in users %}{% for x in xs %}{{ u.name }}{{ x }} {% endfor %}{% endfor %}\n', 'anna annb annc boba bobb bobc \n'],
  ['loop.previtem and nextitem', '{% for x in xs %}{{ loop.previtem | default("-") }}{{ loop.nextitem | default("-") }} {% endfor %}\n', '-b ac b- \n'],
  ['default and ternary', "{{ missing | default('dflt') }} {{ on | ternary('y', 'n') }}\n", 'dflt y\n'],
  ['join and map', "{{ users | map(attribute='name') | join(',') }}\n", 'ann,bob\n'],
  ['to_nice_yaml', '{{ d | to_nice_yaml }}', 'a: 1\nb: 2\n'],
  ['to_json', '{{ users | to_json }}\n', '[{"name": "ann", "admin": true}, {"name": "bob", "admin": false}]\n'],
  ['if on a list', '{% if empty %}full{% else %}empty{% endif %} {% if xs %}full{% endif %}\n', 'empty full\n'],
  ['for over a string', '{% for c in name %}{{ c }}.{% endfor %}\n', 'w.e.b.\n'],
  ['Windows line endings', 'a\r\n{% if on %}\r\nb\r\n{% endif %}\r\n', 'a\nb\n'],
  ['string concatenation of a boolean', "{{ 'x' ~ on }} {{ 'n' ~ nothing }} {{ xs ~ '' }}\n", "xTrue nNone ['a', 'b', 'c']\n"],
  ['a macro with defaults', '{% macro kv(k, v="-") %}{{ k }}={{ v }}{% endmacro %}{{ kv("a", 1) }} {{ kv("b") }} {{ kv(v=2, k="c") }}\n', 'a=1 b=- c=2\n'],
  ['call and caller()', '{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}in {{ name }}{% endcall %}\n', '[in web]\n'],
  ['loop.cycle', '{% for x in xs %}{{ loop.cycle("odd", "even") }} {% endfor %}\n', 'odd even odd \n'],
  ['loop.changed', '{% for x in [1, 1, 2, 2, 1] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}\n', '121\n'],
  [
    'namespace carries a value out of a loop',
    '{% set ns = namespace(found=false) %}{% for u in users %}{% if u.admin %}{% set ns.found = u.name %}{% endif %}{% endfor %}{{ ns.found }}\n',
    'ann\n',
  ],
];

for (const [title, text, want] of table) {
  t.test(title, async (t) => t.equal(renderText(text, vars, { host: 'h1', source: 'case.j2' }), want));
}

const where = { host: 'h1', task: 'configure', source: 'templates/app.conf.j2' };

function failure(t: Test, fn: () => unknown, message: RegExp) {
  try {
    fn();
    t.fail('expected an error');
  } catch (e) {
    t.type(e, MusterError);
    t.match((e as MusterError).message, message);
    t.equal((e as MusterError).host, 'h1', 'the host stays on the error');
  }
}

t.test('syntax errors name the template line', async (t) => {
  failure(t, () => renderText('a\n{% if on %}\nb\n', vars, where), /\{% if %\} is never closed \(templates\/app.conf.j2 line 2\)/);
  failure(t, () => renderText('{% for x in xs %}{% endif %}', vars, where), /unexpected \{% endif %\} inside \{% for %\}/);
  failure(t, () => renderText('x\n\n{% frobnicate %}', vars, where), /the Jinja statement \{% frobnicate %\} is not supported .*line 3/);
  failure(t, () => renderText('{{ name', vars, where), /a \{\{ expression \}\} is never closed/);
  failure(t, () => renderText('{# open', vars, where), /comment #\} is never closed/);
  failure(t, () => renderText('{% for x xs %}{% endfor %}', vars, where), /cannot read "\{% for x xs %\}"/);
  failure(t, () => renderText('{% else %}', vars, where), /unexpected \{% else %\}/);
  // the header line does not count: line numbers stay those of the file
  failure(t, () => renderText('#jinja2: lstrip_blocks: True\nok\n{% if %}{% endif %}', vars, where), /an empty expression .*line 3/);
});

t.test('render errors name the template line', async (t) => {
  failure(t, () => renderText('a\nb\n  x={{ nope }}\n', vars, where), /^undefined variable "nope" .*\(templates\/app.conf.j2 line 3\)$/);
  failure(t, () => renderText('{% for x in n %}{% endfor %}', vars, where), /cannot loop over int .*line 1/);
  failure(t, () => renderText('{% for a, b in xs %}{% endfor %}', vars, where), /cannot unpack string into a, b/);
  failure(t, () => renderText('{% if nope %}x{% endif %}', vars, where), /undefined variable "nope"/);
  failure(t, () => renderText('{% set ns.x = 1 %}', { ns: {} }, where), /ns is not a namespace/);
});

t.test('extends and include find other templates through the loader', async (t) => {
  const files: Record<string, string> = {
    'base.j2': 'head\n{% block body %}default body{% endblock %}\nfoot {{ name }}\n',
    'part.j2': 'part {{ x }}',
  };
  const load = (name: string) => (files[name] === undefined ? undefined : { text: files[name], source: `templates/${name}` });
  const child = '{% extends "base.j2" %}\n{% block body %}child body {{ n }}{% endblock %}\nignored\n';
  // as ansible-core 2.14 renders it: trim_blocks also eats the newline after {% endblock %}
  t.equal(renderText(child, vars, where, load), 'head\nchild body 3foot web\n');
  t.equal(renderText('{% for x in xs %}{% include "part.j2" %};{% endfor %}', vars, where, load), 'part a;part b;part c;');
  t.equal(renderText('[{% include "gone.j2" ignore missing %}]', vars, where, load), '[]');
  failure(t, () => renderText('{% include "gone.j2" %}', vars, where, load), /cannot find the included template/);
  failure(t, () => renderText('{% extends "gone.j2" %}', vars, where, load), /cannot find the template this one extends/);
  failure(t, () => renderText('{% include "part.j2" %}', {}, where, load), /undefined variable "x" \(templates\/part.j2 line 1\)/);
});

t.test('a .hbs file stays Handlebars', async (t) => {
  t.equal(renderText('{{#each xs}}{{this}}{{/each}}', vars, { ...where, source: 'a.hbs' }), 'abc');
});
