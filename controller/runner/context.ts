/** Builds the ModuleContext a module sees: the host's transport with become and environment applied. */
import { readFileSync } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { loadYamlFile } from '../../shared/yaml.js';
import { factsScript, parseFacts } from '../facts/index.js';
import type { ModuleContext, Vars } from '../modules/types.js';
import { renderText } from '../template/index.js';
import { getFile, putFile } from '../transport/files.js';
import type { Become, Transport } from '../transport/types.js';

export interface ContextInput {
  host: string;
  transport: () => Promise<Transport>;
  become?: Become;
  env: Record<string, string>;
  check: boolean;
  diff: boolean;
  vars: Vars;
  task: string;
  searchDirs: string[];
  sleep(ms: number): Promise<void>;
  now(): number;
  /** when the current attempt must be over (timeout, async), on the `now` clock: each exec is killed on the host then */
  deadline?: () => number | undefined;
}

/** The context for one module run on one host. */
export function moduleContext(c: ContextInput): ModuleContext {
  const env = Object.keys(c.env).length ? c.env : undefined;
  return {
    host: c.host,
    check: c.check,
    diff: c.diff,
    vars: c.vars,
    async exec(script, opts = {}) {
      const t = await c.transport();
      const at = c.deadline?.();
      const left = at === undefined ? undefined : Math.max(1, at - c.now());
      const timeoutMs = left === undefined ? opts.timeoutMs : Math.min(left, opts.timeoutMs ?? left);
      return t.exec(script, { become: c.become, env, ...opts, timeoutMs });
    },
    async put(content, dest, opts = {}) {
      await putFile(await c.transport(), content, dest, { ...opts, become: c.become });
    },
    async get(path) {
      return getFile(await c.transport(), path, c.become);
    },
    render(template, source, extra) {
      const vars = extra ? withExtra(c.vars, extra) : c.vars;
      return renderText(template, vars, { host: c.host, task: c.task, source }, (name) => loadTemplate(name, source, c.searchDirs));
    },
    files: {
      read: (path, kind) => readLocal(path, kind, c.searchDirs),
      write: writeLocal,
      locate: (path, subdir) => locateLocal(path, subdir, c.searchDirs),
      walk: walkLocal,
      loadData: (path) => loadYamlFile(path),
    },
    async reconnect(timeoutMs) {
      const t = await c.transport();
      await t.reset();
      const deadline = c.now() + timeoutMs;
      for (;;) {
        try {
          await t.connect();
          return;
        } catch (e) {
          if (c.now() >= deadline) throw e;
          await t.reset();
          await c.sleep(1000);
        }
      }
    },
    async keyLogin() {
      const t = await c.transport();
      return t.tryKeyLogin ? t.tryKeyLogin() : undefined;
    },
    async gatherFacts() {
      const t = await c.transport();
      const out = await t.exec(factsScript());
      return parseFacts(out.stdout);
    },
    sleep: c.sleep,
    now: c.now,
  };
}

/** Finds a controller-side file: absolute, or under DIR/files|templates/ then DIR/ for each search dir. */
async function readLocal(path: string, kind: 'files' | 'templates', dirs: string[]): Promise<{ path: string; content: Buffer }> {
  const candidates = isAbsolute(path) ? [path] : dirs.flatMap((d) => [join(d, kind, path), join(d, path)]);
  for (const p of candidates) {
    try {
      return { path: p, content: await readFile(p) };
    } catch {
      // try the next place
    }
  }
  throw new MusterError('E_FILE', `could not find ${kind === 'templates' ? 'template' : 'file'} "${path}"`, {
    hint: `looked in: ${candidates.join(', ')}`,
  });
}

// the variables with `extra` over them, keeping what the runner attached under symbol keys (lookups)
function withExtra(vars: Vars, extra: Vars): Vars {
  const out: Vars = Object.assign(Object.create(Object.getPrototypeOf(vars)), vars, extra);
  for (const sym of Object.getOwnPropertySymbols(vars)) Object.defineProperty(out, sym, Object.getOwnPropertyDescriptor(vars, sym)!);
  return out;
}

/** A template another one extends or includes: beside it first, then in the usual template places. */
function loadTemplate(name: string, from: string, dirs: string[]): { text: string; source: string } | undefined {
  const candidates = isAbsolute(name) ? [name] : [join(dirname(from), name), ...dirs.flatMap((d) => [join(d, 'templates', name), join(d, name)])];
  for (const p of candidates) {
    try {
      return { text: readFileSync(p, 'utf8'), source: p };
    } catch {
      // try the next place
    }
  }
  return undefined;
}

/** The first existing DIR/SUBDIR/PATH or DIR/PATH (file or directory) for each search dir; absolute paths as given. */
function locateLocal(path: string, subdir: string, dirs: string[]): { path: string; dir: boolean } | undefined {
  const candidates = isAbsolute(path) ? [path] : dirs.flatMap((d) => [join(d, subdir, path), join(d, path)]);
  for (const p of candidates) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isFile() || st?.isDirectory()) return { path: p, dir: st.isDirectory() };
  }
  return undefined;
}

/** Regular files under `dir` (links followed), relative '/'-separated paths, sorted. */
function walkLocal(dir: string): string[] {
  const out: string[] = [];
  const visit = (rel: string, depth: number) => {
    if (depth > 32) return; // a link cycle
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(join(dir, r), { throwIfNoEntry: false });
      if (st?.isDirectory()) visit(r, depth + 1);
      else if (st?.isFile()) out.push(r);
    }
  };
  visit('', 0);
  return out.sort();
}

/** Writes a controller-side file atomically (temp file in the same directory, then rename). */
async function writeLocal(path: string, content: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.muster-${process.pid}-${Date.now()}.tmp`;
  await writeFile(tmp, content, { flush: true });
  await rename(tmp, path);
}
