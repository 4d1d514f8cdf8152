/** Running a files module for real through a local ModuleContext, on a temp dir removed after the test file. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { modules } from '../../../../controller/modules/files/index.js';
import type { Args, Module } from '../../../../controller/modules/types.js';
import { localContext } from './helpers.js';

/** The files module of that name. */
export const mod = (name: string): Module => modules.find((m) => m.name === name) as Module;

/** A temp dir for the test file (removed at its end): the function joining paths under it. */
export function scratch(t: Test): (...parts: string[]) => string {
  const root = mkdtempSync(join(tmpdir(), 'muster-files-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return (...parts) => join(root, ...parts);
}

/** The permission bits of a path. */
export const mode = (path: string): number => statSync(path).mode & 0o7777;

/** Runs a module with a local context; the result with that context. */
export async function run(name: string, args: Args, o: Parameters<typeof localContext>[0] = {}) {
  const ctx = localContext(o);
  const r = await mod(name).run(args, ctx);
  return { ...r, ctx };
}
