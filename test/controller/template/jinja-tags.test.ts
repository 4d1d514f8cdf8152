import t from 'tap';
import { hasJinjaTags, JinjaProblem, jinjaToHandlebars } from '../../../controller/template/jinja-tags.js';

const cases: [string, string][] = [
  ['{% if a %}x{% endif %}', '{{#if a}}{{!----}}x{{/if}}{{!----}}'],
  ['{% if a %}x{% elif b %}y{% else %}z{% endif %}', '{{#if a}}{{!----}}x{{else if b}}{{!----}}y{{else}}{{!----}}z{{/if}}{{!----}}'],
  ['{% for x in xs %}{{ x }}{% endfor %}', '{{#each xs as |x|}}{{!----}}{{ x }}{{/each}}{{!----}}'],
  ['{% for k, v in d.items() %}{% endfor %}', '{{#each d as |v k|}}{{!----}}{{/each}}{{!----}}'],
  ['{% for k, v in d %}{% endfor %}', '{{#each d as |v k|}}{{!----}}{{/each}}{{!----}}'],
  // trim_blocks: the newline after a tag is swallowed by a comment (so lines still count)
  ['{% if a %}\nx\n{% endif %}\n', '{{#if a}}{{!--\n--}}x\n{{/if}}{{!--\n--}}'],
  ['{% if a %}\r\nx{% endif %}', '{{#if a}}{{!--\r\n--}}x{{/if}}{{!----}}'],
  // whitespace control
  ['{%- if a -%}\nx{% endif %}', '{{~#if a}}{{!--\n--~}}x{{/if}}{{!----}}'],
  ['{% if a +%}\nx{% endif %}', '{{#if a}}{{!----}}\nx{{/if}}{{!----}}'],
  // comments and raw sections
  ['a{# note #}b', 'a{{!-- note --}}b'],
  ['{# a --}} b #}', '{{!-- a - -}} b --}}'],
  ['{% raw %}{% if %}{{ x }}{% endraw %}', '{{{{__raw}}}}{% if %}{{ x }}{{{{/__raw}}}}{{!----}}'],
  ['{% raw %}a{% endraw %}\nb', '{{{{__raw}}}}a{{{{/__raw}}}}{{!--\n--}}b'],
];

t.test('translates statements to Handlebars', async (t) => {
  for (const [input, want] of cases) t.equal(jinjaToHandlebars(input), want, input);
});

t.test('hasJinjaTags', async (t) => {
  t.equal(hasJinjaTags('{% if %}'), true);
  t.equal(hasJinjaTags('{# c #}'), true);
  t.equal(hasJinjaTags('{{ x }}'), false);
});

const problems: [string, RegExp, number][] = [
  ['a\n{% set x = 1 %}', /the Jinja statement \{% set %\} is not supported/, 2],
  ['{% include "x" %}', /\{% include %\} is not supported/, 1],
  ['{% macro m() %}', /\{% macro %\} is not supported/, 1],
  ['{% if a %}\n\n', /\{% if %\} is never closed/, 3],
  ['{% for x in y %}{% endif %}', /\{% endif %\} without a matching \{% if %\}/, 1],
  ['\n{% endfor %}', /\{% endfor %\} without a matching \{% for %\}/, 2],
  ['{% elif a %}', /\{% elif %\} outside an \{% if %\}/, 1],
  ['{% else %}', /\{% else %\} outside an \{% if %\} or \{% for %\}/, 1],
  ['{% for in xs %}', /cannot read "\{% for in xs %\}"/, 1],
  ['{% %}', /\{%  %\} is not supported|is not supported/, 1],
];

t.test('refuses what it cannot translate, with the line', async (t) => {
  for (const [input, message, line] of problems) {
    try {
      jinjaToHandlebars(input);
      t.fail(`${input} should fail`);
    } catch (e) {
      t.type(e, JinjaProblem, input);
      t.match((e as JinjaProblem).message, message, input);
      t.equal((e as JinjaProblem).line, line, `${input}: line`);
      t.ok((e as JinjaProblem).hint, `${input}: hint`);
    }
  }
});
