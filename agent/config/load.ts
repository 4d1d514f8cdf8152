/** `muster agent` settings from its YAML file, the environment and flags (flags win, then env, then the file). */
import { parseArgs } from 'node:util';
import { isIP } from 'node:net';
import { MusterError } from '../../shared/errors.js';
import { loadYamlFile, posOf } from '../../shared/yaml.js';
import { DEFAULTS, FIELDS, parseValue, unknownKey, type AgentSettings } from './settings.js';

/** Usage line of the agent command. */
export const agentUsage =
  'muster agent [--config FILE] [--listen ADDR] [--port N] [--state-dir DIR] [--token-file FILE] [--tls-cert FILE] [--tls-key FILE] [--docker-socket PATH] [--report-interval S] [--reconcile-parallelism N] [--label K=V]... [--insecure-http] [--cgroup-root DIR (tests only)]';

/** The command line, parsed. */
export interface AgentArgs {
  config?: string;
  help: boolean;
  version: boolean;
  values: Partial<AgentSettings>;
}

type Settings = Partial<Record<keyof AgentSettings, unknown>>;

/** argv (after `agent`) -> the config file, help/version, and the settings given as flags. */
export function parseAgentArgs(argv: string[]): AgentArgs {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
  };
  for (const f of FIELDS) options[f.flag] = f.kind === 'bool' ? { type: 'boolean' } : { type: 'string', multiple: f.kind === 'labels' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (e) {
    throw new MusterError('E_OPTION', (e as Error).message.replace(/\. To specify a positional argument.*$/s, ''), { hint: `usage: ${agentUsage}` });
  }
  const v = parsed.values as Record<string, unknown>;
  const values: Settings = {};
  for (const f of FIELDS) {
    if (v[f.flag] !== undefined) values[f.key] = parseValue(f, v[f.flag], { kind: 'flag', flag: f.flag });
  }
  return { config: v.config as string | undefined, help: v.help === true, version: v.version === true, values: values as Partial<AgentSettings> };
}

/** The parsed YAML of a config file -> its settings; errors name file:line:col. */
export function settingsFromYaml(doc: unknown, file: string): Partial<AgentSettings> {
  if (doc === null) return {}; // an empty file says nothing
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new MusterError('E_SCHEMA', 'the agent config must be a mapping of settings', {
      pos: posOf(doc) ?? { file, line: 1, col: 1 },
      hint: 'e.g. port: 7443',
    });
  }
  const out: Settings = {};
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const f = FIELDS.find((x) => x.yaml === key);
    if (!f) throw unknownKey(key, posOf(doc, key, 'key'));
    out[f.key] = parseValue(f, value, { kind: 'yaml', pos: posOf(doc, key, 'value') });
  }
  return out as Partial<AgentSettings>;
}

/** MUSTER_AGENT_* variables -> settings (empty variables are ignored). */
export function settingsFromEnv(env: Record<string, string | undefined>): Partial<AgentSettings> {
  const out: Settings = {};
  for (const f of FIELDS) {
    const raw = env[f.env];
    if (raw !== undefined && raw !== '') out[f.key] = parseValue(f, raw, { kind: 'env', name: f.env });
  }
  return out as Partial<AgentSettings>;
}

/** Layers from weakest to strongest -> complete settings; labels merge key by key. */
export function mergeSettings(...layers: Partial<AgentSettings>[]): AgentSettings {
  const out: AgentSettings = { ...DEFAULTS, labels: { ...DEFAULTS.labels } };
  for (const layer of layers) {
    const { labels, ...rest } = layer;
    Object.assign(out, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    if (labels) out.labels = { ...out.labels, ...labels };
  }
  return out;
}

/** Combinations no single value shows: plain HTTP is refused off loopback (the token would cross the network in clear). */
export function checkSettings(s: AgentSettings): AgentSettings {
  if (s.insecureHttp && !isLoopback(s.listen)) {
    throw new MusterError('E_OPTION', `insecure_http is only allowed on a loopback address, not ${s.listen}`, {
      hint: 'listen on 127.0.0.1, or give tls_cert and tls_key and drop insecure_http',
    });
  }
  if (isIP(s.listen) === 0 && s.listen !== 'localhost') {
    throw new MusterError('E_OPTION', `listen wants an IP address, got "${s.listen}"`, { hint: 'e.g. 0.0.0.0, 127.0.0.1 or ::' });
  }
  return s;
}

function isLoopback(addr: string): boolean {
  return addr === 'localhost' || addr === '::1' || /^127\./.test(addr);
}

/** The agent's settings from argv and env, reading the config file they name (`--config` or MUSTER_AGENT_CONFIG). */
export function loadSettings(
  argv: string[],
  env: Record<string, string | undefined>,
  readYaml: (path: string) => unknown = loadYamlFile,
): AgentArgs & { settings: AgentSettings } {
  const args = parseAgentArgs(argv);
  const file = args.config ?? (env.MUSTER_AGENT_CONFIG || undefined);
  const fromFile = file === undefined ? {} : settingsFromYaml(readYaml(file), file);
  const settings = checkSettings(mergeSettings(fromFile, settingsFromEnv(env), args.values));
  return { ...args, config: file, settings };
}
