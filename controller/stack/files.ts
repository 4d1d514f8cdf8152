/** Top-level `secrets:`/`configs:` (content read on the controller) and a service's references to them. */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { readSide, type At, asInt, asMap, asName, asString, type Ctx, checkKeys, child, has, items, schemaError } from './fields.js';
import type { FileDef, FileRef } from './types.js';

type Kind = 'secret' | 'config';

/** The top-level secrets or configs with their content: from `file:`, `environment:` or (configs) `content:`. */
export function readFileDefs(ctx: Ctx, at: At, kind: Kind): Record<string, FileDef> {
  const out: Record<string, FileDef> = {};
  const sources = kind === 'config' ? ['file', 'environment', 'content'] : ['file', 'environment'];
  for (const key of Object.keys(asMap(at))) {
    const v = child(at, key);
    checkKeys(ctx, v, [...sources, 'external'], { name: undefined, labels: undefined, driver: undefined, driver_opts: undefined, template_driver: undefined });
    const ext = child(v, 'external');
    if (has(ext) && ext.v !== false && ext.v !== 'false') {
      throw schemaError(
        ext,
        `external ${kind}s are not supported: muster has no ${kind} store outside stack files`,
        `give the ${kind} a file: (or environment:) in the stack file`,
      );
    }
    const given = sources.filter((s) => has(child(v, s)));
    if (given.length !== 1) {
      throw schemaError(
        v,
        given.length === 0 ? `${kind} ${key} has no content` : `${kind} ${key} has ${given.join(' and ')}: pick one`,
        `give it one of ${sources.map((s) => `${s}:`).join(', ')}`,
      );
    }
    const src = child(v, given[0]);
    const content = given[0] === 'file' ? fromFile(ctx, src) : given[0] === 'environment' ? fromEnv(ctx, src, kind) : Buffer.from(asString(src));
    const def: FileDef = { key, content, digest: createHash('sha256').update(content).digest('hex'), pos: v.pos };
    // a secret's content is there to read, not to print: JSON.stringify, console.log and spreads leave it out
    if (kind === 'secret') Object.defineProperty(def, 'content', { value: content, enumerable: false });
    out[key] = def;
  }
  return out;
}

function fromFile(ctx: Ctx, at: At): Buffer {
  const rel = asName(at);
  const path = posix.resolve(ctx.dir, rel);
  const data = readSide(ctx, path, at);
  if (data === undefined) {
    throw new MusterError('E_FILE', `${at.path}: cannot read ${rel}: no such file`, {
      pos: at.pos,
      hint: `create ${path}, or fix the path (relative paths start beside the stack file)`,
    });
  }
  return data;
}

function fromEnv(ctx: Ctx, at: At, kind: Kind): Buffer {
  const name = asName(at);
  const value = ctx.env[name];
  if (value === undefined)
    throw schemaError(at, `${kind} content variable ${name} is not set`, `set ${name} in the environment or in the .env file beside the stack file`);
  return Buffer.from(value);
}

/** A service's `secrets:` or `configs:` list (names, or source/target/uid/gid/mode), checked against the top level. */
export function readFileRefs(ctx: Ctx, at: At, kind: Kind, defs: Record<string, FileDef>): FileRef[] {
  const refs = items(at).map((item) => {
    const long = item.v !== null && typeof item.v === 'object';
    if (long) checkKeys(ctx, item, ['source', 'target', 'uid', 'gid', 'mode']);
    const srcAt = long ? child(item, 'source') : item;
    const source = asName(srcAt);
    if (!defs[source]) throw schemaError(srcAt, `refers to undefined ${kind} ${source}`, `declare it under the top-level ${kind}s: key with a file:`);
    const ref: FileRef = { source, target: target(kind, source) };
    if (!long) return ref;
    const t = child(item, 'target');
    if (has(t)) ref.target = target(kind, asName(t));
    for (const id of ['uid', 'gid'] as const) if (has(child(item, id))) ref[id] = asInt(child(item, id), 0, 2 ** 32 - 1);
    if (has(child(item, 'mode'))) ref.mode = fileMode(child(item, 'mode'));
    return ref;
  });
  const seen = new Set<string>();
  for (const [i, r] of refs.entries()) {
    if (seen.has(r.target)) throw schemaError(child(at, i), `${r.target} is the target of two ${kind}s`, 'give each its own target');
    seen.add(r.target);
  }
  return refs;
}

// Secrets land in /run/secrets unless the target is absolute; configs at /<name>.
function target(kind: Kind, name: string): string {
  if (name.startsWith('/')) return name;
  return kind === 'secret' ? `/run/secrets/${name}` : `/${name}`;
}

/** A file mode: a YAML number (0440 is octal) or a string of octal digits ("0440", "440"; at most 0777). */
export function fileMode(at: At): number {
  const v = at.v;
  const n = typeof v === 'string' && /^(0o?)?[0-7]{1,3}$/.test(v.trim()) ? Number.parseInt(v.trim().replace(/^0o/, ''), 8) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0o777)
    throw schemaError(at, `${String(v)} is not a file mode`, 'write an octal mode such as 0440');
  return n;
}
