/** The controller machine itself as a host (`ansible_connection: local`): `/bin/sh -c`, no SSH. */
import { spawn } from 'node:child_process';
import type { Script, Secret } from '../command.js';
import { MusterError } from '../../shared/errors.js';
import { toExecResult, type RawOutcome } from './output.js';
import type { Become, ExecOptions, ExecResult, Transport } from './types.js';
import { newRunId, reapScript, tagScript, wrapCommand } from './wrap.js';

/** How long a timed-out command gets between SIGTERM (which sudo relays) and SIGKILL. */
const KILL_GRACE_MS = 2000;
/** How long cleaning up after a timed-out command may take. */
const REAP_TIMEOUT_MS = 10_000;

/** Runs scripts on this machine with the same wrapping (sudo, env, cwd) as over SSH. */
export class LocalTransport implements Transport {
  constructor(
    readonly host: string,
    private readonly opts: { becomePassword?: Secret; uid?: number } = {},
  ) {}

  /** Nothing to open: the shell is right here. */
  async connect(): Promise<void> {}

  /** Runs the script under /bin/sh; see Transport.exec. */
  async exec(script: Script, opts: ExecOptions = {}): Promise<ExecResult> {
    const become = this.become(opts.become);
    const runId = become && opts.timeoutMs ? newRunId() : undefined;
    const wrapped = wrapCommand(runId ? tagScript(script, runId) : script, { ...opts, become });
    const raw = await run(wrapped.script.text, wrapped.stdin, opts.timeoutMs, this.host);
    if (raw.timedOutMs !== undefined && runId) {
      // A command sudo runs as another user is out of reach of our signals: sudo kills it, by tag.
      const reap = wrapCommand(reapScript(runId), { become });
      await run(reap.script.text, reap.stdin, REAP_TIMEOUT_MS, this.host).catch(() => undefined);
    }
    return toExecResult(raw, { host: this.host, become, marker: wrapped.marker });
  }

  /** Nothing to drop. */
  async reset(): Promise<void> {}

  /** Nothing to close. */
  async close(): Promise<void> {}

  // Root becoming root needs no sudo (which may not even be installed, e.g. in a container).
  private become(b: Become | undefined): Become | undefined {
    if (!b) return undefined;
    const user = b.user || 'root';
    const uid = this.opts.uid ?? process.getuid?.();
    if (uid === 0 && user === 'root') return undefined;
    return { user, password: b.password ?? this.opts.becomePassword };
  }
}

function run(line: string, stdin: Buffer | undefined, timeoutMs: number | undefined, host: string): Promise<RawOutcome> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout can stop the whole tree the script started.
    const child = spawn('/bin/sh', ['-c', line], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: RawOutcome = { code: null, signal: null, stdout: [], stderr: [] };
    const timers: NodeJS.Timeout[] = [];
    child.stdout.on('data', (b: Buffer) => out.stdout.push(b));
    child.stderr.on('data', (b: Buffer) => out.stderr.push(b));
    // A command that never reads its stdin closes the pipe under us: not an error of ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
    child.on('error', (err) => {
      timers.forEach(clearTimeout);
      reject(new MusterError('E_UNREACHABLE', `cannot run /bin/sh: ${err.message}`, { host, cause: err }));
    });
    child.on('exit', (code, signal) => {
      out.code = code;
      out.signal = signal;
      if (out.timedOutMs !== undefined) {
        // Children of the killed shell may ignore SIGTERM or hold the pipes open; do not wait for them.
        killGroup(child.pid, 'SIGKILL');
        child.stdout.destroy();
        child.stderr.destroy();
        timers.forEach(clearTimeout);
        resolve(out);
      }
    });
    child.on('close', () => {
      timers.forEach(clearTimeout);
      resolve(out);
    });
    if (timeoutMs !== undefined && timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          out.timedOutMs = timeoutMs;
          killGroup(child.pid, 'SIGTERM');
          timers.push(setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS));
        }, timeoutMs),
      );
    }
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
