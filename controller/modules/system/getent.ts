/** `getent`: one entry (or all) of a name service database, as facts `getent_DATABASE` (ansible.builtin.getent). */
import { sh, type Script } from '../../command.js';
import type { Args, ArgSpecs, Module, ModuleResult, Vars } from '../types.js';
import { withSbin } from './probe.js';

const args: ArgSpecs = {
  database: { type: 'str', required: true },
  key: { type: 'str' },
  service: { type: 'str' },
  split: { type: 'str' },
  fail_key: { type: 'bool', default: true },
};

/** Databases whose fields are colon-separated when `split` is not given (others split on white space). */
const COLON = ['passwd', 'shadow', 'group', 'gshadow'];

/** The command: `getent DATABASE [KEY] [-s SERVICE]`, its exit code on the last line. */
export function getentScript(a: Args): Script {
  const key = typeof a.key === 'string' ? [a.key] : [];
  const service = typeof a.service === 'string' ? ['-s', a.service] : [];
  return withSbin(sh`getent ${String(a.database)} ${key} ${service}`);
}

/** Splits like Python's str.split: on every separator, or on runs of white space when there is none. */
function splitLine(line: string, sep: string | undefined): string[] {
  return sep === undefined ? line.trim().split(/\s+/) : line.split(sep);
}

/**
 * Pure: getent's exit code and output -> the module's result. Each line is keyed by its first field and
 * holds the others; a key seen on several lines holds the list of them all, as Ansible stores it.
 */
export function getentResult(a: Args, rc: number, stdout: string, facts: Vars): ModuleResult {
  const database = String(a.database);
  const sep = typeof a.split === 'string' ? a.split : COLON.includes(database) ? ':' : undefined;
  const tree: Record<string, unknown> = {};
  const withFacts = (msg?: string): ModuleResult => {
    const name = `getent_${database}`;
    // The runner assigns these over the host's facts: ansible_facts keeps what was there.
    return {
      changed: false,
      ...(msg ? { msg } : {}),
      facts: { ansible_facts: { ...facts, [name]: tree }, [name]: tree },
      data: { ansible_facts: { [name]: tree } },
    };
  };
  if (rc === 0) {
    const seen = new Map<string, number>();
    for (const line of stdout.split('\n')) {
      if (line === '') continue;
      const [first, ...rest] = splitLine(line, sep);
      const n = seen.get(first) ?? 0;
      if (n === 0) tree[first] = rest;
      else if (n === 1) tree[first] = [tree[first], rest];
      else (tree[first] as unknown[]).push(rest);
      seen.set(first, n + 1);
    }
    return withFacts();
  }
  if (rc === 2) {
    const msg = 'One or more supplied key could not be found in the database.';
    if (a.fail_key === false) {
      tree[typeof a.key === 'string' ? a.key : ''] = null;
      return withFacts(msg);
    }
    return { changed: false, failed: true, msg };
  }
  const msg = rc === 1 ? 'Missing arguments, or database unknown.' : rc === 3 ? 'Enumeration not supported on this database.' : 'Unexpected failure!';
  return { changed: false, failed: true, msg };
}

/** The `getent` module: reads only, so it runs in check mode too. */
export const getent: Module = {
  name: 'getent',
  args,
  checkMode: true,
  async run(a, ctx) {
    const r = await ctx.exec(getentScript(a));
    if (r.rc === 127) return { changed: false, failed: true, msg: 'getent not found on the host (it comes with libc-bin on Debian)' };
    return getentResult(a, r.rc, r.stdout, (ctx.vars.ansible_facts ?? {}) as Vars);
  },
};
