/**
 * Whether a spec read back from Docker is the one muster would send: every field muster writes must be
 * there and equal, maps (labels, options) must match exactly, and what the daemon adds on its own (default
 * privileges, isolation, stop grace period...) or leaves out when zero does not count. Pure.
 */

/** Fields the daemon fills in by itself; muster never sets them. */
const DAEMON_FIELDS = new Set(['Privileges', 'Isolation', 'DNSConfig', 'Runtime', 'ForceUpdate', 'Init', 'TTY', 'OpenStdin', 'ReadOnly']);
/** Fields muster leaves out to mean Docker's default, which the daemon may answer written out. */
const DEFAULTS: Record<string, unknown> = { StopGracePeriod: 10_000_000_000 };
/** Objects compared as whole maps: a key the daemon has that muster does not is a difference. */
const MAPS = new Set(['Labels', 'Options']);

/** The first path where `actual` differs from `wanted`, or undefined when they are the same spec. */
export function specDifference(wanted: unknown, actual: unknown, path = ''): string | undefined {
  if (isEmpty(wanted) && isEmpty(actual)) return undefined;
  if (Array.isArray(wanted) || Array.isArray(actual)) {
    if (!Array.isArray(wanted) || !Array.isArray(actual) || wanted.length !== actual.length) return path || '.';
    for (let i = 0; i < wanted.length; i++) {
      const d = specDifference(wanted[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isObject(wanted) && isObject(actual)) {
    const exact = MAPS.has(path.split('.').at(-1) ?? '');
    for (const key of new Set([...Object.keys(wanted), ...Object.keys(actual)])) {
      if (!(key in wanted) && !exact && (DAEMON_FIELDS.has(key) || isEmpty(actual[key]) || actual[key] === DEFAULTS[key])) continue;
      const d = specDifference(key in wanted ? wanted[key] : DEFAULTS[key], actual[key], `${path}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return wanted === actual ? undefined : path || '.';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Zero values the daemon leaves out of what it answers. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === 0 || v === false || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.values(v).every(isEmpty);
}
