import t from 'tap';
import { compile, condense, TemplateSyntax } from '../../../controller/template/engine.js';
import { renderString, renderText } from '../../../controller/template/index.js';

const where = { host: 'h', task: 't' };

t.test('compiled templates are cached by text and mode', async (t) => {
  t.equal(compile('{{ x }}', true), compile('{{ x }}', true));
  t.not(compile('{{ x }}', true), compile('{{ x }}', false));
  t.type(compile('{{#if x}}', false), TemplateSyntax);
  t.equal(compile('{{#if x}}', false), compile('{{#if x}}', false), 'failures are cached too');
});

t.test('condense puts Handlebars errors on one line', async (t) => {
  const cases: [string, string][] = [
    [
      "Parse error on line 2:\na{{ foo }\n--------^\nExpecting 'CLOSE_RAW_BLOCK', 'CLOSE', got 'INVALID'",
      'invalid template, line 2: unexpected character near "a{{ foo }"',
    ],
    [
      "Parse error on line 1:\n{{#if x}}abc\n------------^\nExpecting 'OPEN_ENDBLOCK', got 'EOF'",
      'invalid template, line 1: unexpected end of template (is a {{/block}} missing?) near "{{#if x}}abc"',
    ],
    ["Parse error on line 1:\n{{__out (__expr \"a\\\"b\") x}}\n^\nExpecting 'X', got 'ID'", 'invalid template, line 1: unexpected id near "{{a"b x}}"'],
    ["if doesn't match each - 3:5", 'invalid template, line 3: {{#if}} is closed by {{/each}}'],
    ['Missing helper: "foo"', 'invalid template: Missing helper: "foo"'],
  ];
  for (const [raw, want] of cases) t.equal(condense(raw), want);
});

t.test('every filter is a Handlebars helper too', async (t) => {
  const vars = { xs: ['b', 'a'], s: ' Hi ', n: '42', d: { k: 1 }, path: '/a/b.txt', users: [{ name: 'x' }] };
  const cases: [string, unknown][] = [
    ['{{join xs "-"}}', 'b-a'],
    ['{{join (sort xs) ","}}', 'a,b'],
    ['{{lower s}}', ' hi '],
    ['{{upper (trim s)}}', 'HI'],
    ['{{replace s "Hi" "Yo"}}', ' Yo '],
    ['{{to_json d}}', '{"k": 1}'],
    ['{{to_nice_json d indent=2}}', '{\n  "k": 1\n}'],
    ['{{to_yaml d}}', 'k: 1\n'],
    ['{{from_json "[1]"}}', [1]],
    ['{{b64encode "hi"}}', 'aGk='],
    ['{{b64decode "aGk="}}', 'hi'],
    ['{{basename path}}', 'b.txt'],
    ['{{dirname path}}', '/a'],
    ['{{int n}}', 42],
    ['{{bool "yes"}}', true],
    ['{{length xs}}', 2],
    ['{{first xs}}', 'b'],
    ['{{last xs}}', 'a'],
    ['{{regex_replace "abc" "b" "X"}}', 'aXc'],
    ['{{quote "a b"}}', "'a b'"],
    ['{{default missing "fb"}}', 'fb'],
    ['{{default "" "fb" true}}', 'fb'],
    ['{{join (map users attribute="name") ","}}', 'x'],
  ];
  for (const [tpl, want] of cases) t.same(renderString(tpl, vars, where), want, tpl);
});

t.test('strict block helpers', async (t) => {
  t.equal(renderText('{{#if missing}}a{{else}}b{{/if}}', {}, where), 'b', 'an undefined condition is false');
  t.equal(renderText('{{#unless missing}}a{{/unless}}', {}, where), 'a');
  t.equal(renderText('{{#if 0}}a{{else}}b{{/if}}', {}, where), 'b', 'Handlebars truthiness otherwise');
  t.equal(renderText('{{#if xs}}a{{else}}b{{/if}}', { xs: [] }, where), 'b');
  t.throws(() => renderText('{{#each missing}}a{{/each}}', {}, where), { code: 'E_TEMPLATE', message: /undefined variable "missing"/ });
  t.equal(renderText('{{#each xs}}a{{else}}none{{/each}}', { xs: [] }, where), 'none');
});

t.test('{% raw %} sections stay literal', async (t) => {
  t.equal(renderText('{% raw %}\n{{ x }} {% if %}\n{% endraw %}\n', {}, where), '{{ x }} {% if %}\n');
});
