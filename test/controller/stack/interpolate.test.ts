/** Compose interpolation: every form, nesting, $$, unset variables, required ones, and malformed input with positions. */
import t from 'tap';
import { type Env, interpolate, interpolateTree } from '../../../controller/stack/interpolate.js';
import type { StackWarning } from '../../../controller/stack/types.js';
import { parseYaml, posOf } from '../../../shared/yaml.js';
import { errorOf, where } from './harness.js';

const env: Env = { A: 'a', EMPTY: '', N: '3', B: 'b', UNSET: undefined };
const pos = { file: 's.yml', line: 4, col: 12 };

// [text, expected, unset variables warned about]
const table: [string, string, string[]][] = [
  ['plain', 'plain', []],
  ['', '', []],
  ['$A', 'a', []],
  ['${A}', 'a', []],
  ['x$A-y', 'xa-y', []],
  ['$A$B', 'ab', []],
  ['${A}${B}', 'ab', []],
  ['$Ab', '', ['Ab']], // the name runs on
  ['${A}b', 'ab', []],
  ['$$', '$', []],
  ['$$A', '$A', []],
  ['$${A}', '${A}', []],
  ['$$$A', '$a', []],
  ['cost: 5$$', 'cost: 5$', []],
  ['$MISSING', '', ['MISSING']],
  ['${MISSING}', '', ['MISSING']],
  ['${UNSET}', '', ['UNSET']],
  ['${EMPTY}', '', []],
  // :- unset or empty -> default; - unset only
  ['${MISSING:-dflt}', 'dflt', []],
  ['${EMPTY:-dflt}', 'dflt', []],
  ['${A:-dflt}', 'a', []],
  ['${MISSING-dflt}', 'dflt', []],
  ['${EMPTY-dflt}', '', []],
  ['${A-dflt}', 'a', []],
  ['${MISSING:-}', '', []],
  ['${MISSING:-a b:c/d}', 'a b:c/d', []],
  // :+ set and non-empty -> alt; + set -> alt
  ['${A:+alt}', 'alt', []],
  ['${EMPTY:+alt}', '', []],
  ['${MISSING:+alt}', '', []],
  ['${A+alt}', 'alt', []],
  ['${EMPTY+alt}', 'alt', []],
  ['${MISSING+alt}', '', []],
  // ? forms pass when the variable is there
  ['${A:?need A}', 'a', []],
  ['${A?need A}', 'a', []],
  ['${EMPTY?need it}', '', []],
  // nesting, expanded only when used
  ['${MISSING:-${A}}', 'a', []],
  ['${MISSING:-${B:-x}-$A}', 'b-a', []],
  ['${A:-${MISSING}}', 'a', []],
  ['${A:-${NOPE:?never evaluated}}', 'a', []],
  ['${MISSING:-${ALSO_MISSING}}', '', ['ALSO_MISSING']],
  ['${MISSING:-$$}', '$', []],
  ['nginx:${TAG:-1.27}', 'nginx:1.27', []],
  ['${N}', '3', []],
];

for (const [text, expected, unset] of table) {
  t.test(`${JSON.stringify(text)} -> ${JSON.stringify(expected)}`, async (t) => {
    const warned: StackWarning[] = [];
    t.equal(interpolate(text, env, { pos, warn: (w) => warned.push(w) }), expected);
    t.same(
      warned.map((w) => w.message),
      unset.map((n) => `The "${n}" variable is not set. Defaulting to a blank string.`),
    );
    for (const w of warned) t.same(w.pos, pos);
  });
}

// [text, message pattern]
const errors: [string, RegExp][] = [
  ['${MISSING:?set it please}', /^required variable MISSING is missing a value: set it please \(in services\.s\.image\)$/],
  ['${EMPTY:?set it}', /^required variable EMPTY is missing a value: set it/],
  ['${MISSING?}', /^required variable MISSING is missing a value \(in/],
  ['${MISSING:?${A} is needed}', /missing a value: a is needed/],
  ['${A', /a `\$\{` without its closing `\}`/],
  ['x ${A:-${B}', /without its closing/],
  ['${}', /does not start with a variable name/],
  ['${1A}', /does not start with a variable name/],
  ['${A B}', /`\$\{A B\}`: ` ` after the name is not one of/],
  ['${A:x}', /`:` after the name is not one of :- - :\? \? :\+ \+/],
  ['$', /a `\$` at the end/],
  ['a $ b', /`\$ ` is not a variable/],
  ['echo $1', /`\$1` is not a variable/],
];

for (const [text, message] of errors) {
  t.test(`${JSON.stringify(text)} is refused with its position`, async (t) => {
    const e = errorOf(() => interpolate(text, env, { pos, path: 'services.s.image', warn: () => {} }));
    t.equal(e.code, 'E_SCHEMA');
    t.match(e.message, message);
    t.same(e.pos, pos);
    t.ok(e.hint, 'says what to do');
  });
}

t.test('interpolateTree: values only (keys stay), positions kept, one warning per variable at its first use', async (t) => {
  const raw = parseYaml('services:\n  ${A}:\n    image: "img:${TAG}"\n    command: [echo, $X, "$X", 3]\n    n: 4\n', 's.yml', 'compose');
  const { doc, warnings } = interpolateTree(raw, { A: 'web', X: 'x' }, 's.yml');
  const services = (doc as { services: Record<string, { image: string; command: unknown[]; n: number }> }).services;
  t.same(Object.keys(services), ['${A}'], 'keys are not interpolated');
  const s = services['${A}'];
  t.equal(s.image, 'img:');
  t.same(s.command, ['echo', 'x', 'x', 3], 'numbers pass as they are');
  t.same(posOf(s, 'image'), { file: 's.yml', line: 3, col: 12 }, 'the copy keeps the positions');
  t.same(posOf(s.command, 1), { file: 's.yml', line: 4, col: 21 });
  t.same(warnings, [{ message: 'The "TAG" variable is not set. Defaulting to a blank string.', pos: { file: 's.yml', line: 3, col: 12 } }]);
  t.equal((raw as { services: Record<string, { image: string }> }).services['${A}'].image, 'img:${TAG}', 'the parsed tree is left as it was');
});

t.test('interpolateTree: an error deep in the file names its path and position', async (t) => {
  const raw = parseYaml('services:\n  web:\n    environment:\n      - PASS=${PASS:?set PASS}\n', 's.yml', 'compose');
  const e = errorOf(() => interpolateTree(raw, {}, 's.yml'));
  t.equal(e.message, 'required variable PASS is missing a value: set PASS (in services.web.environment[0])');
  t.equal(where(e), 's.yml:4:9');
  const bad = parseYaml('services:\n  web:\n    image: "x:${TAG"\n', 's.yml', 'compose');
  t.equal(where(errorOf(() => interpolateTree(bad, {}, 's.yml'))), 's.yml:3:12');
});

t.test('unset variables are warned about once, and the same name twice counts once', async (t) => {
  const raw = parseYaml('a: $X\nb: ${X}\nc: [$Y]\n', 's.yml', 'compose');
  const { warnings } = interpolateTree(raw, {}, 's.yml');
  t.same(
    warnings.map((w) => [w.message.split('"')[1], w.pos?.line]),
    [
      ['X', 1],
      ['Y', 3],
    ],
  );
});
