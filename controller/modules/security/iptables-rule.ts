/**
 * An iptables rule from the module's arguments, word by word, in the order Ansible's iptables module builds
 * it (so `iptables -C` finds the rules that module wrote). A value starting with `!` is negated: `! -s 10.0.0.1`.
 */
import type { Args } from '../types.js';

/** The arguments that make up a rule (any of them given means "a rule" for chain_management). */
export const RULE_ARGS = [
  'protocol',
  'source',
  'destination',
  'match',
  'tcp_flags',
  'jump',
  'gateway',
  'log_prefix',
  'log_level',
  'to_destination',
  'destination_ports',
  'to_source',
  'goto',
  'in_interface',
  'out_interface',
  'fragment',
  'set_counters',
  'source_port',
  'destination_port',
  'to_ports',
  'set_dscp_mark',
  'set_dscp_mark_class',
  'syn',
  'ctstate',
  'src_range',
  'dst_range',
  'match_set',
  'limit',
  'limit_burst',
  'uid_owner',
  'gid_owner',
  'reject_with',
  'icmp_type',
  'comment',
] as const;

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
const list = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map(String).filter(Boolean)
    : str(v)
      ? String(v)
          .split(',')
          .map((x) => x.trim())
      : [];

/** `flag value`, or `! flag value` for a negated value. */
function param(out: string[], value: unknown, flag: string): void {
  const v = str(value);
  if (v === undefined) return;
  if (v.startsWith('!')) out.push('!', flag, v.slice(1).trim());
  else out.push(flag, v);
}

function match(out: string[], when: boolean, name: string, matches: string[]): void {
  if (when && !matches.includes(name)) out.push('-m', name);
}

/** Whether any rule argument is given. */
export function hasRule(a: Args): boolean {
  return RULE_ARGS.some((k) => {
    const v = a[k];
    if (Array.isArray(v)) return v.length > 0;
    if (k === 'syn') return v !== undefined && v !== 'ignore';
    if (k === 'tcp_flags') return v !== undefined && v !== null && Object.keys(v as object).length > 0;
    return str(v) !== undefined;
  });
}

/** The rule's words (without table, chain or action). Throws an Error naming a bad argument. */
export function ruleWords(a: Args): string[] {
  const out: string[] = [];
  const matches = list(a.match);
  param(out, a.protocol, '-p');
  param(out, a.source, '-s');
  param(out, a.destination, '-d');
  for (const m of matches) param(out, m, '-m');
  const flags = a.tcp_flags as { flags?: unknown; flags_set?: unknown } | undefined;
  if (flags && (flags.flags !== undefined || flags.flags_set !== undefined)) {
    out.push('--tcp-flags', list(flags.flags).join(','), list(flags.flags_set).join(','));
  }
  param(out, a.jump, '-j');
  if (str(a.jump)?.toLowerCase() === 'tee') param(out, a.gateway, '--gateway');
  param(out, a.log_prefix, '--log-prefix');
  param(out, a.log_level, '--log-level');
  param(out, a.to_destination, '--to-destination');
  const dports = list(a.destination_ports);
  match(out, dports.length > 0, 'multiport', matches);
  if (dports.length) out.push('--dports', dports.join(','));
  param(out, a.to_source, '--to-source');
  param(out, a.goto, '-g');
  param(out, a.in_interface, '-i');
  param(out, a.out_interface, '-o');
  param(out, a.fragment, '-f');
  param(out, a.set_counters, '-c');
  param(out, a.source_port, '--source-port');
  param(out, a.destination_port, '--destination-port');
  param(out, a.to_ports, '--to-ports');
  param(out, a.set_dscp_mark, '--set-dscp');
  param(out, a.set_dscp_mark_class, '--set-dscp-class');
  if (a.syn === 'match') out.push('--syn');
  else if (a.syn === 'negate') out.push('!', '--syn');
  const ctstate = list(a.ctstate);
  if (ctstate.length) {
    if (matches.includes('conntrack')) out.push('--ctstate', ctstate.join(','));
    else if (matches.includes('state')) out.push('--state', ctstate.join(','));
    else out.push('-m', 'conntrack', '--ctstate', ctstate.join(','));
  }
  match(out, str(a.src_range) !== undefined || str(a.dst_range) !== undefined, 'iprange', matches);
  param(out, a.src_range, '--src-range');
  param(out, a.dst_range, '--dst-range');
  if (str(a.match_set) !== undefined) {
    match(out, true, 'set', matches);
    param(out, a.match_set, '--match-set');
    out.push(String(a.match_set_flags));
  }
  match(out, str(a.limit) !== undefined || str(a.limit_burst) !== undefined, 'limit', matches);
  param(out, a.limit, '--limit');
  param(out, a.limit_burst, '--limit-burst');
  match(out, str(a.uid_owner) !== undefined || str(a.gid_owner) !== undefined, 'owner', matches);
  param(out, a.uid_owner, '--uid-owner');
  param(out, a.gid_owner, '--gid-owner');
  if (str(a.jump) === undefined && str(a.reject_with) !== undefined) out.push('-j', 'REJECT');
  param(out, a.reject_with, '--reject-with');
  param(out, a.icmp_type, a.ip_version === 'ipv6' ? '--icmpv6-type' : '--icmp-type');
  match(out, str(a.comment) !== undefined, 'comment', matches);
  param(out, a.comment, '--comment');
  return out;
}
