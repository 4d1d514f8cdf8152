import t from 'tap';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUfw, planUfw, probeUfw, ruleCommand, ufwModule, type UfwState } from '../../../../controller/modules/security/ufw.js';
import { argsFor, fakeContext, outcome } from '../system/fake.js';

const T4 = ['### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'];
const T6 = ['### tuple ### allow tcp 22 ::/0 any ::/0 in'];
const st = (over: Partial<UfwState> = {}): UfwState => ({
  missing: [],
  active: true,
  policies: { incoming: 'deny', outgoing: 'allow', routed: 'deny' },
  logLevel: 'low',
  tuples: { v4: T4, v6: T6 },
  ...over,
});
const SKIPPED = { blocks: [], skipped: true };
const ADDS = {
  blocks: [
    [...T4, '### tuple ### allow tcp 80 0.0.0.0/0 any 0.0.0.0/0 in'],
    [...T6, '### tuple ### allow tcp 80 ::/0 any ::/0 in'],
  ],
  skipped: false,
};
const SAME = { blocks: [T4, T6], skipped: false };

const table: [string, Record<string, unknown>, UfwState, string | string[]][] = [
  ['enable an inactive ufw', { state: 'enabled' }, st({ active: false }), ['ufw --force enable']],
  ['enabled already', { state: 'enabled' }, st(), 'noop: ufw is already active'],
  ['disable', { state: 'disabled' }, st(), ['ufw --force disable']],
  ['disabled already', { state: 'disabled' }, st({ active: false }), 'noop: ufw is already inactive'],
  ['reloaded always runs', { state: 'reloaded' }, st(), ['ufw --force reload']],
  ['reset always runs', { state: 'reset' }, st(), ['ufw --force reset']],
  ['default policy differs', { default: 'reject', direction: 'routed' }, st(), ['ufw default reject routed']],
  ['default policy right (incoming when no direction)', { default: 'deny' }, st(), 'noop: the default incoming policy is already deny'],
  ['logging level differs', { logging: 'high' }, st(), ['ufw logging high']],
  ['logging on while on at any level', { logging: 'on' }, st({ logLevel: 'medium' }), 'noop: logging is already medium'],
  ['logging on while off', { logging: 'on' }, st({ logLevel: 'off' }), ['ufw logging on']],
  ['logging off', { logging: 'off' }, st(), ['ufw logging off']],
  ['rule to add', { rule: 'allow', to_port: '80', proto: 'tcp' }, st({ dry: ADDS }), ['ufw allow from any to any port 80 proto tcp']],
  ['rule present', { rule: 'allow', to_port: '22', proto: 'tcp' }, st({ dry: SKIPPED }), 'noop: the rule is present'],
  [
    'delete a rule that is there',
    { rule: 'allow', to_port: '22', proto: 'tcp', delete: true },
    st({ dry: { blocks: [[], []], skipped: false } }),
    ['ufw delete allow from any to any port 22 proto tcp'],
  ],
  ['delete a rule that is not', { rule: 'allow', to_port: '23', proto: 'tcp', delete: true }, st({ dry: SAME }), 'noop: the rule is absent'],
  ['insert at a number', { rule: 'deny', to_port: '25', insert: 1 }, st({ dry: ADDS }), ['ufw insert 1 deny from any to any port 25']],
  [
    'insert relative to the last IPv4 rule',
    { rule: 'deny', to_port: '25', insert: 0, insert_relative_to: 'last-ipv4' },
    st({ dry: ADDS, numbered: '[ 1] 22/tcp  ALLOW IN  Anywhere\n[ 2] 22/tcp (v6)  ALLOW IN  Anywhere (v6)\n' }),
    ['ufw insert 1 deny from any to any port 25'],
  ],
  [
    'insert past the end: appended',
    { rule: 'deny', to_port: '25', insert: 5, insert_relative_to: 'first-ipv4' },
    st({ dry: ADDS, numbered: '' }),
    ['ufw deny from any to any port 25'],
  ],
  [
    'every part of a rule',
    {
      rule: 'limit',
      route: true,
      direction: 'in',
      interface: 'eth0',
      log: true,
      from_ip: '10.0.0.0/8',
      from_port: '1000',
      to_ip: '10.0.0.1',
      to_port: '2222',
      proto: 'tcp',
      comment: "admin's",
    },
    st({ dry: ADDS }),
    [`ufw route limit in on eth0 log from 10.0.0.0/8 port 1000 to 10.0.0.1 port 2222 proto tcp comment 'admin'\\''s'`],
  ],
  ['an app profile', { rule: 'allow', name: 'OpenSSH' }, st({ dry: ADDS }), ['ufw allow from any to any app OpenSSH']],
  [
    'in and out interfaces',
    { rule: 'allow', interface_in: 'eth0', interface_out: 'eth1', route: true },
    st({ dry: ADDS }),
    ['ufw route allow in on eth0 out on eth1 from any to any'],
  ],
  [
    'ufw refuses the rule',
    { rule: 'allow', to_port: 'http-ish' },
    st({ dry: { blocks: [], skipped: false, error: 'ERROR: Bad port' } }),
    'fail: ufw refused the rule: ERROR: Bad port',
  ],
  [
    'IPv6 rule compared with the IPv6 file',
    { rule: 'allow', from_ip: '2001:db8::/32', to_port: '22' },
    st({ dry: { blocks: [T6], skipped: false } }),
    'noop: the rule is present',
  ],
  [
    'several things: state, default, rule, logging, in that order',
    { state: 'enabled', default: 'allow', rule: 'allow', to_port: '80', logging: 'full' },
    st({ active: false, dry: ADDS }),
    ['ufw --force enable', 'ufw default allow incoming', 'ufw allow from any to any port 80', 'ufw logging full'],
  ],
  ['nothing asked', { direction: 'in' }, st(), 'fail: one of the following is required: state, default, rule, logging'],
  ['name and proto', { rule: 'allow', name: 'OpenSSH', proto: 'tcp' }, st(), 'fail: parameters are mutually exclusive: name|proto'],
  [
    'default with a rule direction',
    { default: 'deny', direction: 'in' },
    st(),
    'fail: For default, direction must be one of "outgoing", "incoming" and "routed", or direction must not be specified.',
  ],
  [
    'rule with a default direction',
    { rule: 'deny', direction: 'incoming' },
    st(),
    'fail: For rules, direction must be one of "in" and "out", or direction must not be specified.',
  ],
  ['no ufw', { state: 'enabled' }, st({ missing: ['ufw'] }), 'fail: ufw not found on the host (Debian: the "ufw" package)'],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planUfw(argsFor(ufwModule, given), s)), want));
}

