/**
 * The agent's settings: one table says each setting's YAML key, flag, environment variable and type, so the
 * three sources cannot drift apart. Pure: values in, typed values or MusterErrors out.
 */
import { BOOL_WORDS, parseBool } from '../../shared/boolean.js';
import { MusterError, didYouMean, type Pos } from '../../shared/errors.js';
import { posOf } from '../../shared/yaml.js';

/** Every setting, resolved. */
export interface AgentSettings {
  listen: string;
  port: number;
  stateDir: string;
  tokenFile: string;
  tlsCert: string;
  tlsKey: string;
  /** serve plain HTTP (only allowed on a loopback address; for development) */
  insecureHttp: boolean;
  dockerSocket: string;
  reportIntervalS: number;
  /** how many containers the reconciler acts on at once */
  reconcileParallelism: number;
  labels: Record<string, string>;
  /** value of the io.muster.managed label: the containers this agent owns */
  scope: string;
  /** TEST ONLY: a recorded tree (proc/self/mountinfo, proc/cgroups, sys/fs/cgroup/...) read instead of the real cgroup layout */
  cgroupRoot?: string;
}

type Kind = 'string' | 'port' | 'seconds' | 'count' | 'bool' | 'labels';

interface Field {
  key: keyof AgentSettings;
  yaml: string;
  flag: string;
  env: string;
  kind: Kind;
  help: string;
  /** an example value for error hints (default: the default value) */
  example?: string;
}

/** The settings table: YAML key, flag and environment variable of each setting. */
export const FIELDS: readonly Field[] = [
  { key: 'listen', yaml: 'listen', flag: 'listen', env: 'MUSTER_AGENT_LISTEN', kind: 'string', help: 'address to listen on' },
  { key: 'port', yaml: 'port', flag: 'port', env: 'MUSTER_AGENT_PORT', kind: 'port', help: 'TCP port' },
  { key: 'stateDir', yaml: 'state_dir', flag: 'state-dir', env: 'MUSTER_AGENT_STATE_DIR', kind: 'string', help: 'where the desired set is kept' },
  { key: 'tokenFile', yaml: 'token_file', flag: 'token-file', env: 'MUSTER_AGENT_TOKEN_FILE', kind: 'string', help: 'file holding the API bearer token' },
  { key: 'tlsCert', yaml: 'tls_cert', flag: 'tls-cert', env: 'MUSTER_AGENT_TLS_CERT', kind: 'string', help: 'TLS certificate (PEM)' },
  { key: 'tlsKey', yaml: 'tls_key', flag: 'tls-key', env: 'MUSTER_AGENT_TLS_KEY', kind: 'string', help: 'TLS private key (PEM)' },
  { key: 'insecureHttp', yaml: 'insecure_http', flag: 'insecure-http', env: 'MUSTER_AGENT_INSECURE_HTTP', kind: 'bool', help: 'plain HTTP on loopback only' },
  { key: 'dockerSocket', yaml: 'docker_socket', flag: 'docker-socket', env: 'MUSTER_AGENT_DOCKER_SOCKET', kind: 'string', help: 'Docker API socket' },
  {
    key: 'reportIntervalS',
    yaml: 'report_interval',
    flag: 'report-interval',
    env: 'MUSTER_AGENT_REPORT_INTERVAL',
    kind: 'seconds',
    help: 'seconds between reports (and reconciler ticks)',
  },
  {
    key: 'reconcileParallelism',
    yaml: 'reconcile_parallelism',
    flag: 'reconcile-parallelism',
    env: 'MUSTER_AGENT_RECONCILE_PARALLELISM',
    kind: 'count',
    help: 'containers acted on at once (created, started, removed side by side)',
  },
  { key: 'labels', yaml: 'labels', flag: 'label', env: 'MUSTER_AGENT_LABELS', kind: 'labels', help: 'node labels, key=value' },
  {
    key: 'scope',
    yaml: 'scope',
    flag: 'scope',
    env: 'MUSTER_AGENT_SCOPE',
    kind: 'string',
    help: 'value of the io.muster.managed label of the containers it owns',
  },
  {
    key: 'cgroupRoot',
    yaml: 'cgroup_root',
    flag: 'cgroup-root',
    env: 'MUSTER_AGENT_CGROUP_ROOT',
    kind: 'string',
    help: 'FOR TESTS ONLY: read the cgroup layout (proc/self/mountinfo, proc/cgroups, sys/fs/cgroup) from this recorded tree instead of /proc and /sys',
    example: 'test/fixtures/agent/hosts/pi5-v2-nomemory',
  },
];

