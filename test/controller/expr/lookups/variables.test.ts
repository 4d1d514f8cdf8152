import t from 'tap';
import { evalExpr } from '../../../../controller/expr/index.js';
import { withLookupIO } from '../../../../controller/expr/lookups/index.js';
import { fakeIO } from './fake-io.js';

// the expected values are what ansible-playbook 2.14 (community.general 6) printed for the same variables
const base = {
  peers__a: [{ ip: 1 }],
  peers__b: [{ ip: 2 }],
  cfg__x: { a: 1, sub: { l: [1] } },
  cfg__y: { b: 2, sub: { l: [2], m: 3 } },
  clash__1: { a: 1 },
  clash__2: { a: 2 },
  same__1: { a: 1 },
  same__2: { a: 1 },
  mixed__1: [1],
  mixed__2: { a: 1 },
  scalar__1: 'text',
  zz_app_one: 1,
  zz_app_two: 2,
  nested: [[1, [2, [3]]], 4],
};
const where = { host: 'h1', task: 'vars' };
const io = fakeIO({});
const vars = () => withLookupIO({ ...base }, io);
const MV = 'community.general.merge_variables';

const cases: [string, unknown][] = [
  [`lookup('${MV}', '^peers__.+$', initial_value=[{'ip': 0}])`, [{ ip: 0 }, { ip: 1 }, { ip: 2 }]],
  [`lookup('${MV}', '^cfg__')`, { a: 1, b: 2, sub: { l: [1, 2], m: 3 } }],
  [`lookup('${MV}', '__y', pattern_type='suffix')`, { b: 2, sub: { l: [2], m: 3 } }],
  [`lookup('${MV}', 'cfg__', pattern_type='prefix')`, { a: 1, b: 2, sub: { l: [1, 2], m: 3 } }],
  // later names win when told to; an equal value is no override
  [`lookup('${MV}', '^clash__', override='ignore')`, { a: 2 }],
  [`lookup('${MV}', '^same__')`, { a: 1 }],
  [`lookup('${MV}', '^nothing__')`, null],
  [`q('${MV}', '^peers__', '^nothing__')`, [[{ ip: 1 }, { ip: 2 }], null]],
  ["lookup('varnames', '^zz_app_')", 'zz_app_one,zz_app_two'],
  ["q('varnames', '^zz_app_o', 'two$')", ['zz_app_one', 'zz_app_two']],
  ["q('ansible.builtin.varnames', '^nope')", []],
  ["q('community.general.flattened', nested, 'a', ['b', ['c']])", [1, 2, 3, 4, 'a', 'b', 'c']],
  // the text None (or null) ends the list it is in
  ["q('community.general.flattened', [1, 'None', 2], 3)", [1, 3]],
  ["q('flattened', [[[]]], 5)", [5]],
];

for (const [src, want] of cases) {
  t.test(src, async (t) => t.same(evalExpr(src, vars(), where), want));
}

const errors: [string, RegExp][] = [
  [`lookup('${MV}', '^clash__')`, /the key "a" \(1\) would be overwritten with 2 from clash__2\.a/],
  [`lookup('${MV}', '^mixed__')`, /cannot merge mixed__2 \(a dict\) into a list/],
  [`lookup('${MV}', '^scalar__')`, /the variable scalar__1 is string: only dicts and lists can be merged/],
  [`lookup('${MV}', '^peers__', initial_value={'a': 1})`, /cannot merge peers__a \(a list\) into a dict/],
  [`lookup('${MV}', '^cfg', override='loud')`, /override must be error, warn or ignore/],
  [`lookup('${MV}', '^cfg', pattern_type='glob')`, /pattern_type must be regex, prefix or suffix/],
  [`lookup('${MV}', 3)`, /expects text patterns, got int/],
  ["lookup('varnames', '(')", /invalid regular expression/],
];

for (const [src, want] of errors) {
  t.test(`fails: ${src}`, async (t) => t.throws(() => evalExpr(src, vars(), where), want));
}

t.test('override=warn warns and lets the later name win', async (t) => {
  t.same(evalExpr(`lookup('${MV}', '^clash__', override='warn')`, vars(), where), { a: 2 });
  t.match(io.warnings.at(-1), /the key "a" \(1\) would be overwritten with 2/);
});

t.test('groups merges the variables of the hosts in those groups, in inventory order', async (t) => {
  const hostvars = { h1: { p__x: ['one'] }, h2: { p__x: ['two'], p__y: ['three'] }, h3: { p__x: ['four'] } };
  const v = withLookupIO({ hostvars, groups: { all: ['h1', 'h2', 'h3'], web: ['h2', 'h3'], db: ['h1'] } }, io);
  t.same(evalExpr(`lookup('${MV}', '^p__', groups=['web'])`, v, where), ['two', 'three', 'four']);
  t.same(evalExpr(`lookup('${MV}', '^p__', groups=['db'], initial_value=['zero'])`, v, where), ['zero', 'one']);
  t.same(evalExpr(`lookup('${MV}', '^p__', groups=['all'])`, v, where), ['one', 'two', 'three', 'four']);
  t.same(evalExpr(`lookup('${MV}', '^p__', groups=['none'])`, v, where), null);
});
