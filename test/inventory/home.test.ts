/** inventory/home.yml, the documented example fleet: it loads cleanly and its groups drive the builtin playbooks as documented. */
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadInventory, selectHosts } from '../../controller/inventory/index.js';

const file = fileURLToPath(new URL('../../inventory/home.yml', import.meta.url));

t.test('inventory/home.yml', async (t) => {
  const inv = loadInventory(file);
  t.same(inv.warnings, [], 'no warnings');
  t.same(selectHosts(inv, 'pis'), ['pi01', 'pi02', 'pi03', 'pi04']);
  t.same(selectHosts(inv, 'nucs'), ['nuc1', 'nuc2']);
  t.same(selectHosts(inv, 'pcs'), ['desk']);
  t.same(selectHosts(inv, 'k3s_server'), ['nuc1'], 'one k3s server, first of its group');
  t.same(selectHosts(inv, 'k3s_agents').sort(), ['nuc2', 'pi03', 'pi04']);
  t.same(selectHosts(inv, 'agents').sort(), [...inv.hosts.keys()].sort(), 'every host runs an agent');
  t.same(selectHosts(inv, 'k3s_server:&k3s_agents'), [], 'no host is both k3s server and agent');
  for (const [name, h] of inv.hosts) {
    t.type(h.vars.ansible_host, 'string', `${name} has an address`);
    t.ok(h.vars.muster_labels && typeof h.vars.muster_labels === 'object' && !Array.isArray(h.vars.muster_labels), `${name}: muster_labels is a mapping`);
  }
  t.equal(inv.hosts.get('pi03')?.vars.pi_swap_off, true, 'group vars reach the hosts');
  t.equal(inv.hosts.get('nuc2')?.vars.ansible_port, 2222);
});
