import t from 'tap';
import { hasRule, ruleWords } from '../../../../controller/modules/security/iptables-rule.js';

const w = (a: Record<string, unknown>) => ruleWords({ match: [], ctstate: [], destination_ports: [], syn: 'ignore', ...a }).join(' ');

t.test("words in Ansible's order", async (t) => {
  t.equal(w({ protocol: 'tcp', destination_port: '22', jump: 'ACCEPT' }), '-p tcp -j ACCEPT --destination-port 22');
  t.equal(
    w({ source: '10.0.0.0/8', destination: '10.0.0.1', in_interface: 'eth0', out_interface: 'eth1', jump: 'DROP' }),
    '-s 10.0.0.0/8 -d 10.0.0.1 -j DROP -i eth0 -o eth1',
  );
  t.equal(
    w({ protocol: 'tcp', destination_ports: ['80', '443'], ctstate: ['NEW', 'ESTABLISHED'], jump: 'ACCEPT', comment: 'web traffic' }),
    '-p tcp -j ACCEPT -m multiport --dports 80,443 -m conntrack --ctstate NEW,ESTABLISHED -m comment --comment web traffic',
  );
  t.equal(
    w({ protocol: 'tcp', match: ['tcp'], source_port: '1024:65535', syn: 'match', jump: 'ACCEPT' }),
    '-p tcp -m tcp -j ACCEPT --source-port 1024:65535 --syn',
  );
  t.equal(w({ syn: 'negate', protocol: 'tcp' }), '-p tcp ! --syn');
});

t.test('a leading ! negates', async (t) => {
  t.equal(w({ source: '!10.0.0.1', jump: 'DROP' }), '! -s 10.0.0.1 -j DROP');
  t.equal(w({ in_interface: '! lo' }), '! -i lo');
});

t.test('matches the caller named are not repeated', async (t) => {
  t.equal(w({ match: ['conntrack'], ctstate: 'RELATED,ESTABLISHED', jump: 'ACCEPT' }), '-m conntrack -j ACCEPT --ctstate RELATED,ESTABLISHED');
  t.equal(w({ match: ['state'], ctstate: ['NEW'] }), '-m state --state NEW');
  t.equal(w({ match: ['multiport'], destination_ports: ['1:2'] }), '-m multiport --dports 1:2');
});

t.test('nat, limits, owners, reject, icmp', async (t) => {
  t.equal(
    w({ protocol: 'tcp', destination_port: '80', jump: 'DNAT', to_destination: '10.0.0.2:8080' }),
    '-p tcp -j DNAT --to-destination 10.0.0.2:8080 --destination-port 80',
  );
  t.equal(w({ jump: 'SNAT', to_source: '192.0.2.1' }), '-j SNAT --to-source 192.0.2.1');
  t.equal(
    w({ limit: '3/min', limit_burst: '5', jump: 'LOG', log_prefix: 'x: ', log_level: 'info' }),
    '-j LOG --log-prefix x:  --log-level info -m limit --limit 3/min --limit-burst 5',
  );
  t.equal(w({ uid_owner: '1000', jump: 'ACCEPT' }), '-j ACCEPT -m owner --uid-owner 1000');
  t.equal(w({ reject_with: 'tcp-reset', protocol: 'tcp' }), '-p tcp -j REJECT --reject-with tcp-reset');
  t.equal(w({ reject_with: 'tcp-reset', jump: 'REJECT' }), '-j REJECT --reject-with tcp-reset', 'no second -j');
  t.equal(w({ protocol: 'icmp', icmp_type: 'echo-request' }), '-p icmp --icmp-type echo-request');
  t.equal(w({ protocol: 'ipv6-icmp', icmp_type: '128', ip_version: 'ipv6' }), '-p ipv6-icmp --icmpv6-type 128');
  t.equal(w({ src_range: '10.0.0.1-10.0.0.9' }), '-m iprange --src-range 10.0.0.1-10.0.0.9');
  t.equal(
    w({ match_set: 'admins', match_set_flags: 'src', destination_port: '22', protocol: 'tcp', jump: 'ACCEPT' }),
    '-p tcp -j ACCEPT --destination-port 22 -m set --match-set admins src',
  );
  t.equal(w({ match: ['set'], match_set: '!banned', match_set_flags: 'src,dst' }), '-m set ! --match-set banned src,dst');
  t.equal(w({ tcp_flags: { flags: ['ALL'], flags_set: ['ACK', 'SYN'] }, protocol: 'tcp' }), '-p tcp --tcp-flags ALL ACK,SYN');
});

t.test('hasRule: any rule argument, defaults do not count', async (t) => {
  t.equal(hasRule({ match: [], ctstate: [], destination_ports: [], syn: 'ignore' }), false);
  t.equal(hasRule({ match: [], syn: 'ignore', jump: 'ACCEPT' }), true);
  t.equal(hasRule({ ctstate: ['NEW'] }), true);
  t.equal(hasRule({ syn: 'match' }), true);
  t.equal(hasRule({ tcp_flags: {} }), false);
});