t.test('data names the commands, the msg what changed', async (t) => {
  const p = planUfw(argsFor(ufwModule, { state: 'enabled', logging: 'low' }), st({ active: false }));
  if (p.kind !== 'change') return t.fail('expected a change');
  t.same(p.data, { commands: ['ufw --force enable'] });
  t.equal(p.msg, 'enabled ufw');
  const n = planUfw(argsFor(ufwModule, { state: 'enabled', logging: 'low' }), st());
  t.same(outcome(n), 'noop: ufw is already active; logging is already low');
});

t.test('the dry run leaves insert out: ufw skips an existing rule wherever it is', async (t) => {
  const a = argsFor(ufwModule, { rule: 'deny', to_port: '25', insert: 1, insert_relative_to: 'last-ipv6' });
  const p = probeUfw(a).shown;
  t.match(p, 'ufw --dry-run deny from any to any port 25 2>&1');
  t.match(p, 'ufw status numbered');
  t.notMatch(probeUfw(argsFor(ufwModule, { rule: 'deny', to_port: '25', insert: 1 })).shown, 'numbered', 'zero needs no numbers');
  t.notMatch(probeUfw(argsFor(ufwModule, { state: 'enabled' })).shown, '--dry-run', 'no rule: no dry run');
  t.same(
    ruleCommand(argsFor(ufwModule, { rule: 'allow', delete: true, to_port: '1' }), undefined)
      .flat()
      .filter(Boolean),
    ['delete', 'allow', 'from', 'any', 'to', 'any', 'port', '1'],
  );
});

