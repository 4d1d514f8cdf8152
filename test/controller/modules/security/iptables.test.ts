import t from 'tap';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iptables, parseIptables, planIptables, probeIptables, type IptablesState } from '../../../../controller/modules/security/iptables.js';
import { argsFor, dash, fakeContext, outcome } from '../system/fake.js';

// Real output of `iptables -S` and `-C` on a lab host (Debian trixie, iptables 1.8.11 nf_tables).
const PROBE_WEB = `@@muster:begin tools
@@muster:end 0
@@muster:begin listing
-N MUSTER-WEB
-A MUSTER-WEB -p tcp -m multiport --dports 80,443 -m conntrack --ctstate NEW,ESTABLISHED -m comment --comment "web traffic" -j ACCEPT
@@muster:end 0
@@muster:begin check
@@muster:end 0
`;
const PROBE_BAD = `@@muster:begin tools
@@muster:end 0
@@muster:begin listing
iptables: No chain/target/match by that name.
@@muster:end 1
@@muster:begin check
iptables v1.8.11 (nf_tables): unknown protocol "tcpx" specified
Try \`iptables -h' or 'iptables --help' for more information.
@@muster:end 2
`;
const INPUT = '-P INPUT ACCEPT\n-A INPUT -j ufw-before-logging-input\n';
const NO_CHAIN = { text: 'iptables: No chain/target/match by that name.\n', rc: 1 };
const st = (listing: { text: string; rc: number } | string, check?: number | [string, number]): IptablesState => ({
  missing: [],
  listing: typeof listing === 'string' ? { text: listing, rc: 0 } : listing,
  check:
    check === undefined
      ? undefined
      : typeof check === 'number'
        ? { text: check === 1 ? 'iptables: Bad rule (does a matching rule exist in that chain?).\n' : '', rc: check }
        : { text: check[0], rc: check[1] },
});
const web = { chain: 'INPUT', protocol: 'tcp', destination_port: '80', jump: 'ACCEPT' };
const WEB = '-p tcp -j ACCEPT --destination-port 80';

const table: [string, Record<string, unknown>, IptablesState, string | string[]][] = [
  ['rule present', web, st(INPUT, 0), 'noop: rule present in chain INPUT of table filter'],
  ['rule missing -> append', web, st(INPUT, 1), [`iptables -t filter -A INPUT ${WEB}`]],
  ['insert at a number', { ...web, action: 'insert', rule_num: '2' }, st(INPUT, 1), [`iptables -t filter -I INPUT 2 ${WEB}`]],
  ['insert at the top', { ...web, action: 'insert' }, st(INPUT, 1), [`iptables -t filter -I INPUT ${WEB}`]],
  ['wait and ipv6', { ...web, wait: '5', ip_version: 'ipv6' }, st(INPUT, 1), [`ip6tables -w 5 -t filter -A INPUT ${WEB}`]],
  ['nat table', { ...web, table: 'nat', chain: 'PREROUTING' }, st('-P PREROUTING ACCEPT\n', 1), [`iptables -t nat -A PREROUTING ${WEB}`]],
  [
    'a rule iptables cannot parse',
    { ...web, protocol: 'tcpx' },
    st(INPUT, ['iptables v1.8.11 (nf_tables): unknown protocol "tcpx" specified\nTry ...\n', 2]),
    'fail: iptables v1.8.11 (nf_tables): unknown protocol "tcpx" specified',
  ],
  ['absent, present -> delete', { ...web, state: 'absent' }, st(INPUT, 0), [`iptables -t filter -D INPUT ${WEB}`]],
  ['absent, not there', { ...web, state: 'absent' }, st(INPUT, 1), 'noop: rule absent from chain INPUT of table filter'],
  ['absent, no chain', { ...web, chain: 'X', state: 'absent' }, st(NO_CHAIN), 'noop: chain X does not exist in table filter'],
  [
    'rule in a missing chain',
    { ...web, chain: 'X' },
    st(NO_CHAIN),
    'fail: chain X does not exist in table filter: create it first, or set chain_management: true',
  ],
  [
    'chain_management creates the chain and the rule',
    { ...web, chain: 'X', chain_management: true },
    st(NO_CHAIN),
    ['iptables -t filter -N X', `iptables -t filter -A X ${WEB}`],
  ],
  ['chain_management, chain only', { chain: 'X', chain_management: true }, st(NO_CHAIN), ['iptables -t filter -N X']],
  ['chain_management, chain exists', { chain: 'X', chain_management: true }, st('-N X\n'), 'noop: chain X exists in table filter'],
  ['chain_management absent deletes the chain', { chain: 'X', chain_management: true, state: 'absent' }, st('-N X\n'), ['iptables -t filter -X X']],
  ['chain_management absent, no chain', { chain: 'X', chain_management: true, state: 'absent' }, st(NO_CHAIN), 'noop: chain X does not exist in table filter'],
  [
    'absent without rule or chain_management',
    { chain: 'X', state: 'absent' },
    st('-N X\n'),
    'noop: no rule given: nothing to remove from chain X of table filter',
  ],
  ['policy differs', { chain: 'FORWARD', policy: 'DROP' }, st('-P FORWARD ACCEPT\n'), ['iptables -t filter -P FORWARD DROP']],
  [
    'policy right',
    { chain: 'FORWARD', policy: 'DROP' },
    st('-P FORWARD DROP\n-A FORWARD -j x\n'),
    'noop: the policy of chain FORWARD of table filter is already DROP',
  ],
  ['policy of a user chain', { chain: 'X', policy: 'DROP' }, st('-N X\n'), 'fail: chain X is a user chain: only built-in chains have a policy'],
  ['policy of a missing chain', { chain: 'X', policy: 'DROP' }, st(NO_CHAIN), 'fail: chain X does not exist in table filter'],
  ['flush a chain with rules', { chain: 'INPUT', flush: true }, st(INPUT), ['iptables -t filter -F INPUT']],
  ['flush an empty chain', { chain: 'INPUT', flush: true }, st('-P INPUT ACCEPT\n'), 'noop: chain INPUT of table filter has no rules'],
  ['flush a whole table', { table: 'nat', flush: true }, st('-P PREROUTING ACCEPT\n-N X\n-A X -j RETURN\n'), ['iptables -t nat -F']],
  ['flush an empty table', { table: 'nat', flush: true }, st('-P PREROUTING ACCEPT\n'), 'noop: table nat has no rules'],
  [
    'flush a missing chain',
    { chain: 'X', flush: true },
    st(NO_CHAIN),
    'fail: cannot flush chain X of table filter: iptables: No chain/target/match by that name.',
  ],
  ['no chain', { jump: 'ACCEPT' }, st(INPUT), 'fail: chain is required unless flush is true'],
  ['match_set without flags', { ...web, match_set: 'admins' }, st(INPUT, 1), 'fail: parameters are required together: match_set, match_set_flags'],
  ['bad rule_num', { ...web, rule_num: 'top' }, st(INPUT, 1), 'fail: rule_num must be a positive number'],
  ['no iptables', web, { ...st(INPUT, 1), missing: ['iptables'] }, 'fail: iptables not found on the host (Debian: the "iptables" package)'],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planIptables(argsFor(iptables, given), s)), want));
}

