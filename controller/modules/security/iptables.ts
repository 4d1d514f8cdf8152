/**
 * `iptables`: one rule present in (or absent from) a chain, a chain's policy, a flush, or a user chain created
 * or deleted. Idempotence comes from iptables itself: `-C` says whether the rule is there.
 */
import { sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import { cmd, missingTools, section, sectionsOf, withSbin, words, type Word } from '../system/probe.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step, Vars } from '../types.js';
import { hasRule, ruleWords } from './iptables-rule.js';

const args: ArgSpecs = {
  table: { type: 'str', choices: ['filter', 'nat', 'mangle', 'raw', 'security'], default: 'filter' },
  chain: { type: 'str' },
  action: { type: 'str', choices: ['append', 'insert'], default: 'append' },
  rule_num: { type: 'str' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  policy: { type: 'str', choices: ['ACCEPT', 'DROP', 'QUEUE', 'RETURN'] },
  flush: { type: 'bool', default: false },
  chain_management: { type: 'bool', default: false },
  ip_version: { type: 'str', choices: ['ipv4', 'ipv6'], default: 'ipv4' },
  wait: { type: 'str' },
  numeric: { type: 'bool', default: false, ignored: 'it only changes how iptables lists rules, and this module lists none' },
  protocol: { type: 'str' },
  source: { type: 'str' },
  destination: { type: 'str' },
  match: { type: 'list', elements: 'str', default: [] },
  tcp_flags: { type: 'dict' },
  jump: { type: 'str' },
  gateway: { type: 'str' },
  log_prefix: { type: 'str' },
  log_level: { type: 'str', choices: ['0', '1', '2', '3', '4', '5', '6', '7', 'emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'] },
  to_destination: { type: 'str' },
  destination_ports: { type: 'list', elements: 'str', default: [] },
  to_source: { type: 'str' },
  goto: { type: 'str' },
  in_interface: { type: 'str' },
  out_interface: { type: 'str' },
  fragment: { type: 'str' },
  set_counters: { type: 'str' },
  source_port: { type: 'str' },
  destination_port: { type: 'str' },
  to_ports: { type: 'str' },
  set_dscp_mark: { type: 'str' },
  set_dscp_mark_class: { type: 'str' },
  syn: { type: 'str', choices: ['ignore', 'match', 'negate'], default: 'ignore' },
  ctstate: { type: 'list', elements: 'str', default: [] },
  src_range: { type: 'str' },
  dst_range: { type: 'str' },
  match_set: { type: 'str' },
  match_set_flags: { type: 'str', choices: ['src', 'dst', 'src,dst', 'dst,src'] },
  limit: { type: 'str' },
  limit_burst: { type: 'str' },
  uid_owner: { type: 'str' },
  gid_owner: { type: 'str' },
  reject_with: { type: 'str' },
  icmp_type: { type: 'str' },
  comment: { type: 'str' },
};

/** What the probe found. */
export interface IptablesState {
  missing: string[];
  /** `-S` of the chain (or of the whole table without a chain); rc != 0 when the chain does not exist */
  listing: { text: string; rc: number };
  /** `-C` of the rule: 0 present, 1 absent, 2 a bad rule (text says why); undefined when not asked */
  check?: { text: string; rc: number };
}

const bin = (a: Args) => (a.ip_version === 'ipv6' ? 'ip6tables' : 'iptables');
const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));

/** `iptables [-w N] -t TABLE ...rest`. */
function ipt(a: Args, ...rest: Word[]): Script {
  const wait = str(a.wait);
  return cmd(bin(a), wait !== undefined && ['-w', wait], '-t', String(a.table), ...rest);
}

function validate(a: Args): string | undefined {
  if (a.flush !== true && str(a.chain) === undefined) return 'chain is required unless flush is true';
  if (a.policy !== undefined && a.policy !== null && a.flush === true) return 'policy and flush are mutually exclusive';
  if ((str(a.match_set) === undefined) !== (str(a.match_set_flags) === undefined)) return 'parameters are required together: match_set, match_set_flags';
  if (a.rule_num !== undefined && a.rule_num !== null && !/^\d+$/.test(String(a.rule_num))) return 'rule_num must be a positive number';
  return undefined;
}

/** The probe: the tool, the chain's rules (`-S`), and `-C` of the rule when there is one. */
export function probeIptables(a: Args): Script {
  const chain = str(a.chain);
  const parts = [section('tools', missingTools([bin(a)])), section('listing', sh`${ipt(a, '-S', chain)} 2>&1`)];
  const ruled = chain !== undefined && a.flush !== true && (a.policy === undefined || a.policy === null) && hasRule(a);
  if (ruled) parts.push(section('check', sh`${ipt(a, '-C', chain, ruleWords(a))} 2>&1`));
  return withSbin(...parts);
}

