/** A service's `env_file:` and `environment:` (env_file first, environment over it); unset names come from the environment. */
import { posix } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { parseDotenv } from './dotenv.js';
import { readSide, type At, asBool, asName, asString, type Ctx, checkKeys, child, entries, has, items, schemaError } from './fields.js';

const NAME = /^[^=\s][^=]*$/;

/** The service's environment variables. */
export function readEnvironment(ctx: Ctx, envFile: At, environment: At): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of envFileEntries(envFile)) Object.assign(out, readEnvFile(ctx, item));
  Object.assign(out, readEnvList(ctx, environment));
  return out;
}

// env_file: a path, a list of paths, or items with path and required.
function envFileEntries(at: At): At[] {
  if (!has(at)) return [];
  return Array.isArray(at.v) ? items(at) : [at];
}

function readEnvFile(ctx: Ctx, at: At): Record<string, string> {
  let pathAt = at;
  let required = true;
  if (at.v !== null && typeof at.v === 'object') {
    checkKeys(ctx, at, ['path', 'required'], { format: undefined });
    pathAt = child(at, 'path');
    if (has(child(at, 'required'))) required = asBool(child(at, 'required'));
  }
  const rel = asName(pathAt);
  const path = posix.resolve(ctx.dir, rel);
  const data = readSide(ctx, path, pathAt);
  if (data === undefined) {
    if (!required) return {};
    throw new MusterError('E_FILE', `${pathAt.path}: cannot read env file ${rel}: no such file`, {
      pos: pathAt.pos,
      hint: `create ${path}, fix the path (relative paths start beside the stack file), or mark it required: false`,
    });
  }
  const display = posix.join(posix.dirname(ctx.file), rel);
  return parseDotenv(data.toString('utf8'), display, ctx.env, (w) => ctx.warnings.push(w));
}

// environment: a map (a null value is taken from the environment) or a list of KEY=VALUE and KEY.
function readEnvList(ctx: Ctx, at: At): Record<string, string> {
  const out: Record<string, string> = {};
  const fromEnv = (key: string): void => {
    const v = ctx.env[key];
    if (v !== undefined) out[key] = v;
  };
  if (Array.isArray(at.v)) {
    for (const item of items(at)) {
      const s = asString(item);
      const eq = s.indexOf('=');
      const key = eq < 0 ? s : s.slice(0, eq);
      if (!NAME.test(key)) throw schemaError(item, `"${s}" is not KEY=VALUE`, 'write KEY=VALUE, or KEY alone to pass it from the environment');
      if (eq < 0) fromEnv(key);
      else out[key] = s.slice(eq + 1);
    }
    return out;
  }
  for (const [key, v] of entries(at)) {
    if (v.v === null) fromEnv(key);
    else out[key] = asString(v);
  }
  return out;
}
