/** Files that survive a crash or a power cut at any instant: the old content or the new one, never half. */
import { link, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Temp files of an interrupted write start with `<name>.tmp-`. */
export const tempPrefix = (name: string): string => `${name}.tmp-`;

/**
 * Writes `data` to `dir/name`: a temp file in the same directory, fsync, rename over the target, fsync the
 * directory (so the rename itself is on disk before we say it is). Mode 0600 unless told (state files may
 * hold secrets); a directory made on the way is 0700.
 */
export async function writeFileAtomic(dir: string, name: string, data: string | Buffer, mode = 0o600): Promise<void> {
  const tmp = await writeTemp(dir, name, data, mode);
  try {
    await rename(tmp, join(dir, name));
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

/**
 * Like writeFileAtomic, but never replaces an existing file: the temp file is hard-linked to the target,
 * which fails with EEXIST when another writer got there first. Returns false then (the other file stays).
 */
export async function createFileAtomic(dir: string, name: string, data: string | Buffer, mode = 0o600): Promise<boolean> {
  const tmp = await writeTemp(dir, name, data, mode);
  try {
    await link(tmp, join(dir, name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(tmp, { force: true });
  }
  await syncDir(dir);
  return true;
}

/** A new temp file beside `dir/name` holding `data`, synced to disk; its path. Removed again if writing fails. */
async function writeTemp(dir: string, name: string, data: string | Buffer, mode: number): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `${tempPrefix(name)}${process.pid}-${randomBytes(4).toString('hex')}`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  return tmp;
}

/** fsync on a directory makes its entries (a rename) durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Removes temp files left by writes that a crash interrupted; returns their names. */
export async function removeStaleTemps(dir: string, name: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const stale = entries.filter((e) => e.startsWith(tempPrefix(name)));
  await Promise.all(stale.map((e) => rm(join(dir, e), { force: true })));
  return stale;
}

/**
 * Runs the tasks given to it one after the other, in order: a state file's check-save-swap never overlaps
 * another's. A failed task fails its own caller only.
 */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (task) => {
    const done = queue.then(task, task);
    queue = done.catch(() => undefined);
    return done;
  };
}
