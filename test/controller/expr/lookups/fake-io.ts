/** A LookupIO over an in-memory file tree, for lookup tests. */
import { dirname } from 'node:path';
import type { Secret } from '../../../../controller/command.js';
import type { LookupIO, Ran } from '../../../../controller/expr/lookups/index.js';

export interface FakeIO extends LookupIO {
  files: Map<string, string>;
  written: { path: string; text: string; mode: number }[];
  secrets: Secret[];
  warnings: string[];
  commands: string[];
}

/** `files` maps absolute paths to text; directories are implied by them. */
export function fakeIO(files: Record<string, string>, opts: { env?: Record<string, string>; run?: (cmd: string) => Ran; searchPath?: string[] } = {}): FakeIO {
  const map = new Map(Object.entries(files));
  const dirs = () => new Set([...map.keys()].flatMap((p) => ancestors(p)));
  let n = 0;
  const io: FakeIO = {
    files: map,
    written: [],
    secrets: [],
    warnings: [],
    commands: [],
    searchPath: opts.searchPath ?? ['/play/roles/web', '/play'],
    playbookDir: '/play',
    readText: (p) => map.get(p),
    isFile: (p) => map.has(p),
    isDir: (p) => dirs().has(p),
    listFiles: (d) => [...map.keys()].filter((p) => dirname(p) === d).map((p) => p.slice(d.length + 1)),
    env: (name) => opts.env?.[name],
    run(cmd) {
      io.commands.push(cmd);
      return opts.run ? opts.run(cmd) : { rc: 127, stdout: '', stderr: 'no such command' };
    },
    writeAtomic(path, text, mode) {
      map.set(path, text);
      io.written.push({ path, text, mode });
    },
    render: (text, vars) => text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => String(vars[k])),
    randomInt: (max) => n++ % max,
    hosts(pattern) {
      if (pattern.includes('[[')) throw new Error(`malformed pattern "${pattern}"`);
      const groups: Record<string, string[]> = { web: ['web1', 'web2'], db: ['db1'], all: ['web1', 'web2', 'db1'] };
      const want = new Set(pattern.split(':').flatMap((p) => groups[p] ?? [p]));
      return groups.all.filter((h) => want.has(h));
    },
    secret: (s) => io.secrets.push(s),
    warn: (m) => io.warnings.push(m),
  };
  return io;
}

function ancestors(p: string): string[] {
  const out: string[] = [];
  for (let d = dirname(p); d !== '/' && d !== '.'; d = dirname(d)) out.push(d);
  return out;
}
