/**
 * include_vars: variables from YAML/JSON files on the controller (a file, or every file of a directory),
 * at include_vars precedence: above task vars, below set_fact and -e, as in Ansible.
 */
import { MusterError } from '../../../shared/errors.js';
import { isDict, setKey } from '../../expr/values.js';
import type { Args, ModuleContext, ModuleResult, Vars } from '../types.js';
import type { ControlModule } from './spec.js';

const DEFAULT_EXTENSIONS = ['json', 'yaml', 'yml'];

/** Load-time check: one source, file or dir (free form is the file). */
export function checkIncludeVars(args: Args): string | undefined {
  const file = args.file ?? args._raw_params;
  if (args.file !== undefined && args._raw_params !== undefined) return 'give the file once: as free form or as file=';
  if (file !== undefined && args.dir !== undefined) return 'file and dir are mutually exclusive';
  if (file === undefined && args.dir === undefined) return 'needs a file (include_vars: vars/main.yml) or dir=';
  return undefined;
}

/** Pure: which files of a directory listing to load, in order (depth 0 = every level). */
export function selectFiles(listing: string[], args: Args): string[] {
  const depth = Number(args.depth ?? 0);
  const matching = typeof args.files_matching === 'string' ? new RegExp(args.files_matching) : undefined;
  const ignore = ((args.ignore_files as string[] | undefined) ?? []).map((p) => new RegExp(`${p}$`));
  const extensions = (args.extensions as string[] | undefined) ?? DEFAULT_EXTENSIONS;
  return [...listing]
    .sort()
    .filter((rel) => depth === 0 || rel.split('/').length <= depth)
    .filter((rel) => {
      const name = rel.split('/').pop() as string;
      if (matching && !matching.test(name)) return false;
      if (ignore.some((re) => re.test(name))) return false;
      return !(args.ignore_unknown_extensions === true && !hasExtension(name, extensions));
    });
}

function hasExtension(name: string, extensions: string[]): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && extensions.includes(name.slice(dot + 1));
}

/** Pure: `b` over `a`, dicts merged recursively (hash_behaviour=merge); lists and scalars replaced. */
export function mergeHash(a: Vars, b: Vars): Vars {
  const out: Vars = { ...a };
  for (const [k, v] of Object.entries(b)) setKey(out, k, isDict(out[k]) && isDict(v) ? mergeHash(out[k] as Vars, v) : v);
  return out;
}

/** Pure: the loaded files' variables, in order, as the module result (with `name`, under that one key). */
export function includeResult(loaded: { path: string; data: Vars }[], args: Args, existing: Vars): ModuleResult {
  const merge = args.hash_behaviour === 'merge';
  let vars: Vars = {};
  for (const f of loaded) vars = merge ? mergeHash(vars, f.data) : { ...vars, ...f.data };
  if (typeof args.name === 'string' && args.name !== '') vars = { [args.name]: vars };
  // merge: a dict already defined for the host is merged with, not replaced
  if (merge) for (const [k, v] of Object.entries(vars)) if (isDict(v) && isDict(existing[k])) vars[k] = mergeHash(existing[k] as Vars, v);
  const files = loaded.map((f) => f.path);
  return { changed: false, includedVars: vars, data: { ansible_facts: vars, ansible_included_var_files: files } };
}

function fail(msg: string): ModuleResult {
  return { changed: false, failed: true, msg };
}

/** Reads the files (through the context's controller-side file access) and builds the result. */
export async function includeVars(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const { locate, walk, loadData } = ctx.files;
  if (!locate || !walk || !loadData) return fail('include_vars needs the controller-side files, which this run does not provide');
  const extensions = (args.extensions as string[] | undefined) ?? DEFAULT_EXTENSIONS;
  const file = (args.file ?? args._raw_params) as string | undefined;
  const source = (file ?? args.dir) as string;
  const found = locate(source, 'vars');
  if (!found || found.dir !== (file === undefined)) return fail(`Could not find or access '${source}'${file === undefined ? ' as a directory' : ''}`);
  let paths: string[];
  if (file !== undefined) {
    if (!hasExtension(found.path.split('/').pop() as string, extensions)) return fail(`${source} does not have a valid extension: ${extensions.join(', ')}`);
    paths = [found.path];
  } else {
    const chosen = selectFiles(walk(found.path), args);
    const bad = chosen.find((rel) => !hasExtension(rel.split('/').pop() as string, extensions));
    if (bad) return fail(`${bad} does not have a valid extension: ${extensions.join(', ')} (or set ignore_unknown_extensions: true)`);
    paths = chosen.map((rel) => `${found.path}/${rel}`);
  }
  const loaded: { path: string; data: Vars }[] = [];
  for (const path of paths) {
    let data: unknown;
    try {
      data = loadData(path);
    } catch (e) {
      if (e instanceof MusterError) return fail(`${path}: ${e.message}`);
      throw e;
    }
    if (data === null || data === undefined) data = {};
    if (!isDict(data)) return fail(`${path} must be stored as a dictionary/hash`);
    loaded.push({ path, data });
  }
  return includeResult(loaded, args, ctx.vars);
}

/** The include_vars module. */
export const includeVarsModule: ControlModule = {
  name: 'include_vars',
  summary: 'Loads variables from YAML/JSON files (a file, or a directory) on the controller, at include_vars precedence.',
  args: {
    _raw_params: { type: 'path' },
    file: { type: 'path' },
    dir: { type: 'path' },
    name: { type: 'str' },
    depth: { type: 'int', default: 0 },
    files_matching: { type: 'str' },
    ignore_files: { type: 'list', elements: 'str', default: [] },
    extensions: { type: 'list', elements: 'str', default: DEFAULT_EXTENSIONS },
    ignore_unknown_extensions: { type: 'bool', default: false },
    hash_behaviour: { type: 'str', choices: ['replace', 'merge'] },
  },
  freeForm: true,
  local: true,
  checkMode: true,
  validate: (args) => {
    if (typeof args.files_matching === 'string') {
      try {
        new RegExp(args.files_matching);
      } catch {
        return `files_matching is not a valid regular expression: ${args.files_matching}`;
      }
    }
    return checkIncludeVars(args);
  },
  run: includeVars,
};
