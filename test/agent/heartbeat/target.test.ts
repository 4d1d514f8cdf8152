import t from 'tap';
import { heartbeatTarget } from '../../../agent/heartbeat/target.js';

t.test('heartbeats go to the requester: IPv4 (mapped or not) over udp4, IPv6 over udp6', async (t) => {
  const rows: [string, string, ReturnType<typeof heartbeatTarget>][] = [
    ['IPv4', '127.0.0.1', { family: 'udp4', host: '127.0.0.1', port: 7946, to: '127.0.0.1:7946' }],
    ['IPv4-mapped IPv6', '::ffff:127.0.0.1', { family: 'udp4', host: '127.0.0.1', port: 7946, to: '127.0.0.1:7946' }],
    ['IPv4-mapped in capitals', '::FFFF:10.0.0.2', { family: 'udp4', host: '10.0.0.2', port: 7946, to: '10.0.0.2:7946' }],
    ['IPv6 loopback', '::1', { family: 'udp6', host: '::1', port: 7946, to: '[::1]:7946' }],
    ['IPv6 with a zone', 'fe80::1%eth0', { family: 'udp6', host: 'fe80::1%eth0', port: 7946, to: '[fe80::1%eth0]:7946' }],
    ['IPv4-mapped in hex (IPv6 as written)', '::ffff:7f00:1', { family: 'udp6', host: '::ffff:7f00:1', port: 7946, to: '[::ffff:7f00:1]:7946' }],
    ['a host name', 'localhost', undefined],
    ['nothing', '', undefined],
    ['an IPv4 octet over 255', '256.0.0.1', undefined],
    ['a mapped address with an octet over 255', '::ffff:256.0.0.1', undefined],
  ];
  for (const [why, address, want] of rows) t.same(heartbeatTarget(address, 7946), want, why);
});
