import t from 'tap';
import { MusterError } from '../../../shared/errors.js';
import { renderString } from '../../../controller/template/index.js';
import { childPath, OMIT, Scope } from '../../../controller/template/scope.js';
import { isUndefined } from '../../../controller/template/undefined.js';
import { parseYaml, posOf } from '../../../shared/yaml.js';

const where = { host: 'h', task: 't' };

// a scope whose lazy rendering upper-cases and counts, to see when it runs
function counting(vars: Record<string, unknown>) {
  const calls: string[] = [];
  const scope = new Scope(vars, where, 'E_TEMPLATE', (text) => {
    calls.push(text);
    return text.toUpperCase();
  });
  return { scope, calls, root: scope.root as Record<string, any> };
}

t.test('childPath', async (t) => {
  t.equal(childPath('', 'a'), 'a');
  t.equal(childPath('a', 'b'), 'a.b');
  t.equal(childPath('a', '0'), 'a[0]');
  t.equal(childPath('a', 'odd key'), 'a["odd key"]');
});

t.test('lookups see own keys, wrap lists and dicts, and read missing keys as undefined', async (t) => {
  const { root } = counting({ a: 1, list: [1, { x: 2 }], d: { k: 'v' } });
  t.equal(root.a, 1);
  t.ok(Array.isArray(root.list), 'a wrapped list is still an array');
  t.equal(root.list.length, 2);
  t.equal(root.list[1].x, 2);
  t.equal(root.d.k, 'v');
  t.same(Object.keys(root.d), ['k']);
  t.ok('a' in root);
  t.notOk('zz' in root);
  t.ok(Object.hasOwn(root, 'zz'), 'missing keys look own, so Handlebars asks us');
  t.ok(isUndefined(root.zz));
  t.ok(isUndefined(root.d.zz));
  t.ok(isUndefined(root.list[5]));
  t.equal(root.d, root.d, 'the same proxy each time');
  t.same([...root.list].length, 2, 'iterable');
});

t.test('the variables cannot be changed through a scope', async (t) => {
  const vars = { a: 1, d: { k: 'v' } };
  const { root } = counting(vars);
  t.throws(() => {
    root.a = 2;
  }, TypeError);
  t.throws(() => {
    delete root.d.k;
  }, TypeError);
  t.same(vars, { a: 1, d: { k: 'v' } });
});

t.test('prototype members are not variables', async (t) => {
  const { root } = counting({ d: {}, list: [] });
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '__defineGetter__']) {
    t.ok(isUndefined(root[name]), name);
    t.ok(isUndefined(root.d[name]), `d.${name}`);
  }
  t.ok(isUndefined(root.list.map), 'array methods are not reachable either');
  for (const tpl of ['{{ constructor }}', '{{ d.constructor.name }}', '{{ __proto__ }}', '{{lookup d "constructor"}}', '{{ d.toString() }}']) {
    t.throws(() => renderString(tpl, { d: {} }, where), MusterError, tpl);
  }
});

t.test('unusual variable objects still work', async (t) => {
  const bare = Object.assign(Object.create(null), { a: 'x' });
  t.equal(renderString('{{ a }}', bare, where), 'x', 'no prototype');
  const frozen = Object.freeze({ a: 'x', l: Object.freeze([1, 2]), d: Object.freeze({ k: 1 }) });
  t.equal(renderString('{{ a }}-{{ l | length }}-{{ d.k }}{{#each l}}{{this}}{{/each}}', frozen, where), 'x-2-112', 'frozen');
});

t.test('templated values render lazily, once per scope', async (t) => {
  const { root, calls } = counting({ a: '{{ x }}', b: 'plain', d: { n: '{{ y }}' } });
  t.same(calls, [], 'nothing rendered up front');
  t.equal(root.b, 'plain');
  t.equal(root.a, '{{ X }}');
  t.equal(root.a, '{{ X }}');
  t.same(calls, ['{{ x }}'], 'rendered once');
  t.equal(root.d.n, '{{ Y }}');
  t.same(calls, ['{{ x }}', '{{ y }}']);
});

t.test('materialize gives plain deep copies with lazy values rendered', async (t) => {
  const vars = parseYaml('d:\n  a: "{{ x }}"\n  l: [1, "{{ y }}"]\n', 'v.yml') as Record<string, unknown>;
  const { scope, root } = counting(vars);
  const out = scope.materialize(root.d) as Record<string, unknown>;
  t.same(out, { a: '{{ X }}', l: [1, '{{ Y }}'] });
  t.notOk(scope.isWrapped(out));
  t.same(posOf(out, 'a'), { file: 'v.yml', line: 2, col: 6 }, 'positions survive');
  t.equal(scope.materialize(5), 5);
  t.equal(scope.materialize(null), null);
  t.same(scope.materialize([root.d.l, { k: root.d.a }]), [[1, '{{ Y }}'], { k: '{{ X }}' }], 'proxies inside plain values');
});

t.test('a structure that contains itself is an error, not a hang', async (t) => {
  const d: Record<string, unknown> = { a: 1 };
  d.self = d;
  const { scope, root } = counting({ d });
  t.throws(() => scope.materialize(root.d), /variable "d.self" contains itself/);
});

t.test('self-reference and runaway depth', async (t) => {
  t.throws(() => renderString('{{ a }}', { a: '{{ b }}', b: '{{ a }}' }, where), { code: 'E_TEMPLATE', message: /a -> b -> a/ });
  const chain: Record<string, string> = {};
  for (let i = 0; i < 80; i++) chain[`v${i}`] = `{{ v${i + 1} }}`;
  chain.v80 = 'end';
  t.throws(() => renderString('{{ v0 }}', chain, where), { code: 'E_TEMPLATE', message: /more than 64 levels deep/ });
  const short: Record<string, string> = { v0: '{{ v1 }}', v1: '{{ v2 }}', v2: 'end' };
  t.equal(renderString('{{ v0 }}', short, where), 'end');
});

t.test('omit is always defined at the top level', async (t) => {
  const { root } = counting({});
  t.equal(root.omit, OMIT);
  t.equal(counting({ omit: 'mine' }).root.omit, 'mine', 'unless a variable says otherwise');
});

t.test('errors carry the scope code and where', async (t) => {
  const scope = new Scope({}, { host: 'h', task: 't', pos: { file: 'f', line: 1, col: 2 } }, 'E_EXPR', () => '');
  const err = scope.error('boom', 'do this');
  t.same([err.code, err.message, err.host, err.task, err.pos, err.hint], ['E_EXPR', 'boom', 'h', 't', { file: 'f', line: 1, col: 2 }, 'do this']);
});
