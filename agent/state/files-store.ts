/**
 * Secrets and configs on the node: delivered files kept 0600 under `<stateDir>/files/<kind>/<name>`, and
 * each container's own copies under `<stateDir>/mounts/<container>/` with the mode and owner its spec
 * asks for (a bind mount shows the host file's mode and owner, so the copy carries them). Content never
 * leaves this module except into those copies: listings give name, kind, digest and size only.
 */
import { createHash } from 'node:crypto';
import { chmod, chown, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { oneAtATime, writeFileAtomic } from '../../shared/atomic.js';
import { DEFAULT_CONFIG_MODE, DEFAULT_SECRET_MODE } from '../../shared/spec-hash.js';
import type { FileMount } from '../../shared/wire.js';
import { FILE_NAME, MAX_FILE_BYTES } from '../api/schema.js';

/** A secret (credentials) or a config (settings): stored alike, defaults differ (0400 and 0444). */
export type FileKind = FileMount['kind'];

/** What a listing says of a stored file: never its content. */
export interface StoredFile {
  name: string;
  kind: FileKind;
  /** sha256 hex of the content */
  digest: string;
  size: number;
}

/** Why a file was refused. */
export type PutProblem = { kind: 'bad-name' } | { kind: 'too-large'; size: number } | { kind: 'digest-mismatch'; digest: string };

/** The outcome of a delivery. */
export type PutOutcome = { kind: 'created' | 'unchanged'; file: StoredFile } | { kind: 'refused'; problem: PutProblem };

/** What was removed by a prune. */
export interface Pruned {
  files: string[];
  mounts: string[];
}

/** The agent's secrets and configs. */
export interface FilesStore {
  /** stores `data` under `name` (atomically, 0600), after checking the name, the size and the digest */
  put(name: string, kind: FileKind, data: Buffer): Promise<PutOutcome>;
  list(): Promise<StoredFile[]>;
  /** removes every kind stored under `name`; the kinds removed */
  remove(name: string): Promise<FileKind[]>;
  /**
   * Copies the files a container mounts into its own directory with their mode and owner; returns
   * container target -> host path. Fails with a clear error when one was not delivered or differs.
   */
  materialise(container: string, files: FileMount[]): Promise<Map<string, string>>;
  /**
   * Removes delivered files no name in `keepFiles` refers to and older than the grace period (a file
   * delivered for a desired set on its way is kept), and the copies of containers not in `keepContainers`.
   */
  prune(keepFiles: ReadonlySet<string>, keepContainers: ReadonlySet<string>): Promise<Pruned>;
}

/** Options of the store. */
export interface FilesStoreOptions {
  /** unreferenced files younger than this stay (default 10 minutes: deliveries come before the desired set) */
  graceMs?: number;
  now?: () => number;
  /** the agent's uid (default process.getuid()): only root may give copies to other owners */
  uid?: number;
}

const KINDS: readonly FileKind[] = ['secret', 'config'];
const NAME = new RegExp(FILE_NAME);

/** sha256 hex. */
export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Pure: is `data` acceptable under `name`? */
export function judgeFile(name: string, data: Buffer): PutProblem | undefined {
  if (!NAME.test(name)) return { kind: 'bad-name' };
  if (data.length > MAX_FILE_BYTES) return { kind: 'too-large', size: data.length };
  const digest = sha256(data);
  if (!name.endsWith(`.${digest.slice(0, 12)}`)) return { kind: 'digest-mismatch', digest };
  return undefined;
}

/** A files store under `stateDir`. */
export function filesStore(stateDir: string, opts: FilesStoreOptions = {}): FilesStore {
  const root = resolve(stateDir); // dockerd needs absolute host paths for the binds
  const filesDir = join(root, 'files');
  const mountsDir = join(root, 'mounts');
  const graceMs = opts.graceMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now;
  const uid = opts.uid ?? process.getuid?.() ?? 0;
  const serial = oneAtATime(); // a put, a prune and a copy never interleave
  const pathOf = (kind: FileKind, name: string): string => join(filesDir, kind, name);

  async function readStored(kind: FileKind, name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(pathOf(kind, name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async function names(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir)).filter((n) => NAME.test(n)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  async function list(): Promise<StoredFile[]> {
    const out: StoredFile[] = [];
    for (const kind of KINDS) {
      for (const name of await names(join(filesDir, kind))) {
        const data = await readStored(kind, name);
        if (data) out.push({ name, kind, digest: sha256(data), size: data.length });
      }
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.kind < b.kind ? -1 : 1));
  }

  return {
    put: (name, kind, data) =>
      serial(async (): Promise<PutOutcome> => {
        const problem = judgeFile(name, data);
        if (problem) return { kind: 'refused', problem };
        const file: StoredFile = { name, kind, digest: sha256(data), size: data.length };
        const old = await readStored(kind, name);
        if (old && sha256(old) === file.digest) return { kind: 'unchanged', file };
        await writeFileAtomic(join(filesDir, kind), name, data, 0o600);
        return { kind: 'created', file };
      }),

    list: () => serial(list),

    remove: (name) =>
      serial(async () => {
        const removed: FileKind[] = [];
        if (!NAME.test(name)) return removed;
        for (const kind of KINDS) {
          if ((await readStored(kind, name)) === undefined) continue;
          await rm(pathOf(kind, name), { force: true });
          removed.push(kind);
        }
        return removed;
      }),

    materialise: (container, files) =>
      serial(async () => {
        const dir = join(mountsDir, container);
        await rm(dir, { recursive: true, force: true }); // copies of an earlier container of this name go
        const out = new Map<string, string>();
        for (const [i, f] of files.entries()) {
          const data = NAME.test(f.name) ? await readStored(f.kind, f.name) : undefined;
          if (data === undefined) {
            throw new MusterError('E_FILE', `${f.kind} ${f.name} not delivered: deploy again`, {
              hint: 'the controller sends secrets and configs before the desired set; `muster deploy` sends them again',
            });
          }
          if (sha256(data) !== f.digest) {
            throw new MusterError('E_FILE', `${f.kind} ${f.name} on this node is not the version the desired set names: deploy again`);
          }
          const copy = `${i}-${f.name}`;
          await writeFileAtomic(dir, copy, data, 0o600);
          const path = join(dir, copy);
          const owner = { uid: f.uid ?? 0, gid: f.gid ?? 0 };
          await giveTo(path, owner, f.uid !== undefined || f.gid !== undefined, `${f.kind} ${f.name}`);
          await chmod(path, f.mode ?? (f.kind === 'secret' ? DEFAULT_SECRET_MODE : DEFAULT_CONFIG_MODE));
          out.set(f.target, path);
        }
        return out;
      }),

    prune: (keepFiles, keepContainers) =>
      serial(async () => {
        const pruned: Pruned = { files: [], mounts: [] };
        const t = now();
        for (const kind of KINDS) {
          const dir = join(filesDir, kind);
          let entries: string[] = [];
          try {
            entries = await readdir(dir);
          } catch {
            continue;
          }
          for (const name of entries) {
            const real = NAME.test(name);
            if (real && keepFiles.has(name)) continue;
            if (!real && !name.includes('.tmp-')) continue; // not ours
            const path = join(dir, name);
            const age = t - (await stat(path)).mtimeMs;
            // A delivered file after the grace period; an interrupted write's temp file after a minute.
            if (age < (real ? graceMs : 60_000)) continue;
            await rm(path, { force: true });
            if (real) pruned.files.push(`${kind} ${name}`);
          }
        }
        let containers: string[] = [];
        try {
          containers = await readdir(mountsDir);
        } catch {
          // none yet
        }
        for (const c of containers) {
          if (keepContainers.has(c)) continue;
          await rm(join(mountsDir, c), { recursive: true, force: true });
          pruned.mounts.push(c);
        }
        return pruned;
      }),
  };

  // The copy gets the owner the spec asks for. An agent that is not root (systemd's DynamicUser) cannot
  // give files away: an explicit owner is then an error; the default (root) stays the agent's user.
  async function giveTo(path: string, owner: { uid: number; gid: number }, explicit: boolean, what: string): Promise<void> {
    if (uid !== 0) {
      if (explicit) {
        throw new MusterError('E_FILE', `cannot give ${what} to ${owner.uid}:${owner.gid}: the agent does not run as root`, {
          hint: 'run the agent as root to honour uid/gid of secrets and configs, or leave them out',
        });
      }
      return;
    }
    await chown(path, owner.uid, owner.gid);
  }
}
