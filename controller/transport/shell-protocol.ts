/**
 * The framing between muster and a long-lived remote shell: one channel runs a small POSIX sh loop that
 * reads requests from its stdin and writes replies to its stdout, so an exec costs a round trip instead
 * of a new SSH session. Pure: builds bytes and parses bytes, no I/O.
 *
 * Request: `ID SCRIPT_LEN STDIN_LEN TIMEOUT\n` then the script's bytes, then stdin's bytes (TIMEOUT is
 * seconds for timeout(1), or `-`). Lengths make the payload binary-safe: `head -c N` reads exactly N
 * bytes from a pipe. The loop acknowledges a request with `#MUSTER-START ID\n` just before it runs the
 * command (a shell that dies before that never ran it), then replies `#MUSTER ID RC OUT_LEN ERR_LEN\n`
 * followed by stdout's bytes and stderr's. It announces itself once with `#MUSTER-READY\n`, after sudo
 * (if any) let it start.
 */
import { sh, type Script } from '../command.js';

/** Text in the loop's command line, so tests and people can find the shell with pgrep. */
export const SHELL_TAG = 'muster-shell';

const READY = '#MUSTER-READY';
const START = '#MUSTER-START ';
const REPLY = '#MUSTER ';
/** A header longer than this is not ours: the stream lost its framing. */
const MAX_HEADER = 200;

// Each command runs as its own `sh` process, so its env, cwd, traps and `exit` never reach the loop or
// the next command. Output goes to files rather than the channel: stdout and stderr stay apart, and a
// daemon the command leaves behind holding its stdout cannot hold up the reply. timeout(1) runs the
// command in its own process group and kills all of it, which also reaches commands run as root by sudo.
// Both sizes come from one wc, run in the command substitution's subshell so its cd leaves the loop alone.
const LOOP = `# ${SHELL_TAG}: runs framed requests from stdin one at a time (muster's shell-protocol.ts)
d=$(mktemp -d) || exit 1
case $d in /*) ;; *) d=$PWD/$d ;; esac
trap 'rm -rf "$d"' EXIT
trap 'exit 129' HUP
trap 'exit 143' TERM
: >"$d/i"
printf '${READY}\\n'
while IFS=' ' read -r id n m t; do
  head -c "$n" >"$d/s" || exit 1
  if [ "$m" -gt 0 ]; then head -c "$m" >"$d/i" || exit 1; fi
  printf '${START}%s\\n' "$id"
  if [ "$t" = - ]; then sh "$d/s" <"$d/i" >"$d/o" 2>"$d/e"
  else timeout -s KILL "$t" sh "$d/s" <"$d/i" >"$d/o" 2>"$d/e"; fi
  rc=$?
  : >"$d/s"; : >"$d/i"
  set -- $(cd "$d" && wc -c o e)
  printf '${REPLY}%s %s %s %s\\n' "$id" "$rc" "$1" "$3"
  cat "$d/o" "$d/e"
done`;

/** The shell loop's source (see the module comment). */
export function shellLoop(): string {
  return LOOP;
}

/** The command line that starts a shell: as the login user, or through passwordless sudo as `becomeUser`. */
export function shellCommand(becomeUser?: string): Script {
  return becomeUser === undefined ? sh`sh -c ${LOOP}` : sh`sudo -H -n -u ${becomeUser} -- sh -c ${LOOP}`;
}

/** One command for the shell: the script (env and cd included) and its stdin. */
export interface ShellRequest {
  id: number;
  script: Buffer;
  stdin?: Buffer;
  timeoutMs?: number;
}

/** The request's bytes, ready to write to the shell's stdin. */
export function encodeRequest(req: ShellRequest): Buffer {
  const stdin = req.stdin ?? Buffer.alloc(0);
  const t = req.timeoutMs !== undefined && req.timeoutMs > 0 ? timeoutArg(req.timeoutMs) : '-';
  return Buffer.concat([Buffer.from(`${req.id} ${req.script.length} ${stdin.length} ${t}\n`), req.script, stdin]);
}

/** Milliseconds as timeout(1)'s seconds: `1.5`, `30`. */
export function timeoutArg(ms: number): string {
  return String(Math.max(1, Math.ceil(ms)) / 1000);
}

/** What the shell said: that it started, or one command's outcome. */
export type ShellFrame = { kind: 'ready' } | { kind: 'start'; id: number } | { kind: 'reply'; id: number; rc: number; stdout: Buffer; stderr: Buffer };

/** Turns the shell's stdout, in chunks split anywhere, into frames. Throws when the bytes are not ours. */
export class ReplyReader {
  private chunks: Buffer[] = [];
  private size = 0;
  private pending?: { id: number; rc: number; out: number; err: number };

  /** Takes the next chunk; returns every frame it completes, in order. */
  push(chunk: Buffer): ShellFrame[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const frames: ShellFrame[] = [];
    for (let f = this.next(); f; f = this.next()) frames.push(f);
    return frames;
  }

  private next(): ShellFrame | undefined {
    if (!this.pending) {
      const buf = this.take(this.size);
      const nl = buf.indexOf(10);
      if (nl < 0) {
        if (buf.length > MAX_HEADER) throw new Error(`unexpected output from the shell: ${preview(buf)}`);
        this.keep(buf);
        return undefined;
      }
      const line = buf.subarray(0, nl).toString('latin1');
      this.keep(buf.subarray(nl + 1));
      if (line === READY) return { kind: 'ready' };
      if (line.startsWith(START) && /^\d+$/.test(line.slice(START.length))) return { kind: 'start', id: Number(line.slice(START.length)) };
      const m = line.startsWith(REPLY) ? /^(\d+) (\d+) (\d+) (\d+)$/.exec(line.slice(REPLY.length)) : null;
      if (!m) throw new Error(`unexpected output from the shell: ${preview(buf.subarray(0, nl))}`);
      this.pending = { id: Number(m[1]), rc: Number(m[2]), out: Number(m[3]), err: Number(m[4]) };
    }
    const p = this.pending;
    if (this.size < p.out + p.err) return undefined;
    const buf = this.take(this.size);
    this.keep(buf.subarray(p.out + p.err));
    this.pending = undefined;
    return { kind: 'reply', id: p.id, rc: p.rc, stdout: buf.subarray(0, p.out), stderr: buf.subarray(p.out, p.out + p.err) };
  }

  // All buffered bytes as one Buffer (concatenated only once a frame can complete).
  private take(n: number): Buffer {
    const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, n);
    this.chunks = [];
    this.size = 0;
    return buf;
  }

  private keep(rest: Buffer): void {
    if (rest.length) {
      this.chunks = [rest];
      this.size = rest.length;
    }
  }
}

function preview(b: Buffer): string {
  return JSON.stringify(b.subarray(0, 60).toString('utf8'));
}
