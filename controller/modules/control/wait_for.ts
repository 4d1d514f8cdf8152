/** wait_for: waits on the target for a port to open or close, or a file to appear (with a match) or go away. */
import type { Args, ModuleResult } from '../types.js';
import { secondsBetween, type ControlModule } from './spec.js';
import { WAIT_MARK, waitForScript, type WaitSpec } from './wait_for_script.js';

const UP = new Set(['started', 'present']);

/** Load-time check of argument combinations. */
export function checkWaitFor(args: Args): string | undefined {
  if (args.port !== undefined && args.path !== undefined) return 'port and path are mutually exclusive: wait for one thing per task';
  if (args.state === 'drained') return 'state=drained (waiting for connections to drain) is not supported by muster';
  if (args.search_regex !== undefined && args.path === undefined) {
    return 'search_regex works with path only in muster (reading from a port is not supported)';
  }
  if (args.search_regex !== undefined && (args.state === 'absent' || args.state === 'stopped')) {
    return 'search_regex needs state=present or started';
  }
  return undefined;
}

/** The wait to run, or undefined when there is nothing to check (then wait_for only sleeps). */
export function waitSpec(args: Args): WaitSpec | undefined {
  if (args.port === undefined && args.path === undefined) return undefined;
  return {
    kind: args.port !== undefined ? 'port' : 'path',
    want: UP.has(String(args.state ?? 'started')) ? 'up' : 'down',
    host: String(args.host ?? '127.0.0.1'),
    port: args.port === undefined ? undefined : Number(args.port),
    path: args.path === undefined ? undefined : String(args.path),
    searchRegex: args.search_regex === undefined ? undefined : String(args.search_regex),
    timeout: Number(args.timeout ?? 300),
    delay: Number(args.delay ?? 0),
    sleep: Number(args.sleep ?? 1),
    connectTimeout: Number(args.connect_timeout ?? 5),
  };
}

/** Ansible's message for a wait that ran out of time. */
export function timeoutMessage(spec: WaitSpec): string {
  if (spec.kind === 'port') {
    return spec.want === 'up' ? `Timeout when waiting for ${spec.host}:${spec.port}` : `Timeout when waiting for ${spec.host}:${spec.port} to stop.`;
  }
  if (spec.want === 'down') return `Timeout when waiting for ${spec.path} to be absent.`;
  return spec.searchRegex !== undefined
    ? `Timeout when waiting for search string ${spec.searchRegex} in ${spec.path}`
    : `Timeout when waiting for file ${spec.path}`;
}

/** Groups of the search regex in the matched line (Python's `(?P<name>` is JavaScript's `(?<name>`). */
export function matchGroups(regex: string, line: string): { match_groups: string[]; match_groupdict: Record<string, string> } {
  try {
    const m = new RegExp(regex.replace(/\(\?P</g, '(?<'), 'm').exec(line);
    return { match_groups: m ? m.slice(1).map((g) => g ?? '') : [], match_groupdict: { ...(m?.groups ?? {}) } };
  } catch {
    return { match_groups: [], match_groupdict: {} };
  }
}

/** Pure: the module result from the loop's output. */
export function waitResult(spec: WaitSpec, args: Args, out: { rc: number; stdout: string; stderr: string }): ModuleResult {
  const lines = out.stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${WAIT_MARK} `));
  const [, outcome = '', secs = '0'] = at >= 0 ? lines[at].split(' ') : [];
  const data: Record<string, unknown> = {
    elapsed: Number(secs) || 0,
    state: args.state ?? 'started',
    ...(spec.kind === 'port' ? { port: spec.port, host: spec.host } : { path: spec.path }),
  };
  if (outcome === 'ok') {
    if (spec.searchRegex !== undefined) Object.assign(data, { search_regex: spec.searchRegex }, matchGroups(spec.searchRegex, lines[at + 1] ?? ''));
    return { changed: false, data };
  }
  const custom = typeof args.msg === 'string' ? args.msg : undefined;
  if (outcome === 'timeout') return { changed: false, failed: true, msg: custom ?? timeoutMessage(spec), data };
  if (outcome === 'nocheck') {
    return {
      changed: false,
      failed: true,
      msg: `cannot check ${spec.host}:${spec.port} from the target: it has neither nc nor bash; install netcat-openbsd there, or wait for a port on the target itself`,
      data,
    };
  }
  const why = (out.stderr.trim() || out.stdout.trim() || `exit code ${out.rc}`).split('\n').slice(-3).join('\n');
  return { changed: false, failed: true, msg: `wait_for could not run its check: ${why}`, data: { ...data, rc: out.rc, stderr: out.stderr } };
}

/** The wait_for module. */
export const waitFor: ControlModule = {
  name: 'wait_for',
  summary:
    'Waits on the target for a TCP `port` on `host` (started/stopped) or a `path` (present/absent, optionally matching `search_regex`); with neither, sleeps `timeout` seconds.',
  args: {
    host: { type: 'str', default: '127.0.0.1' },
    port: { type: 'int' },
    path: { type: 'path' },
    state: { type: 'str', default: 'started', choices: ['started', 'stopped', 'present', 'absent', 'drained'] },
    search_regex: { type: 'str' },
    timeout: { type: 'int', default: 300 },
    delay: { type: 'int', default: 0 },
    sleep: { type: 'int', default: 1 },
    connect_timeout: { type: 'int', default: 5 },
    msg: { type: 'str' },
  },
  checkMode: true,
  validate: checkWaitFor,
  async run(args, ctx) {
    const problem = checkWaitFor(args);
    if (problem) return { changed: false, failed: true, msg: problem };
    const spec = waitSpec(args);
    if (!spec) {
      // Nothing to watch: Ansible sleeps for delay + timeout and succeeds.
      const start = ctx.now();
      await ctx.sleep((Number(args.delay ?? 0) + Number(args.timeout ?? 300)) * 1000);
      return { changed: false, data: { elapsed: secondsBetween(start, ctx.now()) } };
    }
    // The loop enforces the timeout itself; the transport's limit is only a backstop for a hung host.
    const out = await ctx.exec(waitForScript(spec), { timeoutMs: (spec.delay + spec.timeout + spec.connectTimeout + 30) * 1000 });
    return waitResult(spec, args, out);
  },
};
