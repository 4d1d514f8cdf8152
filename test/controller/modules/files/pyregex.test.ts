import t from 'tap';
import { expandTemplate, groupsOf, pyRegex, substitute } from '../../../../controller/modules/files/pyregex.js';

t.test('pyRegex translates Python-only syntax', async (t) => {
  const cases: [pattern: string, flags: string, text: string, matched: string | null][] = [
    ['^(?P<key>\\w+)=', '', 'host=a', 'host='],
    ['(?P<q>["\'])x(?P=q)', '', 'say "x"', '"x"'],
    ['\\Afoo', 'm', 'bar\nfoo', null],
    ['foo\\Z', 'm', 'foo\nbar', null],
    ['bar\\Z', '', 'foo\nbar', 'bar'],
    ['(?i)^listen', '', 'LISTEN 80', 'LISTEN'],
    ['(?m)^b', '', 'a\nb', 'b'],
    ['[(?P<]x', '', '<x', '<x'], // inside a class nothing is translated
    ['[]a]+', '', 'x]a]', ']a]'],
  ];
  for (const [pattern, flags, text, matched] of cases) {
    const m = pyRegex(pattern, flags).exec(text);
    t.equal(m ? m[0] : null, matched, `${pattern} on ${JSON.stringify(text)}`);
  }
});

t.test('pyRegex errors are E_MODULE with the pattern', async (t) => {
  t.throws(() => pyRegex('(unclosed'), { code: 'E_MODULE', message: /\(unclosed/ });
  t.throws(() => pyRegex('(?x) a b'), { code: 'E_MODULE', message: /verbose/ });
});

t.test('expandTemplate follows Python match.expand', async (t) => {
  const m = pyRegex('^(?P<key>\\w+)=(\\w*)(x)?').exec('port=80') as RegExpExecArray;
  const g = groupsOf(m);
  const cases: [template: string, want: string][] = [
    ['\\1 is \\2', 'port is 80'],
    ['\\g<1>0', 'port0'],
    ['\\g<key>:\\g<2>', 'port:80'],
    ['[\\3]', '[]'], // an unmatched group is empty
    ['a\\tb\\nc\\\\d', 'a\tb\nc\\d'],
    ['\\g<0>!', 'port=80!'],
    ['100% \\$HOME', '100% \\$HOME'],
  ];
  for (const [template, want] of cases) t.equal(expandTemplate(template, g), want, template);
  t.throws(() => expandTemplate('\\9', g), { code: 'E_MODULE' });
  t.throws(() => expandTemplate('\\g<nope>', g), { code: 'E_MODULE' });
  t.throws(() => expandTemplate('\\q', g), { code: 'E_MODULE' });
});

t.test('substitute is re.subn', async (t) => {
  const r = substitute(pyRegex('\\b(localhost)(\\d*)\\b', 'm'), '\\1\\2.localdomain\\2 \\1\\2', '127.0.0.1 localhost\n::1 localhost6\n');
  t.same(r, { text: '127.0.0.1 localhost.localdomain localhost\n::1 localhost6.localdomain6 localhost6\n', count: 2 });
  const named = substitute(pyRegex('^(?P<d>Listen )(?P<h>\\S+)$', 'm'), '#\\g<d>\\g<h>\\n\\g<d>0.0.0.0', 'Listen 1.2.3.4\n');
  t.same(named, { text: '#Listen 1.2.3.4\nListen 0.0.0.0\n', count: 1 });
  t.same(substitute(pyRegex('zzz', 'm'), 'y', 'abc'), { text: 'abc', count: 0 });
});
