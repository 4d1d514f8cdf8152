/** ports: the short syntax (addresses, protocols, ranges), the long form, and every refusal with its position. */
import t from 'tap';
import { shortPort } from '../../../controller/stack/ports.js';
import type { PortMapping } from '../../../controller/stack/types.js';
import { errorOf, svc, where } from './harness.js';

const pos = { file: 'stack.yml', line: 5, col: 9 };
const at = (v: unknown) => ({ v, path: 'services.s.ports[0]', pos });
const tcp = (published: number, target: number, hostIp?: string): PortMapping => ({ target, published, protocol: 'tcp', ...(hostIp ? { hostIp } : {}) });

// [entry, mappings]
const good: [string, PortMapping[]][] = [
  ['8080:80', [tcp(8080, 80)]],
  ['80:80', [tcp(80, 80)]],
  ['22:22', [tcp(22, 22)]],
  ['53:53/udp', [{ target: 53, published: 53, protocol: 'udp' }]],
  ['53:53/tcp', [tcp(53, 53)]],
  ['127.0.0.1:8080:80', [tcp(8080, 80, '127.0.0.1')]],
  ['127.0.0.1:8080:80/udp', [{ target: 80, published: 8080, protocol: 'udp', hostIp: '127.0.0.1' }]],
  ['[::1]:8080:80', [tcp(8080, 80, '::1')]],
  ['9000-9002:9000-9002', [tcp(9000, 9000), tcp(9001, 9001), tcp(9002, 9002)]],
  [
    '19000-19001:9000-9001/udp',
    [
      { target: 9000, published: 19000, protocol: 'udp' },
      { target: 9001, published: 19001, protocol: 'udp' },
    ],
  ],
  ['1:65535', [tcp(1, 65535)]],
  ['65535:1', [tcp(65535, 1)]],
  ['9000-9000:9000', [tcp(9000, 9000)]],
];

for (const [entry, mappings] of good) t.test(`"${entry}"`, async (t) => t.same(shortPort(at(entry)), mappings));

// [entry, message pattern]
const bad: [unknown, RegExp][] = [
  ['80', /"80" publishes no host port/],
  [80, /"80" publishes no host port/],
  ['127.0.0.1::80', /publishes no host port/],
  ['[::1]:80', /has an address but no host port/],
  ['9000-9002', /publishes no host port/],
  ['0:80', /port 0 in "0:80" is out of range/],
  ['65536:80', /port 65536 in "65536:80" is out of range/],
  ['8080:0', /port 0 in "8080:0" is out of range/],
  ['8080:65536', /out of range/],
  ['8080:80/sctp', /protocol "sctp" is not supported/],
  ['8080:80/', /protocol "" is not supported/],
  ['9000-9002:80', /maps 3 host port\(s\) to 1 container port\(s\)/],
  ['9000-9001:9000-9002', /maps 2 host port\(s\) to 3 container port\(s\)/],
  ['9002-9000:9000-9002', /range 9002-9000 in "9002-9000:9000-9002" ends before it starts/],
  ['http:80', /"http" in "http:80" is not a port or a range/],
  ['a:b:c:d', /"a:b:c:d" is not a port mapping/],
  ['300.1.1.1:80:80', /"300.1.1.1" is not an IP address/],
  ['[::1:80:80', /is not a port mapping/],
];

for (const [entry, message] of bad) {
  t.test(`refused: ${JSON.stringify(entry)}`, async (t) => {
    const e = errorOf(() => shortPort(at(entry)));
    t.equal(e.code, 'E_SCHEMA');
    t.match(e.message, message);
    t.match(e.message, /^services\.s\.ports\[0\]: /);
    t.same(e.pos, pos);
    t.ok(e.hint);
  });
}

t.test('a port without a host port says how muster publishes and how to fix it', async (t) => {
  const e = errorOf(() => shortPort(at('80')));
  t.match(e.hint, /host mode/);
  t.match(e.hint, /"8080:80" is host 8080 to container 80/);
});

t.test('in a stack file: unquoted 22:22 is the port string (not base 60), positions point at the entry', async (t) => {
  t.same(svc('image: x\nports:\n  - 22:22\n  - 2222:22\n  - "80:80"').ports, [tcp(22, 22), tcp(2222, 22), tcp(80, 80)]);
  const e = errorOf(() => svc('image: x\nports:\n  - 8080:80\n  - 81'));
  t.equal(e.message, 'services.s.ports[1]: "81" publishes no host port');
  t.equal(where(e), 'stack.yml:6:9');
});

