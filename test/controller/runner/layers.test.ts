/** The pure precedence merge and the scope's role layers: neighbouring layers, both sides. */
import t from 'tap';
import { mergeVars, type Layers } from '../../../controller/runner/precedence.js';
import { enter, playScope } from '../../../controller/runner/scope.js';
import { inheritable } from '../../../controller/playbook/fields.js';

const empty = (): Layers => ({
  roleDefaults: {},
  inventory: {},
  facts: {},
  playVars: {},
  varsFiles: {},
  roleVars: {},
  scoped: [],
  hostVars: {},
  extraVars: {},
  magic: {},
});

t.test('role parameters sit between set_fact and include parameters, extra vars above both', async (t) => {
  const l = { ...empty(), included: { v: 18 }, hostVars: { v: 19 } };
  t.equal(mergeVars(l).v, 19, 'set_fact over include_vars');
  t.equal(mergeVars({ ...l, roleParams: [{ v: 20 }] }).v, 20, 'role parameters over set_fact');
  t.equal(mergeVars({ ...l, roleParams: [{ v: 20 }], includeParams: [{ v: 21 }] }).v, 21, 'include parameters over role parameters');
  t.equal(mergeVars({ ...l, roleParams: [{ v: 20 }], includeParams: [{ v: 21 }], extraVars: { v: 22 } }).v, 22, 'extra vars over all');
  t.equal(mergeVars({ ...l, roleParams: [{ v: 'outer' }, { v: 'inner' }] }).v, 'inner', 'an inner role over an outer one');
  t.equal(mergeVars({ ...l, roleParams: [{ v: 20 }], magic: { v: 'magic' } }).v, 'magic');
});

t.test("entering a node adds its role layers after the parent's; the innermost magic names win", async (t) => {
  const play = playScope({ tags: [], environment: {} });
  const outer = enter(play, { ...inheritable({}), roleParams: { a: 1 }, roleMagic: { role_name: 'r' } }, true);
  t.same(outer.roleParams, [{ a: 1 }]);
  const inner = enter(outer, { ...inheritable({}), roleParams: { a: 2 }, includeParams: { b: 1 }, roleMagic: { role_name: 'd' } }, false);
  t.same(inner.roleParams, [{ a: 1 }, { a: 2 }]);
  t.same(inner.includeParams, [{ b: 1 }]);
  t.same(inner.roleMagic, { role_name: 'd' });
  const plain = enter(inner, { ...inheritable({}), roleParams: {} }, false);
  t.equal(plain.roleParams, inner.roleParams, 'an empty layer adds nothing');
  t.same(plain.roleMagic, { role_name: 'd' }, 'a node without a role keeps the one around it');
  t.equal(play.roleParams, undefined);
});
