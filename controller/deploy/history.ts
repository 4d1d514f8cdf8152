/**
 * Stack history in the controller's state directory: what each deploy, scale, rollback or rm applied, per
 * stack, so that later commands re-deploy without the original files. One file per version,
 * `stacks/<stack>/<NNNNNN>.json` (0600: secrets and configs are in it), created with a hard link so that a
 * crash leaves the whole file or none and two writers never take one number; the last HISTORY_CAP kept.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createFileAtomic } from '../../shared/atomic.js';
import { canonicalJson } from '../../shared/spec-hash.js';
import type { ContainerSpec } from '../../shared/wire.js';
import { ensurePrivateDir, stateDirFor } from '../fleet/state-dir.js';
import type { Plan } from '../scheduler/types.js';
import { type ContainerTemplate, templateHash } from '../stack/container-spec.js';
import type { Deploy, FileDef, Stack } from '../stack/types.js';
import { specBook } from './specs.js';

/** Versions kept per stack. */
export const HISTORY_CAP = 10;

/** What made a version. */
export type HistoryOp = 'deploy' | 'scale' | 'rollback' | 'remove' | 'drain';

/** One service as applied: the template every replica shares, its hash (the first 8 digits are in the names), its deploy config. */
export interface ServiceRecord {
  template: ContainerTemplate;
  hash: string;
  deploy: Deploy;
}

/** One version of a stack. */
export interface HistoryRecord {
  format: 1;
  stack: string;
  /** 1, 2, ... per stack; set when written */
  version: number;
  /** ISO time it was written */
  at: string;
  op: HistoryOp;
  /** for rollback and scale: the services it changed */
  services?: string[];
  /** the stack file as the user named it, and the options of the deploy */
  file: string;
  options: Record<string, string | boolean>;
  /** true once `muster rm` took the stack off the nodes */
  removed: boolean;
  /** the whole normalised stack (secret and config contents as base64) */
  model: StoredStack;
  byService: Record<string, ServiceRecord>;
  /** where each replica was placed (`web.3` -> node), as the plan said */
  placements: Record<string, string>;
}

/** A Stack as JSON: file contents in base64, no warnings. */
export type StoredStack = Omit<Stack, 'secrets' | 'configs' | 'warnings'> & {
  secrets: Record<string, StoredFile>;
  configs: Record<string, StoredFile>;
};
type StoredFile = Omit<FileDef, 'content'> & { content: string };

const storeFiles = (m: Record<string, FileDef>): Record<string, StoredFile> =>
  Object.fromEntries(Object.entries(m).map(([k, f]) => [k, { ...f, content: f.content.toString('base64') }]));
const loadFiles = (m: Record<string, StoredFile>): Record<string, FileDef> =>
  Object.fromEntries(Object.entries(m).map(([k, f]) => [k, { ...f, content: Buffer.from(f.content, 'base64') }]));

/** Pure: a stack as stored. */
export function storeStack(s: Stack): StoredStack {
  const { warnings: _w, secrets, configs, ...rest } = s;
  return structuredClone({ ...rest, secrets: storeFiles(secrets), configs: storeFiles(configs) });
}

/** Pure: the Stack a record applied. */
export function stackOf(r: HistoryRecord): Stack {
  const m = structuredClone(r.model);
  return { ...m, secrets: loadFiles(m.secrets), configs: loadFiles(m.configs), warnings: [] };
}

/** Pure: the placements of a plan's assignments (`web.3` -> node; `web.0@node` -> node for global services). */
export function placementsOf(plan: Plan | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of plan?.assignments ?? []) out[a.slot === 0 ? `${a.service}.0@${a.node}` : `${a.service}.${a.slot}`] = a.node;
  return out;
}

/** What a new version says besides the stack. */
export interface RecordInput {
  stack: Stack;
  op: HistoryOp;
  file: string;
  options?: Record<string, unknown>;
  plan?: Plan;
  services?: string[];
  removed?: boolean;
  /** ISO time */
  at: string;
  /** templates to keep as they were (a rollback restores an old template byte for byte) */
  templates?: Record<string, ServiceRecord>;
}

/** Pure: a record (version 0 until written). Templates and hashes as the deploy computes them unless given. */
export function recordOf(input: RecordInput): HistoryRecord {
  const book = specBook([input.stack]);
  const byService: Record<string, ServiceRecord> = {};
  for (const s of input.stack.services) {
    const given = input.templates?.[s.name];
    if (given) {
      byService[s.name] = { ...structuredClone(given), deploy: structuredClone(s.deploy) };
      continue;
    }
    const { name: _n, replica: _r, ...template } = book.spec({ stack: input.stack.name, service: s.name, slot: 1 }) as ContainerSpec;
    byService[s.name] = { template, hash: templateHash(template), deploy: structuredClone(s.deploy) };
  }
  const options: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(input.options ?? {})) if (typeof v === 'string' || typeof v === 'boolean') options[k] = v;
  return {
    format: 1,
    stack: input.stack.name,
    version: 0,
    at: input.at,
    op: input.op,
    ...(input.services ? { services: [...input.services] } : {}),
    file: input.file,
    options,
    removed: input.removed ?? false,
    model: storeStack(input.stack),
    byService,
    placements: placementsOf(input.plan),
  };
}

