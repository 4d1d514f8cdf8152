import t, { type Test } from 'tap';
import { Secret } from '../../../controller/command.js';
import { MusterError } from '../../../shared/errors.js';
import { isTemplated, OMIT, renderDeep, renderString, renderText } from '../../../controller/template/index.js';
import { parseYaml, posOf } from '../../../shared/yaml.js';

const vars = {
  host: 'web1',
  port: 8080,
  debug: false,
  ratio: 0.5,
  nothing: null,
  pkgs: ['nginx', 'curl'],
  pkg: { name: 'nginx', version: '1.24' },
  users: [
    { name: 'ann', admin: true },
    { name: 'bob', admin: false },
  ],
  domain: 'example.org',
  url: 'http://{{ host }}:{{ port }}/',
  base_url: '{{ url }}api',
  all_pkgs: '{{ pkgs + ["vim"] }}',
  html: '<b>&</b>',
  password: new Secret('s3cret'),
  'dashed-name': 'dash',
};
const where = { host: 'web1', task: 'configure', pos: { file: 'site.yml', line: 7, col: 14 } };

t.test('a lone {{ }} keeps the native type', async (t) => {
  const cases: [string, unknown][] = [
    ['{{ port }}', 8080],
    ['{{port}}', 8080],
    ['{{ debug }}', false],
    ['{{ ratio }}', 0.5],
    ['{{ nothing }}', null],
    ['{{ pkgs }}', ['nginx', 'curl']],
    ['{{ pkg }}', { name: 'nginx', version: '1.24' }],
    ['{{ pkgs | length }}', 2],
    ['{{ port + 1 }}', 8081],
    ['{{ missing | default([]) }}', []],
    ['{{ all_pkgs }}', ['nginx', 'curl', 'vim']],
    ['{{ users | map(attribute="name") | list }}', ['ann', 'bob']],
    ['{{default missing 5}}', 5],
    ['{{length pkgs}}', 2],
    ['{{~ port ~}}', 8080],
    ['{{- port -}}', 8080],
    ['{{{ port }}}', 8080],
    ['{{ password }}', vars.password],
    ['{{ [1, 2] }}', [1, 2]],
    ['{{ none }}', null],
    ['{{ True }}', true],
  ];
  for (const [tpl, want] of cases) t.same(renderString(tpl, vars, where), want, tpl);
});

t.test('anything else renders to a string', async (t) => {
  const cases: [string, string][] = [
    ['no template', 'no template'],
    ['port={{ port }}', 'port=8080'],
    [' {{ port }}', ' 8080'],
    ['{{ host }}:{{ port }}', 'web1:8080'],
    ['{{ url }}', 'http://web1:8080/'],
    ['{{ base_url }}', 'http://web1:8080/api'],
    ['debug={{ debug }}', 'debug=false'],
    ['pkgs={{ pkgs }}', 'pkgs=["nginx","curl"]'],
    ['{{ html }}', '<b>&</b>'],
    ['pw={{ password }}', 'pw=s3cret'],
    ['{{ pkg.name }}-{{ pkg.version }}', 'nginx-1.24'],
    ["{{ pkg['name'] }}", 'nginx'],
    ['{{ pkgs.0 }}/{{ pkgs[1] }}', 'nginx/curl'],
    ['{{ pkgs.[1] }}', 'curl'],
    ['{{ this.host }}', 'web1'],
    ['{{ @root.host }}', 'web1'],
    // a leading [..] is a Jinja list; Handlebars' [segment] needs a path before it
    ['{{ this.[dashed-name] }}', 'dash'],
    ["{{ missing | default('none') }}", 'none'],
    ['{{default missing "fb"}}', 'fb'],
    ['{{default pkg.missing.deeper "fb"}}', 'fb'],
    ["{{ pkgs | join(', ') }}", 'nginx, curl'],
    ['{{join pkgs ", "}}', 'nginx, curl'],
    ['{{upper (join pkgs "+")}}', 'NGINX+CURL'],
    ["{{ 'on' if debug else 'off' }}", 'off'],
    ['{{ port // 1000 }}k', '8k'],
    ['{{ "a}}b" }}', 'a}}b'],
    ["x{{ {'a': {'b': 1}}.a.b }}", 'x1'],
    ['{{ host | upper }}{{ host | length }}', 'WEB14'],
    ['\\{{ host }}', '{{ host }}'],
    ['{{!-- note --}}x', 'x'],
    ['a {{~ host ~}} b', 'aweb1b'],
    ['a {{- host -}} b', 'aweb1b'],
    ['{{#if debug}}on{{else}}off{{/if}}', 'off'],
    ['{{#unless debug}}quiet{{/unless}}', 'quiet'],
    ['{{#if missing}}yes{{else}}no{{/if}}', 'no'],
    ['{{#if port > 80}}high{{/if}}', 'high'],
    ['{{#if missing is defined}}yes{{else if debug}}debug{{else}}no{{/if}}', 'no'],
    ['{{#each pkgs}}{{this}};{{/each}}', 'nginx;curl;'],
    ['{{#each pkgs}}{{@index}}={{this}} {{/each}}', '0=nginx 1=curl '],
    ['{{#each users}}{{name}}@{{domain}} {{/each}}', 'ann@example.org bob@example.org '],
    ['{{#each users}}{{#if admin}}{{name}}{{/if}}{{/each}}', 'ann'],
    ['{{#each users}}{{ name | upper }}{{#unless @last}},{{/unless}}{{/each}}', 'ANN,BOB'],
    ['{{#each users as |u i|}}{{i}}:{{u.name}} {{/each}}', '0:ann 1:bob '],
    ['{{#each users as |u|}}{{ u.name ~ "!" }}{{/each}}', 'ann!bob!'],
    ['{{#each users}}{{ loop.index }}/{{ @index + 1 }} {{/each}}', '1/1 2/2 '],
    ['{{#each pkg}}{{@key}}={{this}} {{/each}}', 'name=nginx version=1.24 '],
    ['{{#each all_pkgs}}{{this}},{{/each}}', 'nginx,curl,vim,'],
    ['{{#each (users | selectattr("admin"))}}{{name}}{{/each}}', 'ann'],
    ['{{#each users | rejectattr("admin")}}{{name}}{{/each}}', 'bob'],
    ['{{#each missing_list}}x{{else}}empty{{/each}}'.replace('missing_list', '[]'), 'empty'],
    ['{{#with pkg}}{{name}}{{/with}}', 'nginx'],
    ['{{#with missing}}x{{else}}none{{/with}}', 'none'],
    ['{{lookup pkg "name"}}', 'nginx'],
  ];
  for (const [tpl, want] of cases) t.equal(renderString(tpl, vars, where), want, tpl);
});

