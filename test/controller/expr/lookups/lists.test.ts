import t from 'tap';
import { evalExpr } from '../../../../controller/expr/index.js';
import { MusterError } from '../../../../shared/errors.js';

const vars = {
  users: [{ name: 'ann', keys: ['k1', 'k2'], more: { groups: ['wheel'] } }, { name: 'bob', keys: [] }, { name: 'cy' }],
  d: { a: 1, b: 2 },
  lazy: '{{ d.a + 1 }}',
};
const where = { host: 'h1', task: 'lookups' };

const cases: [string, unknown][] = [
  // items flattens one level; list keeps its terms
  ["query('items', [1, [2, [3]]], 4)", [1, [2, [3]], 4]],
  ["query('items', 1, [2, [3]])", [1, 2, [3]]],
  ["query('list', [1, 2], 3)", [[1, 2], 3]],
  ["lookup('items', ['a', 'b'])", 'a,b'],
  ["lookup('items', [1])", 1],
  ["lookup('items', [1, 2])", [1, 2]],
  ["lookup('items', [1, 2], wantlist=True)", [1, 2]],
  ["lookup('items', [])", []],
  ["query('ansible.builtin.items', ['x'])", ['x']],
  [
    "q('dict', d)",
    [
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
    ],
  ],
  [
    "q('indexed_items', ['a', 'b'])",
    [
      [0, 'a'],
      [1, 'b'],
    ],
  ],
  [
    "q('together', [1, 2, 3], ['a', 'b'])",
    [
      [1, 'a'],
      [2, 'b'],
      [3, null],
    ],
  ],
  [
    "q('nested', [1, 2], ['a', 'b'])",
    [
      [1, 'a'],
      [1, 'b'],
      [2, 'a'],
      [2, 'b'],
    ],
  ],
  ["q('nested', [[1, 2]], ['a'])", [[1, 2, 'a']]],
  [
    "q('community.general.cartesian', ['x'], [1, 2])",
    [
      ['x', 1],
      ['x', 2],
    ],
  ],
  // subelements: the first item is the element without the subkey; an empty list gives nothing
  [
    "q('subelements', users[:2], 'keys')",
    [
      [{ name: 'ann', more: { groups: ['wheel'] } }, 'k1'],
      [{ name: 'ann', more: { groups: ['wheel'] } }, 'k2'],
    ],
  ],
  ["q('subelements', users, 'keys', {'skip_missing': True}) | length", 2],
  ["q('subelements', users, 'more.groups', {'skip_missing': True})", [[{ name: 'ann', keys: ['k1', 'k2'], more: {} }, 'wheel']]],
  ["q('subelements', {'x': {'name': 'x', 'l': [1]}}, 'l')", [[{ name: 'x' }, 1]]],
  ["q('random_choice', 'only')", ['only']],
  ["q('random_choice')", []],
  ["lookup('vars', 'lazy')", 2],
  ["lookup('vars', 'missing', default='fallback')", 'fallback'],
  ["q('vars', 'lazy', 'd')", [2, { a: 1, b: 2 }]],
  // sequence: key=value and short forms, count, stride, negative stride, formats
  ["q('sequence', 'start=1 end=5 format=x%02d')", ['x01', 'x02', 'x03', 'x04', 'x05']],
  ["q('sequence', 'end=3')", ['1', '2', '3']],
  ["q('sequence', 'start=0 count=3 stride=2')", ['0', '2', '4']],
  ["q('sequence', 'start=5 end=1 stride=-2')", ['5', '3', '1']],
  ["q('sequence', 'start=10 count=3 stride=-1')", ['10', '9', '8']],
  ["q('sequence', '4-8/2:web%d')", ['web4', 'web6', 'web8']],
  ["q('sequence', '3')", ['1', '2', '3']],
  ["q('sequence', 'start=0x0a end=0x0c format=%x')", ['a', 'b', 'c']],
  ["q('sequence', 'count=0')", []],
  ["q('sequence', start=2, end=3)", ['2', '3']],
  ["lookup('sequence', 'end=2')", '1,2'],
  // errors='ignore' and errors='warn' give none instead of failing
  ["lookup('dict', 'notadict', errors='ignore')", null],
  ["lookup('dict', 'notadict', errors='warn')", null],
];

for (const [src, want] of cases) {
  t.test(src, async (t) => t.same(evalExpr(src, vars, where), want));
}

const errors: [string, RegExp][] = [
  ["q('dict', [1])", /lookup\('dict'\): expects a dict, got list/],
  ["q('together')", /needs at least one list/],
  ["q('subelements', users, 'keys')", /could not find the key "keys"/],
  ["q('subelements', users)", /expects two or three terms, got 1/],
  ["q('subelements', users, 'keys', {'skip': 1})", /third term must be a dict with the flags skip_missing/],
  ["q('subelements', [{'a': 1}], 'a')", /the key "a" should hold a list, got int/],
  ["lookup('vars', 'missing')", /no variable named "missing"/],
  ["q('sequence', 'start=5 end=1')", /end \(1\) is below start \(5\)/],
  ["q('sequence', 'start=1 end=5 stride=-1')", /end \(5\) is above start \(1\)/],
  ["q('sequence', 'start=1')", /needs count or end/],
  ["q('sequence', 'end=2 count=2')", /can't take both count and end/],
  ["q('sequence', 'end=3 format=%d-%d')", /bad format string/],
  ["q('sequence', 'end=3 step=2')", /unrecognized argument "step"/],
  ["q('sequence', 'end=x')", /can't parse end=x as an integer/],
  ["q('sequence', 'end=200000')", /gives 200000 numbers \(over 100000\)/],
  ["lookup('itmes', [1])", /unknown lookup "itmes" \(did you mean "items"\?\)/],
  ["lookup('community.general.items', [1])", /lookup "community.general.items" is not implemented by muster/],
  ["lookup('url', 'https://example.org')", /lookup "url" is not implemented by muster/],
  ["lookup('ansible.builtin.csvfile', 'x')", /lookup "ansible.builtin.csvfile" is not implemented by muster/],
  ["lookup('community.hashi_vault.hashi_vault', 'x')", /lookup "community.hashi_vault.hashi_vault" is not implemented by muster/],
  ["lookup('ansible.builtin.itemz', [1])", /unknown lookup "ansible.builtin.itemz" \(did you mean "items"\?\)/],
  ['lookup(1)', /lookup\(\) needs the lookup's name first, got int/],
  ["lookup('items', [1], flavour=1)", /unknown option "flavour"/],
  ["lookup('items', [1], errors='loud')", /errors must be strict, warn or ignore/],
  ["lookup('file', 'x')", /not available here/],
];

for (const [src, re] of errors) {
  t.test(`fails: ${src}`, async (t) => {
    const e = failure(() => evalExpr(src, vars, where));
    t.equal(e.code, 'E_EXPR');
    t.match(e.message, re);
  });
}

function failure(f: () => unknown): MusterError {
  try {
    f();
  } catch (e) {
    if (e instanceof MusterError) return e;
    throw e;
  }
  throw new Error('expected an error');
}
