import t from 'tap';
import {
  defaultPolicies,
  insertPosition,
  isActive,
  logLevel,
  numberedRules,
  parseDryRun,
  ruleChanges,
  tupleLines,
} from '../../../../controller/modules/security/ufw-state.js';

// Real files and output of ufw 0.36.2 on a lab host (Debian trixie).
const DEFAULTS = `# /etc/default/ufw
#
IPV6=yes

DEFAULT_INPUT_POLICY="DROP"

DEFAULT_OUTPUT_POLICY="ACCEPT"

DEFAULT_FORWARD_POLICY="REJECT"

DEFAULT_APPLICATION_POLICY="SKIP"
MANAGE_BUILTINS=no
`;
const NUMBERED = `Status: active

     To                         Action      From
     --                         ------      ----
[ 1] 25/tcp                     DENY IN     Anywhere
[ 2] 22/tcp                     ALLOW IN    Anywhere                   # ssh
[ 3] 443/tcp                    ALLOW IN    10.0.0.0/8
[ 4] 2222/tcp on eth0           LIMIT IN    Anywhere                   (log)
[ 5] OpenSSH                    ALLOW IN    Anywhere
[ 6] 25/tcp (v6)                DENY IN     Anywhere (v6)
[ 7] 22/tcp (v6)                ALLOW IN    Anywhere (v6)              # ssh
[ 8] 2222/tcp (v6) on eth0      LIMIT IN    Anywhere (v6)              (log)
[ 9] OpenSSH (v6)               ALLOW IN    Anywhere (v6)
`;
const V4 = ['### tuple ### deny tcp 25 0.0.0.0/0 any 0.0.0.0/0 in', '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in comment=737368'];
const V6 = ['### tuple ### deny tcp 25 ::/0 any ::/0 in', '### tuple ### allow tcp 22 ::/0 any ::/0 in comment=737368'];
const block = (tuples: string[]) =>
  `*filter\n:ufw-user-input - [0:0]\n### RULES ###\n\n${tuples.map((l) => `${l}\n-A ufw-user-input -j ACCEPT\n`).join('\n')}\n### END RULES ###\n\n### LOGGING ###\n### END LOGGING ###\nCOMMIT\n`;

t.test('status, defaults, log level', async (t) => {
  t.equal(isActive('Status: active\nLogging: on (low)\n'), true);
  t.equal(isActive('Status: inactive\n'), false);
  t.same(defaultPolicies(DEFAULTS), { incoming: 'deny', outgoing: 'allow', routed: 'reject' });
  t.same(defaultPolicies(''), {});
  t.equal(logLevel('# comment\nENABLED=yes\nLOGLEVEL=medium\n'), 'medium');
  t.equal(logLevel('LOGLEVEL=off\n'), 'off');
  t.equal(logLevel('ENABLED=no\n'), 'low', "ufw's default");
  t.same(tupleLines(`${V4[0]}\n-A x\n${V4[1]}\n`), V4);
});

t.test('dry runs', async (t) => {
  const both = parseDryRun(`${block([...V4, '### tuple ### allow tcp 8080 0.0.0.0/0 any 0.0.0.0/0 in'])}${block(V6)}Rules updated\nRules updated (v6)\n`, 0);
  t.equal(both.blocks.length, 2);
  t.same(both.blocks[1], V6);
  t.equal(ruleChanges(both, { v4: V4, v6: V6 }, false), true, 'a new IPv4 tuple');
  const same = parseDryRun(`${block(V4)}${block(V6)}Rules updated\nRules updated (v6)\n`, 0);
  t.equal(ruleChanges(same, { v4: V4, v6: V6 }, false), false, 'deleting a rule that is not there leaves the files as they are');
  const skip = parseDryRun('Skipping adding existing rule\nSkipping adding existing rule (v6)\n', 0);
  t.same(skip, { blocks: [], skipped: true });
  t.equal(ruleChanges(skip, { v4: V4, v6: V6 }, false), false);
  const v4only = parseDryRun(
    `${block([...V4, '### tuple ### limit tcp 2222 0.0.0.0/0 any 0.0.0.0/0 in'])}Rules updated\nSkipping unsupported IPv6 'limit' rule\n`,
    0,
  );
  t.equal(ruleChanges(v4only, { v4: V4, v6: V6 }, false), true);
  const v6only = parseDryRun(`${block(V6)}Rules updated (v6)\n`, 0);
  t.equal(ruleChanges(v6only, { v4: V4, v6: V6 }, true), false, 'one block compared with the IPv6 file for an IPv6 rule');
  t.equal(ruleChanges(v6only, { v4: V4, v6: V6 }, false), true, '... and with the IPv4 file otherwise');
  const emptied = parseDryRun(`${block([])}${block([])}`, 0);
  t.equal(ruleChanges(emptied, { v4: V4.slice(0, 1), v6: [] }, false), true, 'removing the last IPv4 rule is a change even with no IPv6 rules');
  t.same(parseDryRun('ERROR: Bad port\n', 1), { blocks: [], skipped: false, error: 'ERROR: Bad port' });
  t.same(parseDryRun('', 1).error, 'ufw exited 1');
});

t.test('numbered rules and relative insert positions', async (t) => {
  const rules = numberedRules(NUMBERED);
  t.equal(rules.length, 9);
  t.same(rules[5], { no: 6, v6: true });
  t.equal(insertPosition(3, 'zero', rules), 3);
  t.equal(insertPosition(0, 'first-ipv4', rules), 1);
  t.equal(insertPosition(1, 'last-ipv4', rules), 6);
  t.equal(insertPosition(0, 'first-ipv6', rules), 6);
  t.equal(insertPosition(0, 'last-ipv6', rules), 9);
  t.equal(insertPosition(1, 'last-ipv6', rules), undefined, 'past the last rule: added at the end');
  t.equal(insertPosition(0, 'first-ipv4', []), undefined, 'no rules at all');
  const v4 = rules.filter((r) => !r.v6);
  t.equal(insertPosition(0, 'last-ipv6', v4), undefined, 'no IPv6 rules: after the last');
  t.equal(insertPosition(0, 'first-ipv6', v4), undefined);
});