t.test('a host port published twice is refused at the second', async (t) => {
  const e = errorOf(() => svc('image: x\nports:\n  - 8080:80\n  - 8080:81'));
  t.equal(e.message, 'services.s.ports[1]: host port 8080/tcp is published twice (also by services.s.ports[0])');
  t.equal(where(e), 'stack.yml:6:9');
  t.same(svc('image: x\nports: ["53:53/tcp", "53:53/udp", "127.0.0.1:80:80", "127.0.0.2:80:80"]').ports.length, 4, 'other protocol or address: no conflict');
  t.equal(where(errorOf(() => svc('image: x\nports: ["9000-9002:9000-9002", "9002:1"]'))), 'stack.yml:4:36');
});

t.test('the long form', async (t) => {
  t.same(svc('image: x\nports:\n  - target: 80\n    published: 8080\n    protocol: udp\n    host_ip: 10.0.0.1\n    mode: host\n    name: web').ports, [
    { target: 80, published: 8080, protocol: 'udp', hostIp: '10.0.0.1', mode: 'host' },
  ]);
  t.same(svc('image: x\nports:\n  - target: 80\n    published: "8080"').ports, [tcp(8080, 80)], 'a published port as a string');
  const noPub = errorOf(() => svc('image: x\nports:\n  - target: 80\n    protocol: tcp'));
  t.equal(noPub.message, 'services.s.ports[0]: container port 80 has no published host port');
  t.equal(where(noPub), 'stack.yml:5:9');
  t.match(noPub.hint, /published: 8080/);
  const range = errorOf(() => svc('image: x\nports:\n  - target: 80\n    published: 8080-8081'));
  t.equal(range.message, 'services.s.ports[0].published: "8080-8081" is not one port');
  t.equal(where(range), 'stack.yml:6:20');
  t.equal(where(errorOf(() => svc('image: x\nports:\n  - target: 0\n    published: 1'))), 'stack.yml:5:17', 'target 0');
  t.same(svc('image: x\nports:\n  - target: 65535\n    published: 1').ports, [tcp(1, 65535)], 'target 65535');
  t.equal(where(errorOf(() => svc('image: x\nports:\n  - target: 80\n    published: 65536'))), 'stack.yml:6:20');
  const typo = errorOf(() => svc('image: x\nports:\n  - target: 80\n    publised: 8080'));
  t.equal(typo.message, 'unknown key services.s.ports[0].publised (did you mean "published"?)');
  t.equal(where(typo), 'stack.yml:6:9');
  t.equal(where(errorOf(() => svc('image: x\nports:\n  - target: 80\n    published: 1\n    protocol: sctp'))), 'stack.yml:7:19');
});

t.test('mode: ingress warns that muster publishes in host mode', async (t) => {
  const { stackOf } = await import('./harness.js');
  const s = stackOf('services:\n  s:\n    image: x\n    ports:\n      - target: 80\n        published: 80\n        mode: ingress\n');
  t.same(s.warnings, [
    {
      message: 'services.s.ports[0].mode: muster has no routing mesh; port 80 is published in host mode on the nodes that run a replica',
      pos: { file: 'stack.yml', line: 7, col: 15 },
      engine: 'native',
    },
  ]);
});

t.test('mode: host is kept for Swarm; ingress, or no mode, is not written on the mapping', async (t) => {
  const long = (mode: string) => svc(`image: x\nports:\n  - target: 80\n    published: 8080${mode}`).ports;
  t.same(long('\n    mode: host'), [{ ...tcp(8080, 80), mode: 'host' }]);
  t.same(long('\n    mode: ingress'), [tcp(8080, 80)]);
  t.same(long(''), [tcp(8080, 80)], 'no mode: ingress, as Compose reads it');
  t.same(svc('image: x\nports: ["8080:80"]').ports, [tcp(8080, 80)], 'the short syntax is ingress');
  const { stackOf } = await import('./harness.js');
  t.same(
    stackOf('services:\n  s:\n    image: x\n    ports:\n      - target: 80\n        published: 80\n        mode: host\n').warnings,
    [],
    'host mode: nothing to say',
  );
});
