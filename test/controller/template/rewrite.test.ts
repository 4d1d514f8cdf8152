import t from 'tap';
import { rewrite } from '../../../controller/template/rewrite.js';

const cases: [string, string][] = [
  // plain names go to the expression language (block items first, then the variables)
  ['{{ x }}', '{{__out (__expr "x")}}'],
  ['a {{ x.y.0 }} b', 'a {{__out (__expr "x.y.0")}} b'],
  // Handlebars-only paths stay Handlebars
  ['{{this}}', '{{__out (__expr "this")}}'],
  ['{{@index}}', '{{__out @index}}'],
  ['{{../x}}', '{{__out ../x}}'],
  ['{{@root.x}}', '{{__out @root.x}}'],
  ['{{x.[odd key]}}', '{{__out x.[odd key]}}'],
  // helper calls stay Handlebars
  ['{{join xs ","}}', '{{__out (join xs ",")}}'],
  ['{{default x "y"}}', '{{__out (default x "y")}}'],
  ['{{lookup d "k"}}', '{{__out (lookup d "k")}}'],
  // Jinja bodies become expressions
  ["{{ x | default('y') }}", '{{__out (__expr "x | default(\'y\')")}}'],
  ['{{ x == "a" }}', '{{__out (__expr "x == \\"a\\"")}}'],
  ["{{ 'a' if c else 'b' }}", "{{__out (__expr \"'a' if c else 'b'\")}}"],
  ['{{ [1, 2] }}', '{{__out (__expr "[1, 2]")}}'],
  ['{{ none }}', '{{__out (__expr "none")}}'],
  ['{{ first if x else y }}', '{{__out (__expr "first if x else y")}}'],
  ['{{ join }}', '{{__out (__expr "join")}}'],
  // whitespace control, both spellings
  ['{{~ x ~}}', '{{~__out (__expr "x")~}}'],
  ['{{- x -}}', '{{~__out (__expr "x")~}}'],
  ['{{{ x }}}', '{{__out (__expr "x")}}'],
  ['{{& x }}', '{{__out (__expr "x")}}'],
  // blocks: Jinja conditions become expressions, Handlebars arguments stay
  ['{{#if x}}a{{/if}}', '{{#if (__expr "x")}}a{{/if}}'],
  ['{{#if @first}}a{{/if}}', '{{#if @first}}a{{/if}}'],
  ['{{#if x is defined}}a{{else if y > 1}}b{{else}}c{{/if}}', '{{#if (__expr "x is defined")}}a{{else if (__expr "y > 1")}}b{{else}}c{{/if}}'],
  ['{{#unless (default x false)}}a{{/unless}}', '{{#unless (default x false)}}a{{/unless}}'],
  ['{{#each xs as |v k|}}{{v}}{{/each}}', '{{#each (__expr "xs") as |v k|}}{{__out v}}{{/each}}'],
  ['{{#each xs as |v|}}{{ v | upper }}{{/each}}{{ v }}', '{{#each (__expr "xs") as |v|}}{{__out (__expr "v | upper" v=v)}}{{/each}}{{__out (__expr "v")}}'],
  ['{{#with d}}{{k}}{{/with}}', '{{#with (__expr "d")}}{{__out (__expr "k")}}{{/with}}'],
  ['{{#if true}}a{{/if}}', '{{#if true}}a{{/if}}'],
  // left alone: comments, escapes, partials, raw blocks
  ["{{! it's }}{{!-- {{ x }} don't --}}", "{{! it's }}{{!-- {{ x }} don't --}}"],
  ['\\{{ x }}', '\\{{ x }}'],
  ['{{> part}}', '{{> part}}'],
  ['{{{{raw}}}} {{ x }} {{{{/raw}}}}', '{{{{raw}}}} {{ x }} {{{{/raw}}}}'],
  // braces and quotes inside Jinja bodies
  ['{{ "}}" }}', '{{__out (__expr "\\"}}\\"")}}'],
  ["{{ {'a': {'b': 1}} }}", "{{__out (__expr \"{'a': {'b': 1}}\")}}"],
  // newlines stay, so line numbers still match
  ['a\n{{ x\n | upper }}\nb', 'a\n{{__out (__expr "x\n | upper")}}\nb'],
  // an unclosed mustache is left for Handlebars to report
  ['a {{ x', 'a {{ x'],
];

t.test('rewrites mustaches to our helpers', async (t) => {
  for (const [input, want] of cases) t.equal(rewrite(input, false).text, want, input);
});

t.test('native mode captures a lone value mustache', async (t) => {
  t.same(rewrite('{{ x }}', true), { text: '{{__capture (__expr "x")}}', single: true });
  t.same(rewrite('{{join xs ","}}', true), { text: '{{__capture (join xs ",")}}', single: true });
  t.same(rewrite(' {{ x }}', true), { text: ' {{__out (__expr "x")}}', single: false });
  t.same(rewrite('{{ x }}{{ y }}', true).single, false);
  t.same(rewrite('{{#if x}}a{{/if}}', true).single, false);
  t.same(rewrite('{{ x }}', false).single, false);
});

t.test('Jinja statements are translated first', async (t) => {
  t.equal(rewrite('{% if x %}a{% endif %}', false).text, '{{#if (__expr "x")}}{{!----}}a{{/if}}{{!----}}');
});
