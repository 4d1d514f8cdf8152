import t from 'tap';
import type { MusterError } from '../../../shared/errors.js';
import { parseKv } from '../../../controller/playbook/kv.js';
import { posOf } from '../../../shared/yaml.js';

const options = new Set(['chdir', 'creates']);

const cases: { input: string; free?: boolean; want: Record<string, unknown> }[] = [
  { input: '', want: {} },
  { input: 'a=1 b=two', want: { a: '1', b: 'two' } },
  { input: 'msg="hello world" other=\'x y\'', want: { msg: 'hello world', other: 'x y' } },
  { input: 'msg="say \\"hi\\""', want: { msg: 'say "hi"' } },
  { input: 'src={{ item }} dest=/etc/{{ item | basename }}', want: { src: '{{ item }}', dest: '/etc/{{ item | basename }}' } },
  { input: 'msg={% if a %}x{% endif %} b=1', want: { msg: '{% if a %}x{% endif %}', b: '1' } },
  // as in Ansible, blanks between template markers split words: quote such values
  { input: 'msg="{% if a %}x y{% endif %}"', want: { msg: '{% if a %}x y{% endif %}' } },
  { input: 'msg="{{ a }}"', want: { msg: '{{ a }}' } },
  { input: 'k=v=w empty=', want: { k: 'v=w', empty: '' } },
  { input: 'mode=0644', want: { mode: '0644' } },
  { input: 'msg=hi there', want: { msg: 'hi', _raw_params: 'there' } },
  { input: '--flag=x', want: { _raw_params: '--flag=x' } },
  { input: 'echo hi', free: true, want: { _raw_params: 'echo hi' } },
  { input: 'chdir=/tmp ls -l FOO=bar', free: true, want: { chdir: '/tmp', _raw_params: 'ls -l FOO=bar' } },
  { input: 'echo "a  b" creates=/x', free: true, want: { creates: '/x', _raw_params: 'echo "a  b"' } },
  { input: 'cat a  b\ncat c', free: true, want: { _raw_params: 'cat a  b\ncat c' } },
  { input: 'echo {{ "x y" }} chdir=/t z', free: true, want: { chdir: '/t', _raw_params: 'echo {{ "x y" }} z' } },
];

t.test('parseKv', async (t) => {
  for (const c of cases) t.same(parseKv(c.input, undefined, c.free ? options : undefined), c.want, JSON.stringify(c.input));
});

t.test('the result remembers where it was written', async (t) => {
  const pos = { file: 'a.yml', line: 3, col: 9 };
  t.same(posOf(parseKv('a=1', pos)), pos);
});

t.test('unclosed quotes and template markers are errors at the given position', async (t) => {
  const pos = { file: 'a.yml', line: 2, col: 5 };
  for (const [input, what] of [
    ['msg="oops', 'quote "'],
    ["msg='oops", "quote '"],
    ['msg={{ a', '"{{"'],
    ['msg={% if', '"{%"'],
  ]) {
    const err = t.throws(() => parseKv(input, pos)) as MusterError;
    t.equal(err.code, 'E_SCHEMA');
    t.ok(err.message.includes(`unclosed ${what}`), err.message);
    t.same(err.pos, pos);
  }
});