t.test('Jinja statements render like Ansible (trim_blocks)', async (t) => {
  const cases: [string, string][] = [
    ['{% if debug %}on{% else %}off{% endif %}', 'off'],
    ['{% if port > 9000 %}a{% elif port > 8000 %}b{% else %}c{% endif %}', 'b'],
    ['{% for p in pkgs %}{{ p }} {% endfor %}', 'nginx curl '],
    ['{% for p in pkgs %}\n- {{ p }}\n{% endfor %}\n', '- nginx\n- curl\n'],
    ['{% for k, v in pkg.items() %}{{ k }}={{ v }};{% endfor %}', 'name=nginx;version=1.24;'],
    ['{% for u in users %}{{ loop.index }}.{{ u.name }}{% if not loop.last %}, {% endif %}{% endfor %}', '1.ann, 2.bob'],
    ['{% for u in users if u.admin %}', 'never'],
    ['a {# comment #}b', 'a b'],
    ['{% raw %}{{ host }}{% endraw %}', '{{ host }}'],
    // rendered by the Jinja renderer as Ansible would, statements Handlebars could not express included
    ['{% set next = port + 1 %}{{ next }}', '8081'],
    ['{% for k, v in pkg | dictsort %}{{ k }}={{ v }} {% endfor %}', 'name=nginx version=1.24 '],
    ['{% for p in pkgs %}{{ p }}{% if not loop.last %},{% endif %}{% endfor %} {{ debug }}', 'nginx,curl False'],
    ['x\n  {%- if true %} y{% endif %}', 'x y'],
    ['{% if true +%}\nkept{% endif %}', '\nkept'],
    // trim_blocks eats the newline after any tag, also at the end of a line of text (as in Ansible)
    ['{% if true %}a{% endif %}\nb', 'ab'],
    ['a\n  {% if true %}\nb\n  {% endif %}\nc', 'a\n  b\n  c'],
    ['a\n  {% if true -%}\n   b{% endif %}', 'a\n  b'],
    ['{% for p in pkgs -%}\n  {{ p }}\n{%- endfor %}', 'nginxcurl'],
  ];
  for (const [tpl, want] of cases.filter(([, w]) => w !== 'never')) t.equal(renderText(tpl, vars, where), want, tpl);
});

