/**
 * `muster context set|show|unset`: which manager the CLI talks to when no --manager is given (kept in the
 * state directory as manager-context.json), and `managerRoute`, which the fleet commands call first: with a
 * manager configured (--manager, MUSTER_MANAGER or the context) they go through it, else they talk to the
 * agents as before.
 */
import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { stateDirFor } from '../fleet/state-dir.js';
import { ManagerClient } from '../manager/client.js';
import { caFileOf, managerFor, parseManagerUrl, pickManager, tokenSource } from '../manager/client/connection.js';
import { CONTEXT_FILE, readContextFile, removeContextFile, writeContextFile } from '../manager/client/context-file.js';
import { intOption, type OptionSpec, parse } from './options.js';
import { contextUsage } from './usage.js';

/** What a command parsed when it goes through the manager. */
export interface ManagerRoute {
  client: ManagerClient;
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/**
 * Parses argv with the command's options and --manager; when a manager is configured, the client (each request
 * within `timeoutMs` of the values) and the parse, else undefined (then the command runs as it does without a
 * manager; --help too).
 */
export async function managerRoute(
  argv: string[],
  options: OptionSpec,
  usage: string,
  env: Record<string, string | undefined>,
  timeoutMs: (values: ManagerRoute['values']) => number = () => 10_000,
): Promise<ManagerRoute | undefined> {
  const { values, positionals } = parse(argv, { ...options, manager: { type: 'string' } } as OptionSpec, usage);
  const v = values as ManagerRoute['values'];
  if (v.help) return undefined;
  const conn = await managerFor(v.manager as string | undefined, env);
  if (!conn) return undefined;
  return { client: new ManagerClient(conn, timeoutMs(v)), values: v, positionals };
}

/** The options of scale and rollback (operate-command.ts parses the same ones when there is no manager). */
export const OPERATE_OPTIONS = {
  inventory: { type: 'string', short: 'i' },
  'dry-run': { type: 'boolean' },
  timeout: { type: 'string', short: 'T' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Pure: a --timeout S value in milliseconds (`fallback` seconds when not given). */
export const timeoutOf =
  (fallbackS: number) =>
  (values: ManagerRoute['values']): number =>
    intOption('timeout', values.timeout as string | undefined, fallbackS) * 1000;

/** Refuses the options that the manager does not do (yet), naming how to run without it. */
export function refuseThroughManager(values: ManagerRoute['values'], names: string[], command: string): void {
  for (const n of names)
    if (values[n] !== undefined && values[n] !== false)
      throw new MusterError('E_OPTION', `--${n} is not supported through the manager yet`, {
        hint: `run it without a manager: muster ${command} -i INVENTORY --${n} ... with no --manager, MUSTER_MANAGER unset and no context (muster context show)`,
      });
}

/** Runs `muster context ...`; the exit code. */
export async function contextCommand(argv: string[], out: (s: string) => void, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { values: o, positionals } = parse(
    argv,
    { manager: { type: 'string' }, 'token-file': { type: 'string' }, ca: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    contextUsage,
  );
  if (o.help) return (out(`usage: ${contextUsage}\n`), 0);
  const [sub, ...extra] = positionals;
  if (extra.length) throw new MusterError('E_OPTION', `unexpected argument "${extra[0]}"`, { hint: `usage: ${contextUsage}` });
  const stateDir = stateDirFor(env, homedir());
  const path = join(stateDir, CONTEXT_FILE);
  if (sub === 'set') {
    if (!o.manager) throw new MusterError('E_OPTION', 'context set wants --manager URL', { hint: `usage: ${contextUsage}` });
    const { url } = parseManagerUrl(o.manager, '--manager');
    const files = { tokenFile: o['token-file'], ca: o.ca };
    for (const [k, f] of Object.entries(files)) {
      if (f === undefined) continue;
      try {
        await access(resolve(f));
      } catch {
        throw new MusterError('E_FILE', `--${k === 'ca' ? 'ca' : 'token-file'} ${f}: no such file`, {
          hint: 'name a file that exists (it is read at each command)',
        });
      }
    }
    const written = await writeContextFile(stateDir, {
      manager: url,
      ...(files.tokenFile ? { tokenFile: resolve(files.tokenFile) } : {}),
      ...(files.ca ? { ca: resolve(files.ca) } : {}),
    });
    out(`context: the commands talk to ${url} (${written})\n`);
    return 0;
  }
  if (o.manager !== undefined || o['token-file'] !== undefined || o.ca !== undefined)
    throw new MusterError('E_OPTION', '--manager, --token-file and --ca go with context set', { hint: `usage: ${contextUsage}` });
  if (sub === 'unset') {
    out((await removeContextFile(stateDir)) ? `context removed (${path})\n` : `no context (${path})\n`);
    return 0;
  }
  if (sub === 'show') {
    const ctx = await readContextFile(stateDir);
    const picked = pickManager(undefined, env, ctx, path);
    if (!picked) {
      out(`no manager: the commands talk to the agents of -i INVENTORY\n  set one: ${contextUsage.split(' | ')[0]}\n`);
      return 0;
    }
    const source = tokenSource(env, ctx, stateDir);
    out(`manager: ${picked.text} (from ${picked.from})\n`);
    out(`token:   ${'env' in source ? `from ${source.env}` : `read from ${source.file}`}\n`);
    out(`CA:      ${caFileOf(ctx, stateDir)}\n`);
    if (ctx && picked.from !== path) out(`context: ${path} names ${ctx.manager}, overridden by ${picked.from}\n`);
    return 0;
  }
  throw new MusterError('E_OPTION', sub ? `unknown context command "${sub}"` : 'no context command', { hint: `usage: ${contextUsage}` });
}
