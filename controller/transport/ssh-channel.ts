/** One SSH exec channel: feeding stdin, gathering output, killing on timeout. Used by ssh-session.ts only. */
import type { ClientChannel } from 'ssh2';
import type { RawOutcome } from './output.js';

// Feeds stdin, gathers output until the channel closes, or gives up after timeoutMs.
export function collect(ch: ClientChannel, stdin: Buffer | undefined, timeoutMs: number | undefined): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const out: RawOutcome = { code: null, signal: null, stdout: [], stderr: [] };
    let timer: NodeJS.Timeout | undefined;
    ch.on('data', (b: Buffer) => out.stdout.push(b));
    ch.stderr.on('data', (b: Buffer) => out.stderr.push(b));
    ch.on('exit', (code: number | null, signal?: string) => {
      out.code = code ?? null;
      out.signal = signal ?? null;
    });
    ch.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    ch.on('error', () => undefined); // a write after the remote closed: the exit status tells the story
    if (timeoutMs !== undefined && timeoutMs > 0) {
      timer = setTimeout(() => {
        out.timedOutMs = timeoutMs;
        kill(ch);
        // sshd holds the channel open until the process exits; do not wait for that.
        resolve(out);
      }, timeoutMs);
    }
    ch.end(stdin);
  });
}

// ssh2 1.17 sends a signal only while stdin is still open (mscdex/ssh2#1510), and ours is closed at once;
// so the request goes through the protocol object directly when it is there.
export function kill(ch: ClientChannel): void {
  const c = ch as unknown as { _client?: { _protocol?: { signal?(id: number, sig: string): void } }; outgoing?: { id: number; state: string } };
  try {
    const proto = c._client?._protocol;
    if (proto?.signal && c.outgoing && c.outgoing.state !== 'closed') proto.signal(c.outgoing.id, 'KILL');
    else ch.signal('KILL');
    ch.close();
  } catch {
    // the channel is already gone
  }
}
