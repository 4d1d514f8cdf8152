import t from 'tap';
import { table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12

t.test('the IP filters answer under their collection names too', async (t) =>
  table(t, [
    ["'192.168.1.10' | ansible.utils.ipaddr('address')", '192.168.1.10'],
    ["'2001:db8::1' | ansible.netcommon.ipv6", '2001:db8::1'],
  ]),
);
