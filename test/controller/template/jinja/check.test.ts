/** Template files are checked at load: syntax, every expression, and the filter and test names. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadPlaybook } from '../../../../controller/playbook/load.js';
import { jinjaProblem } from '../../../../controller/template/jinja/check.js';
import { MusterError } from '../../../../shared/errors.js';

// [what, template, problem pattern or undefined when fine]
const table: [string, string, RegExp | undefined][] = [
  ['fine', '{% for u in users if u.admin %}{{ u.name | upper }}{% else %}-{% endfor %}\n', undefined],
  ['a known test', '{% if x is defined and y is not none %}{% endif %}', undefined],
  ['a filter block', '{% filter upper %}x{% endfilter %}', undefined],
  ['an unclosed if', 'a\n{% if x %}\n', /^line 2: \{% if %\} is never closed$/],
  ['a bad expression', 'a\nb\n{{ x + }}\n', /^line 3: the expression ends too early\n {4}x \+\n +\^ column 4$/],
  ['a bad condition', '{% if x == %}{% endif %}', /^line 1: the expression ends too early/],
  ['a bad loop source', '\n{% for x in [1, %}{% endfor %}', /^line 2: /],
  ['an unknown filter', '{{ x | frobnicate }}', /^line 1: unknown filter "frobnicate" in "x \| frobnicate"$/],
  ['a misspelt filter', '{{ x | to_nice_yml }}', /unknown filter "to_nice_yml" \(did you mean "to_nice_yaml"\?\)/],
  ['an unknown test', '{% if x is frobbed %}{% endif %}', /unknown test "frobbed"/],
  ['an unknown filter in a filter block', '{% filter shout %}x{% endfilter %}', /unknown filter "shout"/],
  ['an unknown filter in a set', '{% set y = x | nope %}', /unknown filter "nope"/],
  ['an unknown statement', '{% frobnicate %}', /the Jinja statement \{% frobnicate %\} is not supported/],
];

for (const [title, text, want] of table) {
  t.test(title, async (t) => {
    const p = jinjaProblem(text);
    if (!want) return t.equal(p, undefined);
    t.match(p?.message, want);
    t.ok(p?.hint, 'with a hint');
  });
}

t.test('a role template that cannot render stops the playbook at load', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-j2check-'));
  mkdirSync(join(dir, 'roles/web/tasks'), { recursive: true });
  mkdirSync(join(dir, 'roles/web/templates'), { recursive: true });
  writeFileSync(join(dir, 'roles/web/tasks/main.yml'), '- template: src=site.conf.j2 dest=/etc/site.conf\n- template: src="{{ name }}.j2" dest=/x\n');
  writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  roles: [web]\n');
  writeFileSync(join(dir, 'roles/web/templates/site.conf.j2'), 'listen {{ port }}\n');
  t.ok(loadPlaybook(join(dir, 'site.yml')), 'a good template loads (a templated name is left to the run)');
  writeFileSync(join(dir, 'roles/web/templates/site.conf.j2'), 'listen {{ port }}\n{% if tls %}\nssl on;\n');
  try {
    loadPlaybook(join(dir, 'site.yml'));
    t.fail('expected a load error');
  } catch (e) {
    t.type(e, MusterError);
    t.equal((e as MusterError).code, 'E_TEMPLATE');
    t.match((e as MusterError).message, /invalid template .*roles\/web\/templates\/site.conf.j2: line 2: \{% if %\} is never closed/);
    t.match((e as MusterError).pos, { line: 1 }, 'located at the task');
  }
});

t.test('a task argument with Jinja statements is checked the same way', async (t) => {
  const { templateProblem } = await import('../../../../controller/template/check.js');
  t.equal(templateProblem('{% set x = 1 %}{{ x }}'), undefined, 'set is fine');
  t.match(templateProblem('{% for x in xs %}{{ x | nope }}{% endfor %}')?.message, /^line 1: unknown filter "nope"/);
  t.match(templateProblem('a\n{% if x %}')?.message, /^line 2: \{% if %\} is never closed$/);
  t.equal(templateProblem('{{#each xs}}{% raw %}x{% endraw %}{{/each}}'), undefined, 'Handlebars blocks keep the Handlebars check');
});
