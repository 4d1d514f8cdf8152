/**
 * `ufw`: the Uncomplicated Firewall enabled/disabled/reloaded/reset, its default policies, its log level, and
 * one rule added or deleted. Whether a rule is there is ufw's own answer: the probe runs the rule with
 * `--dry-run` and compares the rules files it would write with the ones on disk.
 */
import { sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import { cmd, missingTools, section, sectionsOf, withSbin, words, type Word } from '../system/probe.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Vars } from '../types.js';
import {
  defaultPolicies,
  insertPosition,
  isActive,
  logLevel,
  numberedRules,
  parseDryRun,
  ruleChanges,
  tupleLines,
  type DryRun,
  type Tuples,
} from './ufw-state.js';

const args: ArgSpecs = {
  state: { type: 'str', choices: ['enabled', 'disabled', 'reloaded', 'reset'] },
  default: { type: 'str', choices: ['allow', 'deny', 'reject'], aliases: ['policy'] },
  logging: { type: 'str', choices: ['on', 'off', 'low', 'medium', 'high', 'full'] },
  direction: { type: 'str', choices: ['in', 'incoming', 'out', 'outgoing', 'routed'] },
  insert: { type: 'int' },
  insert_relative_to: { type: 'str', choices: ['first-ipv4', 'first-ipv6', 'last-ipv4', 'last-ipv6', 'zero'], default: 'zero' },
  rule: { type: 'str', choices: ['allow', 'deny', 'limit', 'reject'] },
  interface: { type: 'str', aliases: ['if'] },
  interface_in: { type: 'str', aliases: ['if_in'] },
  interface_out: { type: 'str', aliases: ['if_out'] },
  log: { type: 'bool', default: false },
  from_ip: { type: 'str', default: 'any', aliases: ['from', 'src'] },
  from_port: { type: 'str' },
  to_ip: { type: 'str', default: 'any', aliases: ['dest', 'to'] },
  to_port: { type: 'str', aliases: ['port'] },
  proto: { type: 'str', choices: ['any', 'tcp', 'udp', 'ipv6', 'esp', 'ah', 'gre', 'igmp', 'vrrp'], aliases: ['protocol'] },
  name: { type: 'str', aliases: ['app'] },
  comment: { type: 'str' },
  delete: { type: 'bool', default: false },
  route: { type: 'bool', default: false },
};

/** Where ufw keeps its rules files, in the order Ansible's module looks (the first that exists is read). */
const RULE_DIRS = ['/etc/ufw', '/lib/ufw', '/var/lib/ufw'];

/** What the probe found. */
export interface UfwState {
  missing: string[];
  active: boolean;
  /** default policy per direction: incoming, outgoing, routed -> allow, deny, reject */
  policies: Record<string, string>;
  logLevel: string;
  tuples: Tuples;
  /** what `ufw --dry-run RULE` would do (when a rule is given) */
  dry?: DryRun;
  /** `ufw status numbered` (when insert is relative to a family) */
  numbered?: string;
}

const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));

function validate(a: Args): string | undefined {
  if (!['state', 'default', 'rule', 'logging'].some((k) => str(a[k]) !== undefined)) {
    return 'one of the following is required: state, default, rule, logging';
  }
  const given = ['name', 'proto', 'logging'].filter((k) => str(a[k]) !== undefined);
  if (given.length > 1) return `parameters are mutually exclusive: ${given.join('|')}`;
  const dir = str(a.direction);
  if (str(a.default) !== undefined && dir !== undefined && !['incoming', 'outgoing', 'routed'].includes(dir)) {
    return 'For default, direction must be one of "outgoing", "incoming" and "routed", or direction must not be specified.';
  }
  if (str(a.rule) !== undefined && dir !== undefined && !['in', 'out'].includes(dir)) {
    return 'For rules, direction must be one of "in" and "out", or direction must not be specified.';
  }
  return undefined;
}

/**
 * The rule's words after `ufw`, in the long form Ansible writes:
 * [route] [delete] [insert N] ACTION [in|out] [on IF] [log] from ADDR [port P] to ADDR [port P] [proto P] [app NAME] [comment C].
 */
export function ruleCommand(a: Args, insertAt?: number): Word[] {
  const opt = (v: unknown, ...before: string[]): Word[] => (str(v) === undefined ? [] : [...before, String(v)]);
  return [
    a.route === true && 'route',
    a.delete === true && 'delete',
    insertAt !== undefined && ['insert', String(insertAt)],
    String(a.rule),
    opt(a.direction),
    opt(a.interface, 'on'),
    opt(a.interface_in, 'in', 'on'),
    opt(a.interface_out, 'out', 'on'),
    a.log === true && 'log',
    opt(a.from_ip, 'from'),
    opt(a.from_port, 'port'),
    opt(a.to_ip, 'to'),
    opt(a.to_port, 'port'),
    opt(a.proto, 'proto'),
    opt(a.name, 'app'),
    opt(a.comment, 'comment'),
  ];
}

const ufw = (...w: Word[]): Script => withSbin(cmd('ufw', ...w));
const relativeInsert = (a: Args) => a.insert !== undefined && a.insert !== null && a.delete !== true && a.insert_relative_to !== 'zero';

