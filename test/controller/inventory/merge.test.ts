import t from 'tap';
import { loadInventory, withVarsDir } from '../../../controller/inventory/index.js';
import { groupDepths, mergeHostVars, sortGroups } from '../../../controller/inventory/merge.js';
import type { VarsSources } from '../../../controller/inventory/types.js';
import { fixture } from '../../fixtures/inventory/paths.js';

const inv = loadInventory(fixture('merge/hosts.yml'));
const withPlaybook = withVarsDir(inv, fixture('merge/playbook'));

// [host, variable, inventory only, with the playbook's group_vars/host_vars, the rule]
const table: [string, string, unknown, unknown, string][] = [
  ['h1', 'lvl_inline', 'h1-inline', 'h1-inline', 'inline host vars beat every group'],
  ['h2', 'lvl_inline', 'kid-inline', 'kid-inline', 'a deeper group beats a shallower one, whatever the names'],
  ['h3', 'lvl_inline', 'all-inline', 'all-inline', 'all is the lowest'],
  ['h2', 'lvl_file', 'kid-file', 'kid-file', 'among group_vars files too, deeper wins; N.yml is read after N/'],
  ['h3', 'lvl_file', 'all-file', 'all-file', 'group_vars/all beats inline all vars'],
  ['h2', 'quirk', 'parent-file', 'parent-file', "a parent's group_vars file beats a child's inline vars (Ansible's order)"],
  ['h2', 'order', 'second', 'second', 'files of a group_vars directory apply in lexical order'],
  ['h2', 'same_depth', 'beta', 'beta', 'same depth: the later name wins'],
  ['h3', 'same_depth', 'aaa', 'aaa', 'ansible_group_priority beats name order'],
  ['h3', 'ansible_group_priority', undefined, undefined, 'the priority is not a variable of the host'],
  ['h1', 'layered', 'inv-all', 'pb-all', "the playbook's group_vars/all beats the inventory's"],
  ['h2', 'layered', 'inv-alpha', 'inv-alpha', "any group's file beats the playbook's group_vars/all"],
  // parent and child group_vars across the two directories: every inventory-side file, then every playbook-side file
  ['h2', 'cross_layer', 'inv-kid', 'pb-parent', "the playbook side's parent file beats the inventory side's child file"],
  ['h2', 'cross_side', 'inv-parent', 'inv-parent', 'a parent file on one side only stays'],
  ['h2', 'within_pb', undefined, 'pb-kid', 'on the playbook side, the child file beats the parent file'],
  ['h3', 'cross_layer', undefined, undefined, 'a host outside parent/kid gets neither'],
  ['h1', 'host_only', 'inv-file', 'pb-file', 'host_vars: inline < inventory side < playbook side'],
  ['h2', 'dict', { c: 3 }, { c: 3 }, 'dicts replace, they are not merged'],
  ['h2', 'json_var', 1, 1, 'group_vars/NAME.json'],
  ['h1', 'haunted', undefined, undefined, 'group_vars of an unknown group are ignored'],
];

t.test('inventory variable precedence', async (t) => {
  for (const [host, name, invOnly, withPb, rule] of table) {
    t.same(inv.hosts.get(host)!.vars[name], invOnly, `${host}.${name}: ${rule}`);
    t.same(withPlaybook.hosts.get(host)!.vars[name], withPb, `${host}.${name} with playbook vars: ${rule}`);
  }
  t.match(inv.warnings, [/group_vars\/ghost: no group named "ghost"/]);
});

t.test('withVarsDir returns a new inventory and leaves the first alone', async (t) => {
  t.not(withPlaybook, inv);
  t.equal(inv.hosts.get('h1')!.vars.host_only, 'inv-file');
  t.equal(withPlaybook.sources!.layers.length, 2);
  t.equal(withVarsDir(withPlaybook, fixture('merge/playbook')), withPlaybook, 'the same directory twice is added once');
  t.equal(withVarsDir(inv, fixture('merge')), inv, "the inventory's own directory is not added again");
  t.same(withPlaybook.groups.get('all')!.vars, { lvl_inline: 'all-inline', lvl_file: 'all-file', layered: 'pb-all', dict: { c: 3 } });
});

t.test('withVarsDir on a directory without group_vars/host_vars changes nothing but adds the layer', async (t) => {
  const dir = t.testdir({});
  const next = withVarsDir(inv, dir);
  t.same([...next.hosts.values()], [...inv.hosts.values()]);
});

t.test('groupDepths: the longest path from all', async (t) => {
  const tree = new Map([
    ['all', { children: ['a', 'b'] }],
    ['a', { children: ['c'] }],
    ['b', { children: ['c', 'd'] }],
    ['c', { children: ['d'] }],
    ['d', { children: [] }],
    ['loose', { children: [] }],
  ]);
  t.same(Object.fromEntries(groupDepths(tree)), { all: 0, a: 1, b: 1, c: 2, d: 3, loose: 1 });
});

t.test('sortGroups: depth, then priority, then name', async (t) => {
  const depths = new Map([
    ['x', 1],
    ['b', 1],
    ['a', 1],
    ['deep', 2],
  ]);
  const src: VarsSources = {
    groups: new Map([
      ['x', { ansible_group_priority: 0 }],
      ['b', { ansible_group_priority: 5 }],
    ]),
    hosts: new Map(),
    layers: [],
  };
  t.same(sortGroups(['deep', 'b', 'a', 'x'], depths, src), ['x', 'a', 'b', 'deep']);
});

t.test('mergeHostVars applies every layer in order', async (t) => {
  const src: VarsSources = {
    groups: new Map([
      ['all', { v: 'all', a: 1 }],
      ['g', { v: 'g', ansible_group_priority: 3 }],
    ]),
    hosts: new Map([['h', { h: 'inline' }]]),
    layers: [
      { dir: 'inv', groups: new Map([['all', { v: 'inv-all', b: 1 }]]), hosts: new Map([['h', { h: 'inv' }]]) },
      { dir: 'pb', groups: new Map([['g', { c: 1 }]]), hosts: new Map() },
    ],
  };
  t.same(mergeHostVars('h', ['g'], src), { v: 'g', a: 1, b: 1, c: 1, h: 'inv' });
});
