import t from 'tap';
import { agentAddress, agentPort, badCertName, certNamesFor } from '../../../controller/fleet/target.js';

t.test('agentAddress: argument, muster_agent_address, ansible_host, inventory name', async (t) => {
  t.equal(agentAddress({ inventory_hostname: 'h1', ansible_host: '10.0.0.1', muster_agent_address: 'h1.lan' }, 'x', '10.9.9.9'), '10.9.9.9');
  t.equal(agentAddress({ inventory_hostname: 'h1', ansible_host: '10.0.0.1', muster_agent_address: 'h1.lan' }, 'x'), 'h1.lan');
  t.equal(agentAddress({ inventory_hostname: 'h1', ansible_host: '10.0.0.1' }, 'x'), '10.0.0.1');
  t.equal(agentAddress({ inventory_hostname: 'h1', ansible_host: ' ' }, 'x'), 'h1');
  t.equal(agentAddress({}, 'x'), 'x');
});

t.test('agentPort on both sides of the limits', async (t) => {
  const rows: [Record<string, unknown>, unknown, number | undefined][] = [
    [{}, undefined, 7443],
    [{ muster_agent_port: 8443 }, undefined, 8443],
    [{ muster_agent_port: '8443' }, undefined, 8443],
    [{ muster_agent_port: 8443 }, 9443, 9443],
    [{ muster_agent_port: 65535 }, undefined, 65535],
    [{ muster_agent_port: 65536 }, undefined, undefined],
    [{ muster_agent_port: 1 }, undefined, 1],
    [{ muster_agent_port: 0 }, undefined, undefined],
    [{ muster_agent_port: 'https' }, undefined, undefined],
    [{ muster_agent_port: 1.5 }, undefined, undefined],
  ];
  for (const [vars, given, want] of rows) t.equal(agentPort(vars, given), want, JSON.stringify([vars, given]));
});

t.test('certNamesFor', async (t) => {
  t.same(
    certNamesFor(
      {
        inventory_hostname: 'Pi-1',
        ansible_host: '10.0.0.5',
        muster_agent_address: 'pi-1.lan',
        ansible_default_ipv4: { address: '10.0.0.5' },
        ansible_all_ipv4_addresses: ['172.17.0.1'],
      },
      'x',
      ['extra.example', 'PI-1'],
    ),
    ['pi-1', '10.0.0.5', 'pi-1.lan', 'extra.example'],
    'lower-cased, no repeats, docker0 not taken',
  );
  t.same(
    certNamesFor({ inventory_hostname: 'h1', ansible_facts: { default_ipv4: { address: '192.168.1.9' } } }, 'x'),
    ['h1', '192.168.1.9'],
    'from ansible_facts too',
  );
  t.same(certNamesFor({}, 'fallback'), ['fallback']);
});

t.test('badCertName', async (t) => {
  for (const ok of ['h1', 'pi-1.lan', '10.0.0.5', '::1', 'a_b.example.', 'x'.repeat(63)]) t.equal(badCertName(ok), undefined, ok);
  for (const bad of ['*.lan', 'a b', '-x', 'x'.repeat(64), 'a..b', '']) t.type(badCertName(bad), 'string', JSON.stringify(bad));
});
