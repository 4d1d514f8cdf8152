import t from 'tap';
import type { MusterError } from '../../../shared/errors.js';
import { iniGet, parseIni, unquote } from '../../../controller/config/ini.js';

const values = (text: string) =>
  Object.fromEntries([...parseIni(text, 'ansible.cfg').sections].map(([s, keys]) => [s, Object.fromEntries([...keys].map(([k, e]) => [k, e.value]))]));

const good: { name: string; text: string; want: Record<string, Record<string, string>> }[] = [
  { name: 'key = value and key: value', text: '[defaults]\nforks = 10\nremote_user: pi\n', want: { defaults: { forks: '10', remote_user: 'pi' } } },
  { name: 'keys are case-insensitive, sections are not', text: '[Defaults]\nREMOTE_User = pi\n', want: { Defaults: { remote_user: 'pi' } } },
  {
    name: '# and ; start full-line comments, even indented',
    text: '# top\n[defaults]\n; a comment\n  # indented comment\nforks = 5\n',
    want: { defaults: { forks: '5' } },
  },
  {
    name: 'an inline ; after a space is a comment, # is not',
    text: '[defaults]\na = 1 ; one\nb = x#y # z\nc = p;q\n',
    want: { defaults: { a: '1', b: 'x#y # z', c: 'p;q' } },
  },
  {
    name: 'deeper-indented lines continue the value; blank lines inside stay, trailing ones go',
    text: '[defaults]\nroles_path = /a\n  /b\n\n  /c\n\nforks = 2\n',
    want: { defaults: { roles_path: '/a\n/b\n\n/c', forks: '2' } },
  },
  { name: 'an empty value', text: '[defaults]\nremote_user =\n', want: { defaults: { remote_user: '' } } },
  { name: 'only the first = or : splits', text: '[defaults]\nx = a=b:c\n', want: { defaults: { x: 'a=b:c' } } },
  { name: 'CRLF line ends and a BOM', text: '\uFEFF[defaults]\r\nforks = 3\r\n', want: { defaults: { forks: '3' } } },
];

for (const c of good) t.test(c.name, async (t) => t.same(values(c.text), c.want));

const bad: { name: string; text: string; line: number; msg: RegExp }[] = [
  { name: 'a setting before any section', text: 'forks = 5\n[defaults]\n', line: 1, msg: /before any \[section\]/ },
  { name: 'a line without = or :', text: '[defaults]\nforks 5\n', line: 2, msg: /not a \[section\] header nor key = value/ },
  { name: 'a key twice', text: '[defaults]\nforks = 5\n\nforks = 6\n', line: 4, msg: /"forks" is set twice in this section \(first on line 2\)/ },
  { name: 'a section twice', text: '[defaults]\n[ssh_connection]\n[defaults]\n', line: 3, msg: /section \[defaults\] appears twice/ },
  { name: 'a value without a key', text: '[defaults]\n= 5\n', line: 2, msg: /a value without a key/ },
];

for (const c of bad)
  t.test(c.name, async (t) => {
    const err = t.throws(() => parseIni(c.text, '/etc/ansible/ansible.cfg')) as MusterError;
    t.equal(err.code, 'E_SCHEMA');
    t.match(err.message, c.msg);
    t.same(err.pos, { file: '/etc/ansible/ansible.cfg', line: c.line, col: 1 }, 'file:line of the bad line');
    t.ok(err.hint, 'says what to do');
  });

t.test('[DEFAULT] values are seen in every section; other sections are not', async (t) => {
  const ini = parseIni('[DEFAULT]\nforks = 4\n[defaults]\nremote_user = pi\n[other]\nx = 1\n', 'a.cfg');
  t.equal(iniGet(ini, 'defaults', 'forks')?.value, '4');
  t.equal(iniGet(ini, 'defaults', 'remote_user')?.line, 4);
  t.equal(iniGet(ini, 'defaults', 'x'), undefined);
  t.equal(iniGet(ini, 'missing', 'forks'), undefined, 'a section that is not there has nothing');
});

t.test('unquote removes one pair of matching quotes', async (t) => {
  t.equal(unquote('"pi"'), 'pi');
  t.equal(unquote("'pi'"), 'pi');
  t.equal(unquote('"pi\''), '"pi\'');
  t.equal(unquote('"'), '"');
  t.equal(unquote('pi'), 'pi');
});