/** Prints the tuple lines of the first rules file named `file` found in RULE_DIRS. */
function tuplesOf(file: string): Script {
  return sh`for d in ${RULE_DIRS}; do if [ -f "$d"/${file} ]; then grep -h '^### tuple' "$d"/${file}; break; fi; done; :`;
}

/** The probe: the tool, status, defaults, log level, the rules files, and the rule's dry run. */
export function probeUfw(a: Args): Script {
  const parts = [
    section('tools', missingTools(['ufw'])),
    section('status', sh`ufw status verbose 2>&1`),
    section('defaults', sh`cat /etc/default/ufw 2>/dev/null; :`),
    section('conf', sh`cat /etc/ufw/ufw.conf 2>/dev/null; :`),
    section('rules4', tuplesOf('user.rules')),
    section('rules6', tuplesOf('user6.rules')),
  ];
  if (str(a.rule) !== undefined) parts.push(section('dryrun', sh`ufw --dry-run ${ruleCommand(a)} 2>&1`));
  if (relativeInsert(a)) parts.push(section('numbered', sh`ufw status numbered 2>&1`));
  return withSbin(sh`LC_ALL=C; export LC_ALL`, ...parts);
}

/** Pure: probe output -> state. */
export function parseUfw(stdout: string): UfwState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const text = (n: string) => s.get(n)?.text ?? '';
  const dry = s.get('dryrun');
  return {
    missing: words(s.get('tools')),
    active: isActive(text('status')),
    policies: defaultPolicies(text('defaults')),
    logLevel: logLevel(text('conf')),
    tuples: { v4: tupleLines(text('rules4')), v6: tupleLines(text('rules6')) },
    dry: dry ? parseDryRun(dry.text, dry.rc) : undefined,
    numbered: s.has('numbered') ? text('numbered') : undefined,
  };
}

const isIpv6 = (v: unknown) => str(v) !== undefined && String(v).includes(':');

/** Pure: what to do, in Ansible's order: state, default, rule, logging. */
export function planUfw(a: Args, s: UfwState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  if (s.missing.length) return { kind: 'fail', msg: 'ufw not found on the host (Debian: the "ufw" package)' };
  const steps: Script[] = [];
  const done: string[] = [];
  const kept: string[] = [];
  const state = str(a.state);
  if (state === 'enabled' || state === 'disabled') {
    const want = state === 'enabled';
    if (s.active === want) kept.push(`ufw is already ${want ? 'active' : 'inactive'}`);
    else {
      steps.push(ufw('--force', want ? 'enable' : 'disable'));
      done.push(want ? 'enabled ufw' : 'disabled ufw');
    }
  } else if (state !== undefined) {
    steps.push(ufw('--force', state === 'reloaded' ? 'reload' : 'reset'));
    done.push(state === 'reloaded' ? 'reloaded ufw' : 'reset ufw');
  }
  const policy = str(a.default);
  if (policy !== undefined) {
    const dir = str(a.direction) ?? 'incoming';
    if (s.policies[dir] === policy) kept.push(`the default ${dir} policy is already ${policy}`);
    else {
      steps.push(ufw('default', policy, dir));
      done.push(`default ${dir} policy ${s.policies[dir] ?? 'unknown'} -> ${policy}`);
    }
  }
  if (str(a.rule) !== undefined) {
    const dry = s.dry ?? { blocks: [], skipped: true };
    if (dry.error) return { kind: 'fail', msg: `ufw refused the rule: ${dry.error}` };
    const ipv6Only = isIpv6(a.from_ip) || isIpv6(a.to_ip);
    if (!ruleChanges(dry, s.tuples, ipv6Only)) kept.push(a.delete === true ? 'the rule is absent' : 'the rule is present');
    else {
      let at: number | undefined;
      if (a.insert !== undefined && a.insert !== null && a.delete !== true) {
        at = insertPosition(Number(a.insert), String(a.insert_relative_to ?? 'zero'), numberedRules(s.numbered ?? ''));
      }
      steps.push(ufw(ruleCommand(a, at)));
      done.push(a.delete === true ? 'deleted the rule' : 'added the rule');
    }
  }
  const level = str(a.logging);
  if (level !== undefined) {
    const same = level === 'on' ? s.logLevel !== 'off' : level === s.logLevel;
    if (same) kept.push(`logging is already ${s.logLevel}`);
    else {
      steps.push(ufw('logging', level));
      done.push(`logging ${s.logLevel} -> ${level}`);
    }
  }
  const data: Vars = { commands: steps.map((x) => x.shown.split('\n').slice(-1)[0]) };
  if (steps.length === 0) return { kind: 'noop', reason: kept.join('; '), data };
  return { kind: 'change', steps: steps.map((exec) => ({ exec })), msg: done.join('; '), data };
}

const ufwPlanned: PlannedModule<UfwState> = {
  name: 'ufw',
  args,
  checkMode: true,
  validate,
  probe: probeUfw,
  parse: (out) => parseUfw(out.stdout),
  plan: planUfw,
};

/** The `ufw` module. */
export const ufwModule = planned(ufwPlanned);