t.test('renderText: template files', async (t) => {
  const jinja = [
    '# managed by muster',
    'server {',
    '  listen {{ port }};',
    '  server_name {{ host }}.{{ domain }};',
    '{% for u in users %}',
    "  # {{ u.name }}{{ ' (admin)' if u.admin }}",
    '{% endfor %}',
    '{% if debug %}',
    '  error_log debug;',
    '{% endif %}',
    '}',
    '',
  ].join('\n');
  const file = { ...where, source: 'templates/site.conf.j2' };
  const want = '# managed by muster\nserver {\n  listen 8080;\n  server_name web1.example.org;\n  # ann (admin)\n  # bob\n}\n';
  t.equal(renderText(jinja, vars, file), want, 'Jinja statements');
  t.equal(renderText(jinja, { ...vars, debug: true }, file), want.replace('}\n', '  error_log debug;\n}\n'), 'Jinja statements, debug');
  const hbs = [
    '# managed by muster',
    'server {',
    '  listen {{port}};',
    '  server_name {{host}}.{{domain}};',
    '  {{#each users}}',
    '  # {{name}}{{#if admin}} (admin){{/if}}',
    '  {{/each}}',
    '  {{#if debug}}',
    '  error_log debug;',
    '  {{/if}}',
    '}',
    '',
  ].join('\n');
  const hbsFile = { ...where, source: 'templates/site.conf.hbs' };
  t.equal(renderText(hbs, vars, hbsFile), want, 'Handlebars blocks on their own lines vanish');
  t.equal(renderText(hbs, { ...vars, debug: true }, hbsFile), want.replace('}\n', '  error_log debug;\n}\n'), 'Handlebars, debug');
  t.equal(renderText('{{ port }}', vars, where), '8080', 'always a string');
  t.equal(renderText('plain', vars, where), 'plain');
});

t.test('renderDeep renders every string and keeps the rest', async (t) => {
  const args = { name: '{{ pkg.name }}', state: 'present', list: ['{{ host }}', 3, { nested: '{{ port }}' }], n: 5, flag: true, secret: vars.password };
  const out = renderDeep(args, vars, where) as Record<string, unknown>;
  t.same(out, { name: 'nginx', state: 'present', list: ['web1', 3, { nested: 8080 }], n: 5, flag: true, secret: vars.password });
  t.not(out, args, 'a new object');
  t.not(out.list, args.list, 'new lists');
  t.equal(out.secret, vars.password, 'class instances pass through');
  t.equal(args.name, '{{ pkg.name }}', 'the input is untouched');
  t.same(renderDeep({ '{{ host }}_key': 1 }, vars, where), { web1_key: 1 }, 'keys render too');
  t.equal(renderDeep('{{ port }}', vars, where), 8080);
  t.equal(renderDeep(null, vars, where), null);
});

t.test('renderDeep drops what renders to omit', async (t) => {
  const out = renderDeep(
    { mode: '{{ missing | default(omit) }}', owner: '{{ owner | default(omit) }}', keep: 1, items: ['a', '{{ omit }}'] },
    { owner: 'root' },
    where,
  );
  t.same(out, { owner: 'root', keep: 1, items: ['a'] });
  t.equal(renderString('{{ omit }}', {}, where), OMIT);
});

t.test('renderDeep keeps YAML positions', async (t) => {
  const doc = parseYaml('args:\n  src: "{{ host }}"\n  opts:\n    - "{{ port }}"\n', 'task.yml') as { args: { opts: unknown[] } };
  const out = renderDeep(doc.args, vars, where) as { opts: unknown[] };
  t.same(posOf(out, 'src'), { file: 'task.yml', line: 2, col: 8 });
  t.same(posOf(out.opts, 0), { file: 'task.yml', line: 4, col: 7 });
});

t.test('isTemplated', async (t) => {
  t.equal(isTemplated('{{ x }}'), true);
  t.equal(isTemplated('a {% if x %}'), true);
  t.equal(isTemplated('plain { braces }'), false);
  t.equal(isTemplated(5), false);
  t.equal(isTemplated(undefined), false);
});

function failure(t: Test, fn: () => unknown, message: RegExp, extra: Partial<MusterError> = {}) {
  try {
    fn();
    t.fail(`should fail with ${message}`);
  } catch (e) {
    t.type(e, MusterError);
    const err = e as MusterError;
    t.equal(err.code, extra.code ?? 'E_TEMPLATE');
    t.match(err.message, message);
    t.same([err.host, err.task, err.pos], [where.host, where.task, where.pos], 'located');
    t.ok(err.hint, 'with a hint');
    if (extra.hint) t.match(err.hint, extra.hint);
  }
}