/** Pure: probe output -> state. */
export function parseIptables(stdout: string): IptablesState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const listing = s.get('listing') ?? { text: '', rc: 1 };
  const check = s.get('check');
  return { missing: words(s.get('tools')), listing, check };
}

const ruleLines = (text: string) => text.split('\n').filter((l) => l.startsWith('-A '));

/** Pure: what to do. */
export function planIptables(a: Args, s: IptablesState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  const table = String(a.table);
  const chain = str(a.chain);
  const words = ruleWords(a);
  const state = a.state === 'absent' ? 'absent' : 'present';
  const data: Vars = { chain: chain ?? null, flush: a.flush === true, ip_version: a.ip_version, rule: words.join(' '), state, table };
  const where = chain === undefined ? `table ${table}` : `chain ${chain} of table ${table}`;
  if (s.missing.length) return { kind: 'fail', msg: `${s.missing[0]} not found on the host (Debian: the "iptables" package)`, data };
  const exists = s.listing.rc === 0;
  const change = (steps: Script[], msg: string): Plan => ({ kind: 'change', steps: steps.map((e): Step => ({ exec: withSbin(e) })), msg, data });

  if (a.flush === true) {
    if (!exists) return { kind: 'fail', msg: `cannot flush ${where}: ${s.listing.text.trim()}`, data };
    if (ruleLines(s.listing.text).length === 0) return { kind: 'noop', reason: `${where} has no rules`, data };
    return change([ipt(a, '-F', chain)], `flushed ${where}`);
  }
  const name = chain as string;
  if (a.policy !== undefined && a.policy !== null) {
    if (!exists) return { kind: 'fail', msg: `chain ${name} does not exist in table ${table}`, data };
    const m = new RegExp(`^-P ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (\\S+)$`, 'm').exec(s.listing.text);
    if (!m) return { kind: 'fail', msg: `chain ${name} is a user chain: only built-in chains have a policy`, data };
    if (m[1] === a.policy) return { kind: 'noop', reason: `the policy of ${where} is already ${m[1]}`, data };
    return change([ipt(a, '-P', name, String(a.policy))], `policy of ${where}: ${m[1]} -> ${String(a.policy)}`);
  }
  const rule = hasRule(a);
  if (state === 'absent') {
    if (!rule) {
      if (a.chain_management !== true) return { kind: 'noop', reason: `no rule given: nothing to remove from ${where}`, data };
      if (!exists) return { kind: 'noop', reason: `chain ${name} does not exist in table ${table}`, data };
      return change([ipt(a, '-X', name)], `deleted chain ${name}`);
    }
    if (!exists) return { kind: 'noop', reason: `chain ${name} does not exist in table ${table}`, data };
    const bad = badRule(s);
    if (bad) return { kind: 'fail', msg: bad, data };
    if (s.check?.rc !== 0) return { kind: 'noop', reason: `rule absent from ${where}`, data };
    return change([ipt(a, '-D', name, words)], `removed the rule from ${where}`);
  }
  const steps: Script[] = [];
  if (!exists) {
    if (a.chain_management !== true) {
      return { kind: 'fail', msg: `chain ${name} does not exist in table ${table}: create it first, or set chain_management: true`, data };
    }
    steps.push(ipt(a, '-N', name));
  } else if (!rule) return { kind: 'noop', reason: `chain ${name} exists in table ${table}`, data };
  if (rule) {
    if (exists) {
      const bad = badRule(s);
      if (bad) return { kind: 'fail', msg: bad, data };
      if (s.check?.rc === 0) return { kind: 'noop', reason: `rule present in ${where}`, data };
    }
    const num = str(a.rule_num);
    steps.push(a.action === 'insert' ? ipt(a, '-I', name, num, words) : ipt(a, '-A', name, words));
  }
  return change(steps, rule ? `added the rule to ${where}` : `created chain ${name}`);
}

/** `-C` exits 1 for "no such rule" and 2 for a rule iptables cannot parse: the second fails the task. */
function badRule(s: IptablesState): string | undefined {
  if (!s.check || s.check.rc <= 1) return undefined;
  return s.check.text.trim().split('\n')[0] || `iptables -C failed with exit code ${s.check.rc}`;
}

const iptablesPlanned: PlannedModule<IptablesState> = {
  name: 'iptables',
  args,
  checkMode: true,
  validate,
  probe: probeIptables,
  parse: (out) => parseIptables(out.stdout),
  plan: planIptables,
};

/** The `iptables` module. */
export const iptables = planned(iptablesPlanned);