/** What a node gets when nothing is said. */
export const DEFAULTS: AgentSettings = {
  listen: '0.0.0.0',
  port: 7443,
  stateDir: '/var/lib/muster-agent',
  tokenFile: '/etc/muster-agent/token',
  tlsCert: '/etc/muster-agent/tls.crt',
  tlsKey: '/etc/muster-agent/tls.key',
  insecureHttp: false,
  dockerSocket: '/var/run/docker.sock',
  reportIntervalS: 10,
  // 20 replicas in 3 rounds (1.14x the floor of 20 parallel `docker run -d` here, 1.55x with 4); each start in
  // flight costs a Pi a short-lived runc of a few MiB. docs/agent.md#converging has the figures.
  reconcileParallelism: 8,
  labels: {},
  scope: 'default',
};

/** Where a value came from, for error messages. */
export type Origin = { kind: 'yaml'; pos?: Pos } | { kind: 'flag'; flag: string } | { kind: 'env'; name: string };

/** The largest count setting (reconcile_parallelism): more at once only queues inside dockerd. */
const MAX_COUNT = 64;

const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/;

function describe(origin: Origin): { where: string; pos?: Pos; code: 'E_SCHEMA' | 'E_OPTION' } {
  if (origin.kind === 'yaml') return { where: 'this setting', pos: origin.pos, code: 'E_SCHEMA' };
  if (origin.kind === 'flag') return { where: `--${origin.flag}`, code: 'E_OPTION' };
  return { where: `$${origin.name}`, code: 'E_OPTION' };
}

function bad(origin: Origin, field: Field, what: string, hint: string): MusterError {
  const d = describe(origin);
  const name = origin.kind === 'yaml' ? field.yaml : d.where;
  return new MusterError(d.code, `${name} ${what}`, { pos: d.pos, hint });
}

/** One raw value (YAML value, flag or env string) -> the typed setting, or a MusterError naming where it came from. */
export function parseValue(field: Field, raw: unknown, origin: Origin): AgentSettings[keyof AgentSettings] {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (field.kind) {
    case 'string':
      if (typeof text !== 'string' || text === '')
        throw bad(origin, field, 'wants a non-empty string', `${field.help}, e.g. ${field.example ?? String(DEFAULTS[field.key])}`);
      return text;
    case 'port': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : NaN;
      // 0 asks the kernel for a free port (tests); the log line says which one it got.
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw bad(origin, field, `wants a port between 1 and 65535, got ${JSON.stringify(raw)}`, 'e.g. 7443');
      return n;
    }
    case 'seconds': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
      if (!Number.isFinite(n) || n < 1 || n > 3600) throw bad(origin, field, `wants seconds between 1 and 3600, got ${JSON.stringify(raw)}`, 'e.g. 10');
      return n;
    }
    case 'count': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT)
        throw bad(origin, field, `wants a whole number between 1 and ${MAX_COUNT}, got ${JSON.stringify(raw)}`, 'e.g. 4');
      return n;
    }
    case 'bool': {
      const b = parseBool(text);
      if (b !== undefined) return b;
      throw bad(origin, field, `wants true or false (${BOOL_WORDS}), got ${JSON.stringify(raw)}`, 'e.g. false');
    }
    case 'labels':
      return parseLabels(field, raw, origin);
  }
}

// YAML gives a mapping; flags and env give `k=v` strings (several flags, or commas in the env variable).
function parseLabels(field: Field, raw: unknown, origin: Origin): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: unknown, at: Origin = origin): void => {
    if (!LABEL_KEY.test(k)) throw bad(at, field, `has a bad label name "${k}"`, 'label names are letters, digits and . _ - /');
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw bad(at, field, `wants a string value for label "${k}"`, 'e.g. zone: shelf-1');
    }
    out[k] = String(v);
  };
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    // In YAML each label has its own position: point at the one that is wrong.
    const at = (k: string, of: 'key' | 'value'): Origin => (origin.kind === 'yaml' ? { kind: 'yaml', pos: posOf(raw, k, of) ?? origin.pos } : origin);
    for (const [k, v] of Object.entries(raw)) put(k, v, at(k, LABEL_KEY.test(k) ? 'value' : 'key'));
    return out;
  }
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((s) => (typeof s === 'string' ? s.split(',') : [s]));
  for (const item of items) {
    if (typeof item !== 'string') throw bad(origin, field, 'wants key=value labels', 'e.g. zone=shelf-1');
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw bad(origin, field, `wants key=value, got "${item}"`, 'e.g. zone=shelf-1');
    put(item.slice(0, eq).trim(), item.slice(eq + 1).trim());
  }
  return out;
}

/** A YAML key that is not a setting -> E_SCHEMA with a did-you-mean. */
export function unknownKey(key: string, pos: Pos | undefined): MusterError {
  return new MusterError(
    'E_SCHEMA',
    `unknown setting "${key}"${didYouMean(
      key,
      FIELDS.map((f) => f.yaml),
    )}`,
    {
      pos,
      hint: `settings: ${FIELDS.map((f) => f.yaml).join(', ')}`,
    },
  );
}
