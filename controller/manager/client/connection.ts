/**
 * Which manager the CLI talks to and with what: the URL (--manager, else MUSTER_MANAGER, else the context
 * file), the CA that must have issued its certificate (the context's, else the state directory's ca.crt), and
 * the token (MUSTER_MANAGER_TOKEN, else the context's token file, else the state directory's manager/token,
 * which `muster serve` writes). The choice is pure; reading the files is at the edge.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MusterError } from '../../../shared/errors.js';
import { stateDirFor } from '../../fleet/state-dir.js';
import { type ManagerContext, readContextFile } from './context-file.js';

/** Everything a request to the manager needs; `tokenFrom` says where the token came from (never the token). */
export interface ManagerConnection {
  /** `https://host:port` */
  url: string;
  host: string;
  port: number;
  /** the CA certificate (PEM) and the file it came from */
  ca: string;
  caFile: string;
  token: string;
  tokenFrom: string;
  /** where the URL came from: --manager, MUSTER_MANAGER or the context file */
  from: string;
}

/** Pure: a manager URL (`https://host[:port]`, nothing after the port) -> its origin, or E_OPTION naming `from`. */
export function parseManagerUrl(text: string, from: string): { url: string; host: string; port: number } {
  let u: URL | undefined;
  try {
    u = new URL(text);
  } catch {
    u = undefined;
  }
  const bare = u !== undefined && !u.username && !u.password && (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash;
  if (!u || !bare || u.protocol !== 'https:')
    throw new MusterError('E_OPTION', `${from}: "${text}" is not a manager URL`, {
      hint: 'write it as https://HOST:PORT, such as https://127.0.0.1:7480 (the manager serves HTTPS only)',
    });
  const port = u.port ? Number(u.port) : 443;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return { url: `https://${u.host}`, host, port };
}

/** Pure: the manager's URL and where it came from, or undefined when none is configured (the commands then talk to the agents). */
export function pickManager(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  ctx: ManagerContext | undefined,
  ctxPath: string,
): { text: string; from: string } | undefined {
  if (flag !== undefined) return { text: flag, from: '--manager' };
  if (env.MUSTER_MANAGER) return { text: env.MUSTER_MANAGER, from: 'MUSTER_MANAGER' };
  if (ctx) return { text: ctx.manager, from: ctxPath };
  return undefined;
}

/** Pure: where the token is read from, in order of precedence. */
export function tokenSource(env: Record<string, string | undefined>, ctx: ManagerContext | undefined, stateDir: string): { env: string } | { file: string } {
  if (env.MUSTER_MANAGER_TOKEN) return { env: 'MUSTER_MANAGER_TOKEN' };
  if (ctx?.tokenFile) return { file: ctx.tokenFile };
  return { file: join(stateDir, 'manager', 'token') };
}

/** Pure: the CA file: the context's, else the state directory's. */
export const caFileOf = (ctx: ManagerContext | undefined, stateDir: string): string => ctx?.ca ?? join(stateDir, 'ca.crt');

async function readText(path: string, what: string, hint: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new MusterError('E_FILE', `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint });
  }
}

/** The manager to talk to, with its CA and token read; undefined when none is configured. */
export async function managerFor(flag: string | undefined, env: Record<string, string | undefined>, home = homedir()): Promise<ManagerConnection | undefined> {
  const stateDir = stateDirFor(env, home);
  const ctxPath = join(stateDir, 'manager-context.json');
  const ctx = await readContextFile(stateDir);
  const picked = pickManager(flag, env, ctx, ctxPath);
  if (!picked) return undefined;
  const { url, host, port } = parseManagerUrl(picked.text, picked.from);
  const caFile = caFileOf(ctx, stateDir);
  const ca = await readText(
    caFile,
    'the fleet CA',
    "copy the manager's ca.crt (its state directory) here, or name it: muster context set --manager URL --ca FILE",
  );
  const source = tokenSource(env, ctx, stateDir);
  let token: string;
  let tokenFrom: string;
  if ('env' in source) {
    token = (env[source.env] ?? '').trim();
    tokenFrom = source.env;
  } else {
    token = (
      await readText(
        source.file,
        "the manager's token",
        'set MUSTER_MANAGER_TOKEN, or name the file muster serve wrote (its state directory, manager/token): muster context set --manager URL --token-file FILE',
      )
    ).trim();
    tokenFrom = source.file;
  }
  if (!token)
    throw new MusterError('E_FILE', `the manager's token from ${tokenFrom} is empty`, {
      hint: 'use the token muster serve wrote (its state directory, manager/token)',
    });
  return { url, host, port, ca, caFile, token, tokenFrom, from: picked.from };
}
