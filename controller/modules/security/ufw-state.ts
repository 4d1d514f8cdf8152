/**
 * What ufw says about itself, as data: whether it is active (`ufw status verbose`), its default policies and
 * log level (/etc/default/ufw, /etc/ufw/ufw.conf: read even while ufw is inactive), the rule tuples of its
 * rules files, and what a `ufw --dry-run RULE` would leave in them.
 */

/** The rule tuples (`### tuple ### ...` lines) of user.rules and user6.rules. */
export interface Tuples {
  v4: string[];
  v6: string[];
}

const tuples = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('### tuple ###'));

/** The tuple lines of a rules file's text. */
export function tupleLines(text: string): string[] {
  return tuples(text);
}

/** Whether `ufw status` says active. */
export function isActive(status: string): boolean {
  return /^Status: active/m.test(status);
}

const POLICY: Record<string, string> = { ACCEPT: 'allow', DROP: 'deny', REJECT: 'reject' };
const KEYS: Record<string, string> = { DEFAULT_INPUT_POLICY: 'incoming', DEFAULT_OUTPUT_POLICY: 'outgoing', DEFAULT_FORWARD_POLICY: 'routed' };

/** The default policy per direction (incoming, outgoing, routed) as ufw names them (allow, deny, reject). */
export function defaultPolicies(defaultsFile: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of defaultsFile.split('\n')) {
    const m = /^\s*([A-Z_]+)\s*=\s*"?([A-Za-z]+)"?\s*$/.exec(line);
    if (m && KEYS[m[1]]) out[KEYS[m[1]]] = POLICY[m[2].toUpperCase()] ?? m[2].toLowerCase();
  }
  return out;
}

/** ufw.conf's LOGLEVEL (off, low, medium, high, full); ufw's own default is low. */
export function logLevel(conf: string): string {
  const m = /^\s*LOGLEVEL\s*=\s*"?(\w+)"?\s*$/m.exec(conf);
  return m ? m[1].toLowerCase() : 'low';
}

/** What `ufw --dry-run RULE` printed: each rules file it would write (tuples), or nothing when every line is a skip. */
export interface DryRun {
  /** the RULES sections of the files it would write, in order (user.rules first when both) */
  blocks: string[][];
  /** ufw printed only "Skipping ..." lines: the rule is there (or unsupported for the family) */
  skipped: boolean;
  /** ufw refused the rule: its message */
  error?: string;
}

/** Parses a dry run's output (rc: its exit code). */
export function parseDryRun(text: string, rc: number): DryRun {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (rc !== 0)
    return {
      blocks: [],
      skipped: false,
      error:
        lines
          .filter((l) => !l.startsWith('WARN'))
          .join('\n')
          .trim() || `ufw exited ${rc}`,
    };
  const blocks: string[][] = [];
  let cur: string[] | undefined;
  for (const l of lines) {
    if (l.startsWith('### RULES ###')) cur = [];
    else if (l.startsWith('### END RULES ###')) {
      if (cur) blocks.push(cur);
      cur = undefined;
    } else if (cur && l.startsWith('### tuple ###')) cur.push(l.trim());
  }
  const skipped = blocks.length === 0 && lines.length > 0 && lines.every((l) => l.startsWith('Skipping'));
  return { blocks, skipped };
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Whether the rule would change the rules files. A dry run prints the IPv4 file first and the IPv6 one second;
 * a rule for one family only (an IPv6 address, or a rule ufw skips for IPv6) prints just that family's file.
 */
export function ruleChanges(dry: DryRun, now: Tuples, ipv6Only: boolean): boolean {
  if (dry.skipped || dry.blocks.length === 0) return false;
  if (dry.blocks.length === 1) return !same(dry.blocks[0], ipv6Only ? now.v6 : now.v4);
  return !same(dry.blocks[0], now.v4) || !same(dry.blocks[1], now.v6);
}

/** The numbers `ufw status numbered` gives each rule, and whether it is an IPv6 one. */
export function numberedRules(status: string): { no: number; v6: boolean }[] {
  const out: { no: number; v6: boolean }[] = [];
  for (const line of status.split('\n')) {
    const m = /^\[\s*(\d+)\]\s/.exec(line);
    if (m) out.push({ no: Number(m[1]), v6: line.includes('(v6)') });
  }
  return out;
}

/**
 * The position `insert` means relative to `relativeTo`, as Ansible's ufw module computes it; undefined when it
 * lies past the last rule (ufw refuses such a number: the rule is then added at the end).
 */
export function insertPosition(insert: number, relativeTo: string, rules: { no: number; v6: boolean }[]): number | undefined {
  if (relativeTo === 'zero') return insert;
  const last = rules.length ? Math.max(...rules.map((r) => r.no)) : 0;
  const v4 = rules.filter((r) => !r.v6).map((r) => r.no);
  const hasV6 = rules.some((r) => r.v6);
  const lastV4 = v4.length ? Math.max(...v4) : undefined;
  let base: number;
  if (relativeTo === 'first-ipv4') base = 1;
  else if (relativeTo === 'last-ipv4') base = lastV4 ?? 1;
  else if (relativeTo === 'first-ipv6') base = lastV4 === undefined ? 1 : lastV4 + 1;
  else base = hasV6 ? last : last + 1;
  const at = insert + base;
  return at > last ? undefined : at;
}
