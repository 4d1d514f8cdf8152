import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadInventory, selectHosts, unknownNames } from '../../../controller/inventory/index.js';
import { fixture } from '../../fixtures/inventory/paths.js';

const basic = loadInventory(fixture('basic/hosts.yml'));
const PIS = ['pi01', 'pi02', 'pi03', 'pi-a', 'pi-b'];
const ALL = ['nas', ...PIS, 'nuc1', 'nuc2'];

const table: [string, string[]][] = [
  ['all', ALL],
  ['*', ALL],
  ['pis', PIS],
  ['ungrouped', ['nas']],
  ['nas', ['nas']],
  ['pi0*', ['pi01', 'pi02', 'pi03']],
  ['pi*', PIS],
  ['pi-?', ['pi-a', 'pi-b']],
  ['pi0[!3]', ['pi01', 'pi02']],
  ['pi0[1-2]', ['pi01', 'pi02']],
  ['~pi0[12]', ['pi01', 'pi02']],
  ['~nuc', ['nuc1', 'nuc2']],
  ['~uc', []],
  ['pis:nucs', [...PIS, 'nuc1', 'nuc2']],
  ['nucs,pis', [...PIS, 'nuc1', 'nuc2']], // inventory order, whatever the pattern order
  ['nucs pis', [...PIS, 'nuc1', 'nuc2']],
  ['nuc2:nuc1,nuc2', ['nuc1', 'nuc2']],
  ['docker:&dmz', ['nuc2']],
  ['docker:!pis', ['nuc1', 'nuc2']],
  ['!docker', ['nas']],
  ['docker:!pis:&dmz', ['nuc2']],
  ['pis[0]', ['pi01']],
  ['pis[-1]', ['pi-b']],
  ['pis[1:2]', ['pi02', 'pi03']],
  ['pis[3:]', ['pi-a', 'pi-b']],
  ['pis[9]', []],
  ['nope', []],
  ['web*', []],
  ['localhost', ['localhost']],
  ['127.0.0.1', ['localhost']],
  ['::1', ['localhost']],
  ['all:localhost', [...ALL, 'localhost']],
  ['nas:&localhost', []],
  ['loc*', []], // only the exact names reach the implicit localhost
];

t.test('patterns select hosts in inventory order, deduplicated', async (t) => {
  for (const [p, want] of table) t.same(selectHosts(basic, p), want, p);
});

t.test('unknownNames: plain names that are neither a host nor a group', async (t) => {
  const table: [string, string[]][] = [
    ['pis', []],
    ['nas', []],
    ['all', []],
    ['localhost', []],
    ['agents', ['agents']],
    ['pis:agents:!k3s', ['agents', 'k3s']],
    ['docker:&nope', ['nope']],
    ['web*', []], // a glob matching nothing is no misspelt name
    ['~web', []],
    ['nope[0]', ['nope']],
  ];
  for (const [p, want] of table) t.same(unknownNames(basic, p), want, p);
});

t.test('without all: at the root, groups still union and intersect', async (t) => {
  const inv = loadInventory(fixture('noall/hosts.yml'));
  t.same(selectHosts(inv, 'web:&db'), ['web2']);
  t.same(selectHosts(inv, 'web:db'), ['web1', 'web2', 'db1']);
  t.same(selectHosts(inv, 'all:!web'), ['db1', 'lonely']);
});

t.test('a localhost listed in the inventory is used, not the implicit one', async (t) => {
  const dir = t.testdir({ 'hosts.yml': 'all:\n  hosts:\n    127.0.0.1:\n      x: 1\n    web:\n' });
  const inv = loadInventory(join(dir, 'hosts.yml'));
  t.same(selectHosts(inv, 'localhost'), ['127.0.0.1']);
  t.same(selectHosts(inv, 'all'), ['127.0.0.1', 'web']);
});

t.test('a host named like a group wins over the group, with a warning at load', async (t) => {
  const dir = t.testdir({});
  writeFileSync(join(dir, 'hosts.yml'), 'x:\n  hosts:\n    a:\n    b:\nother:\n  hosts:\n    x:\n');
  const inv = loadInventory(join(dir, 'hosts.yml'));
  t.same(selectHosts(inv, 'x'), ['x']);
  t.match(inv.warnings.join('\n'), /"x" is both a host and a group/);
});

t.test('an inventory with no hosts selects nothing but the implicit localhost', async (t) => {
  const inv = loadInventory('localhost,');
  t.same(selectHosts(inv, 'all'), ['localhost']);
  const empty = loadInventory(join(t.testdir({ 'hosts.yml': '' }), 'hosts.yml'));
  t.same(selectHosts(empty, 'all'), []);
  t.same(selectHosts(empty, 'localhost'), ['localhost']);
});
