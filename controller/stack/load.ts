/** Loading a stack file: the only I/O of stack/ (the file, `.env` beside it, env_file, secret and config files). */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { parseYaml, posOf, readText } from '../../shared/yaml.js';
import { parseDotenv } from './dotenv.js';
import type { Ctx } from './fields.js';
import { type Env, interpolateTree } from './interpolate.js';
import { normaliseStack } from './normalise.js';
import type { Stack, StackWarning } from './types.js';

/** How to load: the stack's name (`--name`), the process environment, and `--strict`. */
export interface LoadOptions {
  name?: string;
  env: Env;
  strict?: boolean;
}

const STACK_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Reads, interpolates and normalises a Compose stack file. Throws MusterError (E_FILE, E_YAML, E_SCHEMA). */
export function loadStack(path: string, opts: LoadOptions): Stack {
  const abs = resolve(path);
  const dir = dirname(abs);
  const text = readText(abs, path);
  const raw = parseYaml(text, path, 'compose');
  const warnings: StackWarning[] = [];
  const env = projectEnv(dir, path, opts.env, warnings);
  const { doc, warnings: unset } = interpolateTree(raw, env, path);
  warnings.push(...unset);
  const ctx: Ctx = { file: path, dir, stack: stackName(doc, dir, path, opts.name), env, readFile, warnings, unsupported: [] };
  return normaliseStack(doc, ctx, opts.strict);
}

/** The variables the file sees: `.env` beside it, under the process environment. */
export function projectEnv(dir: string, file: string, processEnv: Env, warnings: StackWarning[]): Env {
  const data = readFile(resolve(dir, '.env'));
  if (data === undefined) return { ...processEnv };
  const display = file.includes('/') ? `${dirname(file)}/.env` : '.env';
  const dotenv = parseDotenv(data.toString('utf8'), display, processEnv, (w) => warnings.push(w));
  const env: Env = { ...dotenv };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) env[k] = v;
  return env;
}

/** `--name`, else the file's `name:`, else its directory's name lower-cased; [a-z0-9][a-z0-9_-]*. */
export function stackName(doc: unknown, dir: string, file: string, given?: string): string {
  const inFile = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>).name : undefined;
  const [name, from] =
    given !== undefined
      ? [given, '--name']
      : inFile !== undefined && inFile !== null
        ? [String(inFile), 'name:']
        : [basename(dir).toLowerCase(), `the directory name of ${file}`];
  if (!STACK_NAME.test(name)) {
    throw new MusterError('E_SCHEMA', `stack name "${name}" (from ${from}) is not valid`, {
      pos: from === 'name:' ? posOf(doc, 'name') : undefined,
      hint: 'a stack name is lower-case letters, digits, _ and -, starting with a letter or digit: pass --name NAME or set name: in the file',
    });
  }
  return name;
}

// A side file's bytes; undefined when it does not exist.
function readFile(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    const why = code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new MusterError('E_FILE', `cannot read ${path}: ${why}`, { hint: 'check the path and its permissions' });
  }
}
