/** Per-interface network facts against what Ansible 2.14's setup reported on the same machine at the same moment. */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { interfaceFacts, parseIpLines, parseRouteGet, parseSysNet } from '../../../controller/facts/interfaces.js';
import { networkFacts } from '../../../controller/facts/network.js';
import { splitSections } from '../../../controller/facts/sections.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/facts/${name}`, import.meta.url), 'utf8');
// Ansible walks /sys/class/net in directory order, muster in name order: the lists compare as sets
const LISTS = new Set(['all_ipv4_addresses', 'all_ipv6_addresses', 'interfaces']);
// (so do a bridge's ports)
const norm = (k: string, v: unknown): unknown => {
  if (LISTS.has(k) && Array.isArray(v)) return [...v].sort();
  const ports = (v as { interfaces?: unknown })?.interfaces;
  return Array.isArray(ports) ? { ...(v as object), interfaces: [...ports].sort() } : v;
};

for (const name of ['network-bridge-alias-peer', 'network-docker-host']) {
  t.test(`${name}: the same network facts as Ansible's setup`, async (t) => {
    const expected = JSON.parse(fixture(`${name}.ansible.json`)) as Record<string, unknown>;
    const got = networkFacts(splitSections(fixture(`${name}.txt`)));
    for (const [k, v] of Object.entries(expected)) t.same(norm(k, got[k]), norm(k, v), k);
  });
}

t.test('the bridge fixture covers alias, secondary, peer, IPv6, down and promiscuous interfaces', async (t) => {
  const got = networkFacts(splitSections(fixture('network-bridge-alias-peer.txt')));
  t.match(got.br0, { type: 'bridge', interfaces: ['ve0'], stp: false, ipv4: { address: '10.9.0.1', broadcast: '' } });
  t.same(
    (got.br0 as { ipv4_secondaries: { address: string }[] }).ipv4_secondaries.map((a) => a.address),
    ['10.9.0.2'],
    'a secondary address of the same subnet',
  );
  t.same(got.br0_1, { ipv4: { address: '10.8.0.1', broadcast: '10.8.0.255', netmask: '255.255.255.0', network: '10.8.0.0', prefix: '24' } });
  t.match(got.ve1, { ipv4: { address: '192.168.7.5', prefix: '32', netmask: '255.255.255.255' } });
  t.match(got.ve2, { active: false, promisc: true, mtu: 1400 });
  t.notOk('ipv4' in (got.ve2 as object), 'no IPv4 on an interface without one');
  t.notOk('speed' in (got.ve2 as object), 'a down veth has no readable speed');
  t.notOk('macaddress' in (got.lo as object), 'the all-zero MAC is left out');
  t.match(got.default_ipv4, { interface: 'br0', address: '10.9.0.1', gateway: '10.9.0.254', alias: 'br0', type: 'bridge' });
  t.match(got.default_ipv6, { interface: 'br0', address: 'fd00::5', gateway: 'fd00::254', prefix: '64', scope: 'global' });
});

t.test('ip -o addr lines', async (t) => {
  const lines = [
    '2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever preferred_lft forever',
    '2: eth0    inet 10.0.0.6/24 brd 10.0.0.255 scope global secondary eth0:1\\       valid_lft forever preferred_lft forever',
    '5: ppp0    inet 10.64.64.64 peer 10.64.64.1/32 scope global ppp0\\       valid_lft forever preferred_lft forever',
    '2: eth0    inet6 2001:db8::1/64 scope global temporary dynamic \\       valid_lft 86000sec preferred_lft 14000sec',
    '7: vlan10@eth0    inet 10.10.0.1/24 scope global vlan10\\       valid_lft forever preferred_lft forever',
    'garbage',
  ].join('\n');
  t.same(
    parseIpLines(lines).map((a) => [a.device, a.family, a.address, a.prefix, a.broadcast, a.label, a.secondary]),
    [
      ['eth0', 'inet', '10.0.0.5', '24', '10.0.0.255', 'eth0', false],
      ['eth0', 'inet', '10.0.0.6', '24', '10.0.0.255', 'eth0:1', true],
      ['ppp0', 'inet', '10.64.64.64', '32', '', 'ppp0', false],
      ['eth0', 'inet6', '2001:db8::1', '64', '', 'eth0', true],
      ['vlan10', 'inet', '10.10.0.1', '24', '', 'vlan10', false],
    ],
  );
});

t.test('route get: only an answer for the queried address counts', async (t) => {
  t.same(parseRouteGet('8.8.8.8 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 1000 \n    cache', '8.8.8.8'), {
    gateway: '192.0.2.1',
    interface: 'eth0',
    address: '192.0.2.2',
  });
  t.same(parseRouteGet('8.8.8.8 dev eth0 src 192.0.2.2 uid 0', '8.8.8.8'), { interface: 'eth0', address: '192.0.2.2' }, 'on-link: no gateway');
  t.same(parseRouteGet('RTNETLINK answers: Network is unreachable', '8.8.8.8'), {});
  t.same(parseRouteGet('', '8.8.8.8'), {});
});

t.test('bonding and its slaves, as Ansible reads their sysfs files', async (t) => {
  const sys = parseSysNet(
    [
      '/sys/class/net/bond0/address:52:54:00:12:34:56',
      '/sys/class/net/bond0/mtu:1500',
      '/sys/class/net/bond0/operstate:up',
      '/sys/class/net/bond0/type:1',
      '/sys/class/net/bond0/flags:0x1403',
      '/sys/class/net/bond0/bonding/slaves:ens3 ens4',
      '/sys/class/net/bond0/bonding/mode:active-backup 1',
      '/sys/class/net/bond0/bonding/miimon:100',
      '/sys/class/net/bond0/bonding/lacp_rate:slow 0',
      '/sys/class/net/bond0/bonding/primary:ens3',
      '/sys/class/net/bond0/bonding/all_slaves_active:0',
      '/sys/class/net/bond1/bonding/mode:802.3ad 4',
      '/sys/class/net/bond1/bonding/miimon:0',
      '/sys/class/net/bond1/bonding/lacp_rate:fast 1',
      '/sys/class/net/bond1/bonding/all_slaves_active:1',
      '/sys/class/net/ens3/bonding_slave/perm_hwaddr:52:54:00:aa:bb:01',
      '/sys/class/net/ens3/speed:1000',
      '/sys/class/net/ens3/type:1',
    ].join('\n'),
  );
  const links = new Map([['ens3', { pciid: '0000:00:03.0', module: 'virtio_net' }]]);
  const r = interfaceFacts(['bond0', 'bond1', 'ens3'], sys, { brif: new Map(), links }, [], { v4: {}, v6: {} });
  t.same(r.interfaces.get('bond0'), {
    device: 'bond0',
    macaddress: '52:54:00:12:34:56',
    mtu: 1500,
    active: true,
    type: 'bonding',
    slaves: ['ens3', 'ens4'],
    mode: 'active-backup',
    miimon: '100',
    lacp_rate: 'slow',
    primary: 'ens3',
    all_slaves_active: false,
    promisc: false,
  });
  t.same(
    r.interfaces.get('bond1'),
    { device: 'bond1', type: 'bonding', slaves: [], mode: '802.3ad', miimon: '0', lacp_rate: 'fast' },
    'no primary: no all_slaves_active',
  );
  t.same(r.interfaces.get('ens3'), {
    device: 'ens3',
    module: 'virtio_net',
    type: 'ether',
    perm_macaddress: '52:54:00:aa:bb:01',
    pciid: '0000:00:03.0',
    speed: 1000,
  });
});
