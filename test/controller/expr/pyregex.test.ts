import t from 'tap';
import { pyRegex, pyReplacement, RegexProblem } from '../../../controller/expr/pyregex.js';

t.test('Python patterns in JS', async (t) => {
  const cases: [string, string, string, boolean][] = [
    // pattern, flags, subject, matches?
    ['(?P<x>a)(?P=x)', '', 'aa', true],
    ['(?i)abc', '', 'ABC', true],
    ['(?ms)a.b', '', 'a\nb', true],
    ['\\Aab\\Z', '', 'ab', true],
    ['\\Aab\\Z', '', 'xab', false],
    ['b', '', 'ab', true],
    ['\\-', '', 'a-b', true],
  ];
  for (const [p, f, s, want] of cases) t.equal(pyRegex(p, f).test(s), want, `${p} on ${JSON.stringify(s)}`);
  t.equal(pyRegex('b', '', true).test('ab'), false, 'anchored means re.match');
  t.equal(pyRegex('a|b', '', true).test('b'), true, 'anchoring wraps the alternation');
  t.equal(pyRegex('(?P<n>\\d+)').exec('x42')?.groups?.n, '42');
});

t.test('bad patterns are RegexProblems', async (t) => {
  for (const bad of ['(', 'a{2,1}', '[z-a]']) {
    try {
      pyRegex(bad);
      t.fail(`${bad} should not compile`);
    } catch (e) {
      t.type(e, RegexProblem, bad);
      t.match((e as Error).message, `invalid regular expression ${JSON.stringify(bad)}`, bad);
    }
  }
});

t.test('Python replacements in JS', async (t) => {
  const cases: [string, string][] = [
    ['\\1-\\2', '$1-$2'],
    ['\\g<1>0', '$10'.replace('$10', '$10')],
    ['\\g<name>', '$<name>'],
    ['$5 \\\\', '$$5 \\'],
    ['plain', 'plain'],
  ];
  for (const [py, js] of cases) t.equal(pyReplacement(py), js, py);
  t.equal('ab'.replace(pyRegex('(a)(b)', 'g'), pyReplacement('\\2\\1')), 'ba');
  t.equal('ab'.replace(pyRegex('(?P<x>a)', 'g'), pyReplacement('[\\g<x>]')), '[a]b');
});
