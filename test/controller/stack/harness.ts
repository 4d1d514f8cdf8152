/** Loading stack text in memory for the stack/ tests: parse, interpolate, normalise, with side files faked. */
import { MusterError } from '../../../shared/errors.js';
import { parseYaml } from '../../../shared/yaml.js';
import type { Ctx } from '../../../controller/stack/fields.js';
import type { Env } from '../../../controller/stack/interpolate.js';
import { interpolateTree } from '../../../controller/stack/interpolate.js';
import { normaliseStack } from '../../../controller/stack/normalise.js';
import type { Service, Stack } from '../../../controller/stack/types.js';

/** The file name every in-memory stack has. */
export const FILE = 'stack.yml';
/** The directory it is in. */
export const DIR = '/srv/stacks/home';

/** A Stack from YAML text; `files` are side files by absolute path. */
export function stackOf(text: string, opts: { env?: Env; files?: Record<string, string>; strict?: boolean; name?: string } = {}): Stack {
  const env = opts.env ?? {};
  const raw = parseYaml(text, FILE, 'compose');
  const { doc, warnings } = interpolateTree(raw, env, FILE);
  const files = opts.files ?? {};
  const ctx: Ctx = {
    file: FILE,
    dir: DIR,
    stack: opts.name ?? 'home',
    env,
    readFile: (p) => (p in files ? Buffer.from(files[p]) : undefined),
    warnings,
    unsupported: [],
  };
  return normaliseStack(doc, ctx, opts.strict);
}

/** The one service `s` of a stack with only it: `svc('image: x\nports: ["80:80"]')`. */
export function svc(body: string, opts: Parameters<typeof stackOf>[1] & { top?: string } = {}): Service {
  const indented = body
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
  return stackOf(`services:\n  s:\n${indented}\n${opts.top ?? ''}`, opts).services[0];
}

/** The MusterError a call throws (fails loudly when it throws nothing or something else). */
export function errorOf(f: () => unknown): MusterError {
  try {
    f();
  } catch (e) {
    if (e instanceof MusterError) return e;
    throw e;
  }
  throw new Error('expected a MusterError, nothing was thrown');
}

/** `file:line:col` of an error, for one-line asserts. */
export function where(e: MusterError): string {
  return e.pos ? `${e.pos.file}:${e.pos.line}:${e.pos.col}` : '(no pos)';
}
