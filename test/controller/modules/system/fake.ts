/**
 * A ModuleContext for module tests: either answers each exec from a list/function (unit tier), or runs the
 * script for real with dash in a temp directory (integration tier: proves the scripts are valid POSIX sh).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Script } from '../../../../controller/command.js';
import type { ArgSpecs, ModuleContext, Plan, Vars } from '../../../../controller/modules/types.js';
import type { ExecOptions, ExecResult } from '../../../../controller/transport/types.js';

export interface FakeContext extends ModuleContext {
  /** every script run, in order */
  scripts: Script[];
  /** stdin given to each exec (undefined when none) */
  stdins: (string | Buffer | undefined)[];
  puts: { dest: string; content: string; mode?: string; owner?: string; group?: string }[];
}

type Answer = Partial<ExecResult> | ((script: Script, i: number) => Partial<ExecResult>);

/** Runs a script with dash, the way a host would (cwd and HOME as given). */
export function dash(script: Script | string, opts: { cwd?: string; stdin?: string | Buffer; env?: Record<string, string> } = {}): ExecResult {
  const text = typeof script === 'string' ? script : script.text;
  const r = spawnSync('dash', ['-c', text], {
    cwd: opts.cwd,
    input: opts.stdin ?? '',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env },
    encoding: 'utf8',
  });
  return { rc: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

/** A context whose execs are answered by `answers` (one per call, the last one repeats) or run by dash. */
export function fakeContext(
  opts: { check?: boolean; answers?: Answer[]; local?: { cwd: string; env?: Record<string, string> }; vars?: Vars; clock?: number[] } = {},
): FakeContext {
  const scripts: Script[] = [];
  const stdins: (string | Buffer | undefined)[] = [];
  const puts: FakeContext['puts'] = [];
  const clock = [...(opts.clock ?? [])];
  let t = 1_700_000_000_000;
  const ctx: FakeContext = {
    host: 'h1',
    check: opts.check ?? false,
    diff: false,
    vars: opts.vars ?? {},
    scripts,
    stdins,
    puts,
    async exec(script: Script, o?: ExecOptions): Promise<ExecResult> {
      const i = scripts.length;
      scripts.push(script);
      stdins.push(o?.stdin);
      if (opts.local) return dash(script, { ...opts.local, stdin: o?.stdin });
      const list = opts.answers ?? [];
      const a = list[Math.min(i, list.length - 1)] ?? {};
      const got = typeof a === 'function' ? a(script, i) : a;
      return { rc: 0, stdout: '', stderr: '', ...got };
    },
    async put(content, dest, o) {
      puts.push({ dest, content: String(content), ...o });
      if (opts.local) writeFileSync(dest, content);
    },
    async get(path) {
      return readFileSync(path);
    },
    render: (template) => template,
    files: {
      read: async () => {
        throw new Error('no controller files in tests');
      },
      write: async () => undefined,
    },
    reconnect: async () => undefined,
    gatherFacts: async () => ({}),
    sleep: async () => undefined,
    now: () => (clock.length ? (clock.shift() as number) : (t += 1)),
  };
  return ctx;
}

/** Module arguments as the runner hands them over: defaults applied under the given ones. */
export function argsFor(m: { args: ArgSpecs }, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(m.args)) if (spec.default !== undefined) out[k] = spec.default;
  return { ...out, ...given };
}

/** What a plan would do, in the form the fixtures compare: the shown text of each exec step (the PATH line dropped), or `noop: reason` / `fail: msg`. */
export function outcome(p: Plan): string | string[] {
  if (p.kind === 'noop') return `noop: ${p.reason}`;
  if (p.kind === 'fail') return `fail: ${p.msg}`;
  return p.steps.map((s) =>
    'exec' in s
      ? s.exec.shown
          .split('\n')
          .filter((l) => !l.startsWith('PATH='))
          .join('\n')
      : `put ${s.put.dest}`,
  );
}

/** A probe's stdout built from sections, as the section() helper frames them. */
export function framed(sections: Record<string, string | [string, number]>): string {
  return Object.entries(sections)
    .map(([name, v]) => {
      const [text, rc] = typeof v === 'string' ? [v, 0] : v;
      return `@@muster:begin ${name}\n${text}@@muster:end ${rc}\n`;
    })
    .join('');
}
