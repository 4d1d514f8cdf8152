/**
 * The CLI's manager context: which manager the commands talk to when no --manager is given, and optionally
 * where its token and CA are. Kept in the state directory as manager-context.json (0600, written atomically).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../shared/atomic.js';
import { MusterError } from '../../../shared/errors.js';

/** The context file's name in the state directory. */
export const CONTEXT_FILE = 'manager-context.json';

/** What the context holds (paths absolute). */
export interface ManagerContext {
  manager: string;
  tokenFile?: string;
  ca?: string;
}

/** Pure: the context file's text -> the context, or an error naming what is wrong. */
export function parseContext(text: string, path: string): ManagerContext {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  const o = v as Record<string, unknown> | undefined;
  const str = (k: string) => o?.[k] === undefined || typeof o[k] === 'string';
  if (!o || typeof o !== 'object' || typeof o.manager !== 'string' || !str('tokenFile') || !str('ca'))
    throw new MusterError('E_SCHEMA', `${path} is not a manager context`, {
      hint: 'write it again: muster context set --manager URL, or remove it: muster context unset',
    });
  return {
    manager: o.manager,
    ...(typeof o.tokenFile === 'string' ? { tokenFile: o.tokenFile } : {}),
    ...(typeof o.ca === 'string' ? { ca: o.ca } : {}),
  };
}

/** The context kept in `stateDir`, or undefined when there is none. */
export async function readContextFile(stateDir: string): Promise<ManagerContext | undefined> {
  const path = join(stateDir, CONTEXT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new MusterError('E_FILE', `cannot read ${path}: ${code}`, { hint: "check the state directory's permissions" });
  }
  return parseContext(text, path);
}

/** Writes the context (0600, atomically). */
export async function writeContextFile(stateDir: string, ctx: ManagerContext): Promise<string> {
  await writeFileAtomic(stateDir, CONTEXT_FILE, `${JSON.stringify(ctx, null, 2)}\n`, 0o600);
  return join(stateDir, CONTEXT_FILE);
}

/** Removes the context; whether there was one. */
export async function removeContextFile(stateDir: string): Promise<boolean> {
  const path = join(stateDir, CONTEXT_FILE);
  try {
    await readFile(path);
  } catch {
    return false;
  }
  await rm(path, { force: true });
  return true;
}
