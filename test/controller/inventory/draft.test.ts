import t from 'tap';
import { addChild, addHost, ensureGroup, finishDraft, newDraft } from '../../../controller/inventory/draft.js';

const at = (line: number) => ({ file: 'h.yml', line, col: 1 });

t.test('a new draft has all and ungrouped, ungrouped first under all', async (t) => {
  const d = newDraft();
  t.same([...d.groups.keys()], ['all', 'ungrouped']);
  t.same(d.groups.get('all')!.children, ['ungrouped']);
});

t.test('a group keeps the position where it was first declared', async (t) => {
  const d = newDraft();
  ensureGroup(d, 'web');
  ensureGroup(d, 'web', at(3));
  ensureGroup(d, 'web', at(9));
  t.same(d.groups.get('web')!.pos, at(3));
});

t.test('addHost: listed once per group, vars merged with the later listing winning', async (t) => {
  const d = newDraft();
  addHost(d, 'a', 'h', { x: 1, y: 1 });
  addHost(d, 'a', 'h', { y: 2 });
  addHost(d, 'b', 'h', { z: 3 });
  t.same(d.groups.get('a')!.hosts, ['h']);
  t.same(d.hosts.get('h'), { x: 1, y: 2, z: 3 });
});

t.test('addChild refuses loops, naming the path', async (t) => {
  const d = newDraft();
  addChild(d, 'a', 'b');
  addChild(d, 'b', 'c');
  addChild(d, 'a', 'c'); // a diamond is fine
  t.throws(() => addChild(d, 'c', 'a', at(7)), {
    code: 'E_SCHEMA',
    message: 'group "a" cannot be a child of "c": that makes a loop (c -> a -> b -> c)',
    pos: at(7),
  });
  t.throws(() => addChild(d, 'x', 'x'), { message: /loop \(x -> x\)/ });
  t.throws(() => addChild(d, 'a', 'all'), { message: 'group "all" cannot be a child of "a"' });
  t.same(d.groups.get('a')!.children, ['b', 'c'], 'nothing added by the refused calls');
});

t.test('finishDraft: parentless groups under all, in order; ungrouped rebuilt', async (t) => {
  const d = newDraft();
  addHost(d, 'all', 'solo', {});
  addHost(d, 'web', 'w1', {});
  addHost(d, 'ungrouped', 'w1', {});
  addChild(d, 'web', 'inner');
  ensureGroup(d, 'empty');
  finishDraft(d);
  t.same(d.groups.get('all')!.children, ['ungrouped', 'web', 'empty']);
  t.same(d.groups.get('ungrouped')!.hosts, ['solo']);
  t.same(d.groups.get('inner')!.parents, ['web']);
});