// Real output of the probe on a lab host (ufw 0.36.2), the dry run cut to its RULES blocks.
const REAL = `@@muster:begin tools
@@muster:end 0
@@muster:begin status
Status: active
Logging: on (medium)
Default: deny (incoming), allow (outgoing), reject (routed)
New profiles: skip

To                         Action      From
--                         ------      ----
22/tcp                     ALLOW IN    Anywhere                   # ssh
22/tcp (v6)                ALLOW IN    Anywhere (v6)              # ssh

@@muster:end 0
@@muster:begin defaults
# /etc/default/ufw
IPV6=yes
DEFAULT_INPUT_POLICY="DROP"
DEFAULT_OUTPUT_POLICY="ACCEPT"
DEFAULT_FORWARD_POLICY="REJECT"
@@muster:end 0
@@muster:begin conf
ENABLED=yes
LOGLEVEL=medium
@@muster:end 0
@@muster:begin rules4
### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in comment=737368
@@muster:end 0
@@muster:begin rules6
### tuple ### allow tcp 22 ::/0 any ::/0 in comment=737368
@@muster:end 0
@@muster:begin dryrun
*filter
### RULES ###

### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in comment=737368
-A ufw-user-input -p tcp --dport 22 -j ACCEPT -m comment --comment 'ssh'

### tuple ### allow tcp 8080 0.0.0.0/0 any 0.0.0.0/0 in
-A ufw-user-input -p tcp --dport 8080 -j ACCEPT

### END RULES ###
COMMIT
*filter
### RULES ###

### tuple ### allow tcp 22 ::/0 any ::/0 in comment=737368
-A ufw6-user-input -p tcp --dport 22 -j ACCEPT -m comment --comment 'ssh'

### tuple ### allow tcp 8080 ::/0 any ::/0 in
-A ufw6-user-input -p tcp --dport 8080 -j ACCEPT

### END RULES ###
COMMIT
Rules updated
Rules updated (v6)
@@muster:end 0
`;

t.test('parse: real probe output', async (t) => {
  const s = parseUfw(REAL);
  t.same(s.missing, []);
  t.equal(s.active, true);
  t.same(s.policies, { incoming: 'deny', outgoing: 'allow', routed: 'reject' });
  t.equal(s.logLevel, 'medium');
  t.same(s.tuples, {
    v4: ['### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in comment=737368'],
    v6: ['### tuple ### allow tcp 22 ::/0 any ::/0 in comment=737368'],
  });
  t.equal(s.dry?.blocks.length, 2);
  t.same(outcome(planUfw(argsFor(ufwModule, { rule: 'allow', to_port: '8080', proto: 'tcp' }), s)), ['ufw allow from any to any port 8080 proto tcp']);
  t.equal(s.numbered, undefined);
  const inactive = parseUfw('@@muster:begin status\nStatus: inactive\n@@muster:end 0\n');
  t.equal(inactive.active, false);
  t.equal(inactive.logLevel, 'low');
});

t.test('for real with dash, against a stand-in ufw that keeps its rules files in a temp dir', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-ufw-'));
  const log = join(dir, 'calls');
  // The stand-in answers the dry run from a marker file: no marker, the rule would be added; marker, skipped.
  writeFileSync(
    join(dir, 'ufw'),
    `#!/bin/sh\nfor a in "$@"; do printf '[%s]' "$a"; done >> ${log}; echo >> ${log}
case "$1" in
  status) if [ -e ${dir}/on ]; then echo "Status: active"; else echo "Status: inactive"; fi;;
  --dry-run) if [ -e ${dir}/added ]; then echo "Skipping adding existing rule"; else printf '### RULES ###\\n### tuple ### allow tcp 80 0.0.0.0/0 any 0.0.0.0/0 in\\n### END RULES ###\\n'; fi;;
  --force) touch ${dir}/on;;
  allow) touch ${dir}/added;;
esac\n`,
  );
  chmodSync(join(dir, 'ufw'), 0o755);
  const local = { cwd: dir, env: { PATH: `${dir}:/usr/bin:/bin` } };
  const args = argsFor(ufwModule, { state: 'enabled', rule: 'allow', to_port: '80', proto: 'tcp', comment: 'web & more' });
  const r = await ufwModule.run(args, fakeContext({ local }));
  t.equal(r.changed, true, String(r.msg));
  t.equal(r.msg, 'enabled ufw; added the rule');
  const again = await ufwModule.run(args, fakeContext({ local }));
  t.equal(again.changed, false, String(again.msg));
  t.equal(again.msg, 'ufw is already active; the rule is present');
  const calls = readFileSync(log, 'utf8').trim().split('\n');
  t.ok(calls.includes('[allow][from][any][to][any][port][80][proto][tcp][comment][web & more]'), 'the comment arrives as one word');
  t.equal(calls.filter((c) => c.startsWith('[--force]')).length, 1, 'enabled once');
});
