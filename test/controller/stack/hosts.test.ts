/** A service's extra_hosts, read into the stack model. */
import t from 'tap';
import { errorOf, svc, where } from './harness.js';

t.test('extra_hosts: list with : or =, mapping; IPv6; host-gateway', async (t) => {
  t.same(svc('image: x\nextra_hosts:\n  - "nas:192.168.1.10"\n  - printer=10.0.0.5\n  - "v6=::1"\n  - "v6b:[fe80::1]"\n  - "gw:host-gateway"').extraHosts, [
    'nas:192.168.1.10',
    'printer:10.0.0.5',
    'v6:::1',
    'v6b:fe80::1',
    'gw:host-gateway',
  ]);
  t.same(svc('image: x\nextra_hosts:\n  nas: 192.168.1.10\n  multi: ["10.0.0.1", "10.0.0.2"]').extraHosts, [
    'nas:192.168.1.10',
    'multi:10.0.0.1',
    'multi:10.0.0.2',
  ]);
  t.equal(where(errorOf(() => svc('image: x\nextra_hosts:\n  - nas'))), 'stack.yml:5:9');
  t.equal(where(errorOf(() => svc('image: x\nextra_hosts:\n  - nas=not-an-ip'))), 'stack.yml:5:9');
  t.equal(where(errorOf(() => svc('image: x\nextra_hosts:\n  nas: 999.1.1.1'))), 'stack.yml:5:12');
});