t.test('undefined variables are errors naming the full path', async (t) => {
  failure(t, () => renderString('{{ missing }}', vars, where), /^undefined variable "missing"$/, { hint: "{{ missing | default('...') }}" });
  failure(t, () => renderString('x {{ missing }}', vars, where), /undefined variable "missing"/);
  failure(t, () => renderString('{{ pkg.nmae }}', vars, where), /undefined variable "pkg.nmae" \(did you mean "name"\?\)/);
  failure(t, () => renderString('{{ pkg.name.deeper }}', vars, where), /undefined variable "pkg.name.deeper"/);
  failure(t, () => renderString('{{ hots }}', vars, where), /undefined variable "hots" \(did you mean "host"\?\)/);
  failure(t, () => renderString('{{ users[5].name }}', vars, where), /undefined variable "users\[5\]"/);
  failure(t, () => renderString('{{ missing | upper }}', vars, where), /undefined variable "missing"/);
  failure(t, () => renderString('{{upper missing}}', vars, where), /undefined variable "missing"/);
  failure(t, () => renderString('{{#each missing}}x{{/each}}', vars, where), /undefined variable "missing"/);
  failure(t, () => renderString('{{#missing}}x{{/missing}}', vars, where), /undefined variable "missing"/);
  failure(t, () => renderString('{{#each users}}{{ nope }}{{/each}}', vars, where), /undefined variable "nope"/);
  failure(t, () => renderString('{{#each users}}{{this.nope}}{{/each}}', vars, where), /undefined variable "users\[0\].nope"/);
  failure(t, () => renderString('{{ url }}', { url: 'http://{{ hots }}/' }, where), /undefined variable "hots" \(needed by variable "url"\)/);
});

t.test('a variable defined in terms of itself is reported, not looped on', async (t) => {
  failure(t, () => renderString('{{ a }}', { a: '{{ a }}' }, where), /variable "a" is defined in terms of itself: a -> a/);
  failure(t, () => renderString('{{ a }}', { a: '{{ b }}', b: 'x{{ c }}', c: '{{ a | upper }}' }, where), /a -> b -> c -> a/);
  failure(t, () => renderString('{{ d.x }}', { d: { x: '{{ d.y }}', y: '{{ d.x }}' } }, where), /d.x -> d.y -> d.x/);
  failure(t, () => renderString('{{ d }}', { d: { x: '{{ d }}' } }, where), /d.x -> d.x|defined in terms of itself/);
});

t.test('syntax errors are one line, with the template line in files', async (t) => {
  failure(t, () => renderString('{{ host }', vars, where), /^invalid template, line 1: unexpected character near "\{\{ host \}"$/);
  failure(t, () => renderString('{{#if debug}}x', vars, where), /unexpected end of template/);
  failure(t, () => renderString('{{#if debug}}x{{/each}}', vars, where), /\{\{#if\}\} is closed by \{\{\/each\}\}/);
  failure(t, () => renderString('{{ host | }}', vars, where), /invalid expression: the expression ends too early/);
  failure(t, () => renderString('{{ 1 +* 2 }}', vars, where), /invalid expression: unexpected "\*"\n {4}1 \+\* 2\n {7}\^ column 4/);
  failure(t, () => renderString('{{else}}', vars, where), /"\{\{else\}\}" outside a block/);
  failure(t, () => renderText('a\nb\n{{#if x}}', vars, { ...where, source: 'templates/a.hbs' }), /line 3: .* \(in templates\/a.hbs\)$/);
  failure(t, () => renderText('a\n{% frobnicate %}', vars, where), /^the Jinja statement \{% frobnicate %\} is not supported \(line 2\)$/);
  failure(t, () => renderText('{% if x %}', vars, where), /^\{% if %\} is never closed \(line 1\)$/);
  failure(t, () => renderText('{% endfor %}', vars, where), /^unexpected \{% endfor %\} \(line 1\)$/);
  failure(t, () => renderText('{% for x %}{% endfor %}', vars, where), /cannot read "\{% for x %\}"/);
  failure(t, () => renderText('{% elif x %}', vars, where), /^unexpected \{% elif %\} \(line 1\)$/);
});

t.test('errors in template files name the file and line', async (t) => {
  const file = { ...where, source: 'templates/app.conf.j2' };
  failure(t, () => renderText('a\nb\n  x={{ nope }}\n', vars, file), /^undefined variable "nope" \(templates\/app.conf.j2 line 3\)$/);
  failure(t, () => renderText('{% for u in users %}\n\n{{ u.nope }}\n{% endfor %}', vars, file), /"u.nope" .*line 3\)$/);
  failure(t, () => renderText('a\n{{ host | int + "x" }}', vars, file), /cannot add int and string[\s\S]*\(templates\/app.conf.j2 line 2\)$/);
  failure(t, () => renderText('{{ one }}', vars, where), /^undefined variable "one"$/, {});
});

t.test('filter errors from Handlebars helpers name the helper', async (t) => {
  failure(t, () => renderString('{{length port}}', vars, where), /^length: length needs a string, list or dict, got int$/);
});
