/**
 * Which stacks went to k3s, and through which kubeconfig: `STATE/k3s/<stack>.json`, written by
 * `deploy --engine k3s` once its objects are applied and removed by `rm --engine k3s`, so that ps, services
 * and rm find a stack without --engine (cli/engine.ts) and reach the same cluster.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stateDirFor } from '../../fleet/state-dir.js';

type Env = Record<string, string | undefined>;

/** What a record holds: the namespace, and the kubeconfig and context when the deploy named them. */
export interface K3sRecord {
  stack: string;
  engine: 'k3s';
  namespace: string;
  kubeconfig?: string;
  context?: string;
}

const STACK_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const fileOf = (env: Env, stack: string) => join(stateDirFor(env, homedir()), 'k3s', `${stack}.json`);

/** Notes that `stack` runs on k3s; written to a temporary file and renamed, so a reader never sees half of it. */
export async function recordK3sStack(env: Env, record: Omit<K3sRecord, 'engine'>): Promise<void> {
  const file = fileOf(env, record.stack);
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ ...record, engine: 'k3s' })}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** Forgets a removed stack. */
export async function forgetK3sStack(env: Env, stack: string): Promise<void> {
  if (STACK_NAME.test(stack)) await rm(fileOf(env, stack), { force: true });
}

/** The record of a stack deployed to k3s, if any (a name that is no stack name has none). */
export function k3sRecord(env: Env, stack: string): K3sRecord | undefined {
  if (!STACK_NAME.test(stack)) return undefined;
  const file = fileOf(env, stack);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as K3sRecord) : undefined;
}
