/** Which stacks went to Swarm, and through which manager: `STATE/swarm/<stack>.json`, so ps/services/rm find them. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stateDirFor } from '../../fleet/state-dir.js';

type Env = Record<string, string | undefined>;

const fileOf = (env: Env, stack: string) => join(stateDirFor(env, homedir()), 'swarm', `${stack}.json`);

/** Notes that `stack` runs on the swarm managed from `manager`. */
export async function recordSwarmStack(env: Env, stack: string, manager: string): Promise<void> {
  const file = fileOf(env, stack);
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify({ stack, engine: 'swarm', manager })}\n`);
}

/** Forgets a removed stack. */
export async function forgetSwarmStack(env: Env, stack: string): Promise<void> {
  await rm(fileOf(env, stack), { force: true });
}

/** The manager a stack was deployed through, when it went to Swarm. */
export function swarmRecord(env: Env, stack: string): { manager: string } | undefined {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(stack)) return undefined;
  const file = fileOf(env, stack);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { manager: string }) : undefined;
}
