/** .env and env_file parsing as Compose does it: quotes, escapes, export, comments, interpolation, bad lines with positions. */
import t from 'tap';
import { parseDotenv } from '../../../controller/stack/dotenv.js';
import { errorOf, where } from './harness.js';

// [file text, process environment, expected]
const table: [string, Record<string, string>, Record<string, string>][] = [
  ['A=1\nB=two\n', {}, { A: '1', B: 'two' }],
  ['\n# comment\n   # indented comment\n\nA=1', {}, { A: '1' }],
  ['export A=1\nexport  B=2', {}, { A: '1', B: '2' }],
  ['A = spaced  \n', {}, { A: 'spaced' }],
  ['A=', {}, { A: '' }],
  ['A=a=b=c', {}, { A: 'a=b=c' }],
  ['A=value # a comment', {}, { A: 'value' }],
  ['A=val#ue', {}, { A: 'val#ue' }], // no space before #: part of the value
  ['A="quoted # not a comment"', {}, { A: 'quoted # not a comment' }],
  ["A='single # too'", {}, { A: 'single # too' }],
  ['A="with \\"escapes\\" \\\\ and\\nnewline\\t"', {}, { A: 'with "escapes" \\ and\nnewline\t' }],
  ["A='no \\n escapes in single'", {}, { A: 'no \\n escapes in single' }],
  ['A="multi\nline"\nB=after', {}, { A: 'multi\nline', B: 'after' }],
  ['A="x" # trailing comment', {}, { A: 'x' }],
  ['A.B-c_d=1', {}, { 'A.B-c_d': '1' }],
  // interpolation: unquoted and double-quoted values, the environment first, then earlier lines
  ['A=1\nB=${A}2\nC="$A-3"\nD=\'$A\'', {}, { A: '1', B: '12', C: '1-3', D: '$A' }],
  ['A=1\nB=$A', { A: 'env' }, { A: '1', B: 'env' }],
  ['B=${NOPE:-dflt}', {}, { B: 'dflt' }],
  ['P="\\$literal"\nQ=$$x', {}, { P: '$literal', Q: '$x' }],
  // a bare key takes the environment's value, or nothing
  ['FROM_ENV\nNOT_SET', { FROM_ENV: 'e' }, { FROM_ENV: 'e' }],
  ['A=1\r\nB=2\r\n', {}, { A: '1', B: '2' }],
];

for (const [text, env, expected] of table) {
  t.test(JSON.stringify(text), async (t) => {
    t.same(parseDotenv(text, '.env', env), expected);
  });
}

t.test('an unset variable in a value warns with the line', async (t) => {
  const warned: unknown[] = [];
  t.same(
    parseDotenv('\nA=x${NOPE}', '.env', {}, (w) => warned.push(w)),
    { A: 'x' },
  );
  t.same(warned, [{ message: 'The "NOPE" variable is not set. Defaulting to a blank string.', pos: { file: '.env', line: 2, col: 3 } }]);
});

// [text, message pattern, file:line:col]
const bad: [string, RegExp, string][] = [
  ['A=1\nnot a line\n', /"not a line": a key is followed by "=" and its value/, 'app.env:2:4'],
  ['=value', /"=value" is not KEY=VALUE/, 'app.env:1:1'],
  ['  1A=x', /"1A=x" is not KEY=VALUE/, 'app.env:1:3'],
  ['A=1\nB="never closed\nC=3\n', /the " that opens this value is never closed/, 'app.env:2:3'],
  ["X='open", /the ' that opens this value is never closed/, 'app.env:1:3'],
  ['A="x" y', /unexpected "y" after the closing "/, 'app.env:1:1'],
  ['A=${B', /invalid interpolation format/, 'app.env:1:3'],
  ['A=${REQ:?needed}', /required variable REQ is missing a value: needed/, 'app.env:1:3'],
  ['export =1', /is not KEY=VALUE/, 'app.env:1:8'],
];

for (const [text, message, pos] of bad) {
  t.test(`refused: ${JSON.stringify(text)}`, async (t) => {
    const e = errorOf(() => parseDotenv(text, 'app.env', {}));
    t.equal(e.code, 'E_SCHEMA');
    t.match(e.message, message);
    t.equal(where(e), pos);
    t.ok(e.hint);
  });
}
