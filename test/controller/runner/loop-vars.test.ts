/** ansible_loop of loop_control.extended, item by item, as Ansible 2.14 prints it (checked with ansible-playbook). */
import t from 'tap';
import { extendedLoopVar } from '../../../controller/runner/loop-vars.js';

t.test('first, middle and last items: previtem and nextitem only where they exist', async (t) => {
  const items = ['a', 'b', 'c'];
  t.same(extendedLoopVar(items, 0, true), {
    index: 1,
    index0: 0,
    first: true,
    last: false,
    length: 3,
    revindex: 3,
    revindex0: 2,
    allitems: items,
    nextitem: 'b',
  });
  t.same(extendedLoopVar(items, 1, true), {
    index: 2,
    index0: 1,
    first: false,
    last: false,
    length: 3,
    revindex: 2,
    revindex0: 1,
    allitems: items,
    nextitem: 'c',
    previtem: 'a',
  });
  t.same(extendedLoopVar(items, 2, true), {
    index: 3,
    index0: 2,
    first: false,
    last: true,
    length: 3,
    revindex: 1,
    revindex0: 0,
    allitems: items,
    previtem: 'b',
  });
});

t.test('a single item is first and last; extended_allitems: false leaves allitems out', async (t) => {
  t.same(extendedLoopVar([7], 0, false), { index: 1, index0: 0, first: true, last: true, length: 1, revindex: 1, revindex0: 0 });
});
