/** Reading known_hosts files and recording newly accepted keys in muster's own file. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { expandHome } from './home.js';
import { parseKnownHosts, type KnownHostEntry } from './known-hosts.js';

/** The entries of every file that exists; a missing file is simply empty (a fresh machine has none). */
export async function loadKnownHosts(paths: string[]): Promise<KnownHostEntry[]> {
  const lists = await Promise.all(
    paths.map(async (p) => {
      const file = expandHome(p);
      try {
        return parseKnownHosts(await readFile(file, 'utf8'), file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new MusterError('E_FILE', `cannot read known_hosts file ${file}: ${(err as Error).message}`, {
          hint: 'fix its permissions, or point muster at another file',
          cause: err,
        });
      }
    }),
  );
  return lists.flat();
}

// Hosts connect in parallel, so two new keys may be recorded at once: each file's appends take turns,
// or the second rename would drop the first key.
const appending = new Map<string, Promise<void>>();

/** Appends a line to a known_hosts file atomically (temp file, fsync, rename), creating its directory. */
export async function appendKnownHost(path: string, line: string): Promise<void> {
  const file = expandHome(path);
  const before = appending.get(file) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(() => rewrite(file, line));
  appending.set(file, mine);
  try {
    await mine;
  } finally {
    if (appending.get(file) === mine) appending.delete(file);
  }
}

async function rewrite(file: string, line: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    let text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    // Two runs (or two names of one host) may accept the same key: record it once.
    if (text.split(/\r?\n/).includes(line)) return;
    if (text !== '' && !text.endsWith('\n')) text += '\n';
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(`${text}${line}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new MusterError('E_FILE', `cannot record the host key in ${file}: ${(err as Error).message}`, {
      hint: 'check that the directory is writable, or set MUSTER_KNOWN_HOSTS to another file',
      cause: err,
    });
  }
}
