/** Turning what a finished command left behind into an ExecResult, the same way for every transport. */
import { constants } from 'node:os';
import type { Become, ExecResult } from './types.js';
import { becomeFailure, stripPrompt } from './wrap.js';

/** The raw outcome of one command: exit code or signal, output bytes, and whether muster killed it. */
export interface RawOutcome {
  code: number | null;
  signal: string | null;
  stdout: Buffer[];
  stderr: Buffer[];
  timedOutMs?: number; // set when muster killed the command for running too long
}

/** The exit code timeout(1) uses, so scripts and people read it the same way. */
export const TIMEOUT_RC = 124;

/** Decodes the output, strips sudo's prompt, and throws E_BECOME when sudo itself refused. */
export function toExecResult(raw: RawOutcome, ctx: { host: string; become?: Become; marker?: string }): ExecResult {
  const stdout = Buffer.concat(raw.stdout).toString('utf8');
  let stderr = stripPrompt(Buffer.concat(raw.stderr).toString('utf8'), ctx.marker);
  if (raw.timedOutMs !== undefined) {
    const note = `muster: command timed out after ${formatMs(raw.timedOutMs)} and was killed`;
    stderr = stderr === '' || stderr.endsWith('\n') ? `${stderr}${note}\n` : `${stderr}\n${note}\n`;
    return { rc: TIMEOUT_RC, stdout, stderr };
  }
  const rc = raw.code ?? signalRc(raw.signal);
  const refused = becomeFailure(rc, stderr, ctx.become, ctx.host);
  if (refused) throw refused;
  return { rc, stdout, stderr };
}

// A shell reports death by signal N as 128 + N.
function signalRc(signal: string | null): number {
  if (!signal) return 255;
  const name = (signal.startsWith('SIG') ? signal : `SIG${signal}`) as keyof typeof constants.signals;
  const n = constants.signals[name];
  return n === undefined ? 255 : 128 + n;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