/** Pure: what two records applied is the same (version, time and op aside): a second write of it adds nothing. */
export function sameContent(a: HistoryRecord, b: HistoryRecord): boolean {
  const strip = (r: HistoryRecord) => ({ ...r, version: 0, at: '', op: '', services: undefined });
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

/** Pure: a version file's text -> a record, or why not. */
export function parseRecord(text: string, stack: string): HistoryRecord | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { error: 'not JSON (a torn or damaged file)' };
  }
  const r = v as Partial<HistoryRecord> | null;
  if (!r || typeof r !== 'object' || r.format !== 1 || r.stack !== stack || typeof r.version !== 'number' || !r.model || !r.byService)
    return { error: 'not a history record of this stack' };
  return r as HistoryRecord;
}

const VERSION_FILE = /^(\d{6,})\.json$/;
const TEMP_FILE = /^\d{6,}\.json\.tmp-/;
const STACK_NAME = /^[a-z0-9][a-z0-9_-]*$/;
/** A temp file older than this was left by a crash (a live writer links its temp within milliseconds). */
const STALE_TEMP_MS = 60_000;

/** Removes temp files that interrupted writes left (never a live writer's: only old ones). */
async function removeOldTemps(dir: string, nowMs: number): Promise<void> {
  for (const n of await readdir(dir).catch(() => [] as string[])) {
    if (!TEMP_FILE.test(n)) continue;
    const s = await stat(join(dir, n)).catch(() => undefined);
    if (s && nowMs - s.mtimeMs > STALE_TEMP_MS) await rm(join(dir, n), { force: true });
  }
}
const fileName = (n: number): string => `${String(n).padStart(6, '0')}.json`;

/** Where the versions of a stack live. */
export function stackHistoryDir(stateDir: string, stack: string): string {
  return join(stateDir, 'stacks', stack);
}

/** A stack's history: its last versions, oldest first, and files that could not be read. */
export interface StackHistory {
  stack: string;
  versions: HistoryRecord[];
  damaged: { file: string; error: string }[];
}

/** Version numbers present in a directory, ascending. */
async function numbers(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .map((n) => VERSION_FILE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** Reads a stack's last `cap` versions (temp files of interrupted writes are not versions). */
export async function readStackHistory(stateDir: string, stack: string, cap = HISTORY_CAP): Promise<StackHistory> {
  const dir = stackHistoryDir(stateDir, stack);
  const out: StackHistory = { stack, versions: [], damaged: [] };
  for (const n of (await numbers(dir)).slice(-cap)) {
    const file = join(dir, fileName(n));
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue; // pruned by another writer meanwhile
    }
    const r = parseRecord(text, stack);
    if ('error' in r) out.damaged.push({ file, error: r.error });
    else out.versions.push({ ...r, version: n });
  }
  return out;
}

/** Every stack that has a history, by name. */
export async function historyStacks(stateDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(stateDir, 'stacks'));
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names.sort()) if (STACK_NAME.test(n) && (await numbers(join(stateDir, 'stacks', n))).length) out.push(n);
  return out;
}

/** Every stack's history (damaged files reported in each). */
export async function readAllHistory(stateDir: string, cap = HISTORY_CAP): Promise<StackHistory[]> {
  return Promise.all((await historyStacks(stateDir)).map((s) => readStackHistory(stateDir, s, cap)));
}

/**
 * Writes `record` as the stack's next version and prunes all but the last `cap`; returns the version. When
 * the latest version already holds the same content, nothing is written and its number is returned (a retry
 * after a crash duplicates nothing).
 */
export async function appendVersion(stateDir: string, record: HistoryRecord, cap = HISTORY_CAP): Promise<number> {
  await ensurePrivateDir(stateDir);
  await ensurePrivateDir(join(stateDir, 'stacks'));
  const dir = stackHistoryDir(stateDir, record.stack);
  await ensurePrivateDir(dir);
  await removeOldTemps(dir, Date.now());
  const last = (await readStackHistory(stateDir, record.stack, 1)).versions.at(-1);
  if (last && sameContent(last, record)) return last.version;
  let n = ((await numbers(dir)).at(-1) ?? 0) + 1;
  for (;;) {
    const body = `${JSON.stringify({ ...record, version: n }, null, 1)}\n`;
    if (await createFileAtomic(dir, fileName(n), body, 0o600)) break;
    n++; // another writer took this number
  }
  for (const old of await numbers(dir)) if (old <= n - cap) await rm(join(dir, fileName(old)), { force: true });
  return n;
}

/** What the deploy hook gives: the stack it applied, its file and options, and the plan. */
export interface DeployRecord {
  stack: Stack;
  file: string;
  options?: Record<string, unknown>;
  plan?: Plan;
  /** ms since epoch */
  now: number;
}

/** Records a successful deploy as the stack's next version (the one call deploy makes after applying). */
export async function recordDeploy(stateDir: string, d: DeployRecord): Promise<number> {
  return appendVersion(stateDir, recordOf({ stack: d.stack, op: 'deploy', file: d.file, options: d.options, plan: d.plan, at: new Date(d.now).toISOString() }));
}

/** The deploy's hook: records in the state directory `env` names (MUSTER_STATE_DIR, else XDG_STATE_HOME/muster, else ~/.local/state/muster). */
export async function recordDeployIn(env: Record<string, string | undefined>, d: DeployRecord): Promise<number> {
  return recordDeploy(stateDirFor(env, homedir()), d);
}
