/** Top-level networks, a service's networks and network_mode, read into the stack model. */
import t from 'tap';
import { errorOf, stackOf, svc, where } from './harness.js';

t.test('networks: declared ones with aliases; undeclared refused; network_mode', async (t) => {
  const top = 'networks:\n  front:\n  back:\n    labels: [tier=back]\n  outside:\n    external: true\n    name: proxy\n';
  const s = stackOf(
    `services:\n  a:\n    image: x\n    networks: [front, back]\n  b:\n    image: x\n    networks:\n      back:\n        aliases: [db, store]\n      outside:\n${top}`,
  );
  t.same(s.services[0].networks, [
    { key: 'front', aliases: [] },
    { key: 'back', aliases: [] },
  ]);
  t.same(s.services[1].networks, [
    { key: 'back', aliases: ['db', 'store'] },
    { key: 'outside', aliases: [] },
  ]);
  t.same(s.networks, {
    front: { name: 'home_front', external: false, labels: {} },
    back: { name: 'home_back', external: false, labels: { tier: 'back' } },
    outside: { name: 'proxy', external: true, labels: {} },
  });
  t.notOk('default' in s.networks, 'no default network when no service uses it');
  const undeclared = errorOf(() => svc('image: x\nnetworks: [frnt]', { top }));
  t.equal(undeclared.message, 'services.s.networks[0]: refers to undefined network frnt (did you mean "front"?)');
  t.equal(where(undeclared), 'stack.yml:4:16');
  t.equal(where(errorOf(() => svc('image: x\nnetworks:\n  nope: {}', { top }))), 'stack.yml:5:13');
  t.same(svc('image: x\nnetworks: [default]').networks, [{ key: 'default', aliases: [] }], 'default needs no declaration');
  const host = svc('image: x\nnetwork_mode: host');
  t.same([host.networkMode, host.networks], ['host', []]);
  t.equal(svc('image: x\nnetwork_mode: none').networkMode, 'none');
  t.equal(svc('image: x\nnetwork_mode: bridge').networkMode, 'bridge');
  const svcMode = errorOf(() => svc('image: x\nnetwork_mode: "service:db"'));
  t.equal(svcMode.message, 'services.s.network_mode: network_mode "service:db" is not supported');
  t.equal(where(svcMode), 'stack.yml:4:19');
  t.match(svcMode.hint, /service name/);
  t.match(errorOf(() => svc('image: x\nnetwork_mode: hots')).message, /did you mean "host"/);
  t.equal(
    errorOf(() => svc('image: x\nnetwork_mode: host\nnetworks: [front]', { top })).message,
    'services.s.networks: network_mode and networks cannot be combined',
  );
  const ported = stackOf('services:\n  s:\n    image: x\n    network_mode: host\n    ports: ["80:80"]\n');
  t.match(ported.warnings[0].message, /services\.s\.ports: not mapped with network_mode: host/);
  t.same(ported.services[0].ports, [{ target: 80, published: 80, protocol: 'tcp' }], 'kept for the scheduler');
  const ipv4 = stackOf(`services:\n  s:\n    image: x\n    networks:\n      front:\n        ipv4_address: 10.0.0.2\n${top}`);
  t.match(ipv4.warnings[0].message, /services\.s\.networks\.front\.ipv4_address \(stack\.yml:6:9\)/);
  const driver = stackOf('services:\n  s:\n    image: x\nnetworks:\n  n:\n    driver: macvlan\n  o:\n    driver: overlay\n    attachable: true\n');
  t.same(driver.warnings, [
    { message: 'networks.n.driver: muster makes a bridge network on each node; driver "macvlan" is not used', pos: { file: 'stack.yml', line: 6, col: 13 } },
  ]);
});
