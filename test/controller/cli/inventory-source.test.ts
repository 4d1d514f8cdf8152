/** `muster inventory` and `muster facts` find the inventory as `muster play` does: -i, ANSIBLE_INVENTORY, ansible.cfg. */
import t from 'tap';
import { join } from 'node:path';
import { inventoryOf } from '../../../controller/cli/inventory-source.js';
import { muster } from './run-main.js';

const home = t.testdir({});
process.env.HOME = home;
for (const k of Object.keys(process.env)) if (k.startsWith('ANSIBLE_')) delete process.env[k];

async function run(env: Record<string, string>, ...argv: string[]) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let err = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { ...(await muster(...argv)), err };
  } finally {
    process.stderr.write = write;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const dir = t.testdir({
  'ansible.cfg': '[defaults]\ninventory = inv/hosts.ini\n',
  inv: { 'hosts.ini': '[web]\nweb1 ansible_host=10.0.0.1\n\n[db]\ndb1\n' },
  'other.yml': 'all:\n  hosts:\n    solo: {ansible_connection: local}\n',
  'two.cfg': '[defaults]\ninventory = a.yml,b.yml\n',
});
const cfg = { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') };

t.test('inventory --list reads the INI inventory ansible.cfg names, relative to the file', async (t) => {
  const r = await run(cfg, 'inventory', '--list');
  t.equal(r.code, 0);
  const list = JSON.parse(r.out);
  t.same(list.web.hosts, ['web1']);
  t.equal(list._meta.hostvars.web1.ansible_host, '10.0.0.1');
});

t.test('-i wins over ansible.cfg; ANSIBLE_INVENTORY over ansible.cfg', async (t) => {
  const r = await run(cfg, 'inventory', '-i', join(dir, 'other.yml'), '--graph');
  t.match(r.out, /solo/);
  t.notMatch(r.out, /web1/);
  const e = await run({ ...cfg, ANSIBLE_INVENTORY: join(dir, 'other.yml') }, 'inventory', '--host', 'solo');
  t.equal(e.code, 0);
  t.equal(JSON.parse(e.out).ansible_connection, 'local');
});

t.test('no inventory anywhere, or several, is an error saying where to set one', async (t) => {
  const none = await run({ ANSIBLE_CONFIG: join(dir, 'missing.cfg') }, 'inventory', '--list');
  t.not(none.code, 0);
  t.match(none.out, /no inventory given/);
  t.match(none.out, /ansible\.cfg or ANSIBLE_INVENTORY/);
  const facts = await run({ ANSIBLE_CONFIG: join(dir, 'missing.cfg') }, 'facts');
  t.match(facts.out, /no inventory given/);
  const two = await run({ ANSIBLE_CONFIG: join(dir, 'two.cfg') }, 'inventory', '--list');
  t.match(two.out, /muster reads one inventory, but .*two\.cfg.* names 2/);
});

t.test('facts reaches the hosts of the inventory ansible.cfg names', async (t) => {
  const local = t.testdir({ 'ansible.cfg': '[defaults]\ninventory = hosts\n', hosts: 'here ansible_connection=local\n' });
  const r = await run({ ANSIBLE_CONFIG: join(local, 'ansible.cfg') }, 'facts');
  t.equal(r.code, 0);
  t.ok(JSON.parse(r.out).here, 'facts of the one local host');
});

t.test('inventoryOf', async (t) => {
  t.equal(inventoryOf({ settings: { inventory: ['a.yml'] }, from: {} }), 'a.yml');
  t.throws(() => inventoryOf({ settings: {}, from: {} }), /no inventory given/);
  t.throws(() => inventoryOf({ settings: { inventory: ['a', 'b'] }, from: { inventory: 'x.cfg:2' } }), /x\.cfg:2 names 2: a, b/);
});