t.test('data follows Ansible', async (t) => {
  const p = planIptables(argsFor(iptables, web), st(INPUT, 0));
  t.same(p.data, { chain: 'INPUT', flush: false, ip_version: 'ipv4', rule: WEB, state: 'present', table: 'filter' });
});

t.test('probe: -S always, -C only for a rule', async (t) => {
  const s = (a: Record<string, unknown>) => probeIptables(argsFor(iptables, a)).shown;
  t.match(s(web), `iptables -t filter -S INPUT 2>&1`);
  t.match(s(web), `iptables -t filter -C INPUT ${WEB} 2>&1`);
  t.notMatch(s({ chain: 'INPUT', policy: 'DROP' }), '-C');
  t.notMatch(s({ chain: 'INPUT', flush: true, jump: 'X' }), '-C');
  t.match(s({ ...web, comment: "it's web" }), `--comment 'it'\\''s web'`, 'quoted for sh');
});

t.test('parse: real probe output', async (t) => {
  const w = parseIptables(PROBE_WEB);
  t.equal(w.listing.rc, 0);
  t.equal(w.check?.rc, 0);
  t.same(
    outcome(planIptables(argsFor(iptables, { chain: 'MUSTER-WEB', protocol: 'tcp', destination_ports: ['80', '443'], jump: 'ACCEPT' }), w)),
    'noop: rule present in chain MUSTER-WEB of table filter',
  );
  const bad = parseIptables(PROBE_BAD);
  t.same(bad.listing, NO_CHAIN);
  t.equal(bad.check?.rc, 2);
  t.same(parseIptables(''), { missing: [], listing: { text: '', rc: 1 }, check: undefined }, 'a probe that died: no chain');
});

t.test('for real with dash, against a stand-in iptables that logs its arguments', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-iptables-'));
  const log = join(dir, 'calls');
  // -S prints a chain, -C says "not there" until -A ran: enough to see the probe and the step go through sh.
  writeFileSync(
    join(dir, 'iptables'),
    `#!/bin/sh\nfor a in "$@"; do printf '[%s]' "$a"; done >> ${log}; echo >> ${log}\ncase "$3" in -S) echo "-P INPUT ACCEPT";; -C) test -e ${dir}/added;; -A) touch ${dir}/added;; esac\n`,
  );
  chmodSync(join(dir, 'iptables'), 0o755);
  const local = { cwd: dir, env: { PATH: `${dir}:/usr/bin:/bin` } };
  const args = argsFor(iptables, { chain: 'INPUT', protocol: 'tcp', destination_port: '22', comment: "admin's ssh", jump: 'ACCEPT' });
  const r = await iptables.run(args, fakeContext({ local }));
  t.equal(r.changed, true, String(r.msg));
  const again = await iptables.run(args, fakeContext({ local }));
  t.equal(again.changed, false, String(again.msg));
  t.same(readFileSync(log, 'utf8').trim().split('\n'), [
    '[-t][filter][-S][INPUT]',
    "[-t][filter][-C][INPUT][-p][tcp][-j][ACCEPT][--destination-port][22][-m][comment][--comment][admin's ssh]",
    "[-t][filter][-A][INPUT][-p][tcp][-j][ACCEPT][--destination-port][22][-m][comment][--comment][admin's ssh]",
    '[-t][filter][-S][INPUT]',
    "[-t][filter][-C][INPUT][-p][tcp][-j][ACCEPT][--destination-port][22][-m][comment][--comment][admin's ssh]",
  ]);
  t.equal(dash(probeIptables(args), local).rc, 0, 'the probe itself exits 0');
});
