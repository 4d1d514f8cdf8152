/**
 * One long-lived remote shell on one channel: sends framed requests (shell-protocol.ts) one at a time
 * and turns the replies back into raw outcomes. Knows nothing of SSH beyond the channel's few methods.
 */
import type { RawOutcome } from './output.js';
import { encodeRequest, ReplyReader, type ShellFrame } from './shell-protocol.js';

/** What a shell needs from its channel; an ssh2 ClientChannel fits, and so does a local child in tests. */
export interface ShellChannel {
  write(data: Buffer): unknown;
  /** Closes the shell's stdin: the loop finishes and exits. */
  end(): unknown;
  /** Drops the channel at once, whatever runs in it. */
  close(): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  stderr: { on(event: string, listener: (...args: any[]) => void): unknown };
}

/**
 * The shell's channel closed. `exited` is false when it closed with no exit status: the peer is gone.
 * `ran` says whether the loop had acknowledged the pending command (if not, it never started).
 */
export class ShellGone extends Error {
  constructor(
    readonly exited: boolean,
    readonly code: number | null,
    readonly signal: string | null,
    readonly stderr: string,
    readonly ran: boolean,
  ) {
    super(exited ? `the remote shell exited (${signal ? `signal ${signal}` : `rc ${code}`})` : 'the remote shell lost its connection');
  }
}

/** What one exec asks of the shell. */
export interface ShellExec {
  script: Buffer;
  stdin?: Buffer;
  timeoutMs?: number;
}

interface Waiter {
  id?: number; // undefined: waiting for the ready line
  started: boolean;
  resolve(frame: ShellFrame): void;
  reject(err: Error): void;
}

/** A shell loop running on a channel; see the module comment. */
export class RemoteShell {
  /** Set once the channel closed or the shell was dropped; a dead shell takes no more requests. */
  dead = false;
  /** Set by the pool while an exec owns the shell. */
  busy = false;
  private readonly reader = new ReplyReader();
  private readonly errs: Buffer[] = [];
  private exit: { code: number | null; signal: string | null } | undefined;
  private waiter?: Waiter;
  private nextId = 1;
  private readonly started: Promise<void>;

  constructor(private readonly ch: ShellChannel) {
    ch.on('data', (b: Buffer) => this.onData(b));
    ch.stderr.on('data', (b: Buffer) => this.errs.push(b));
    ch.on('exit', (code: number | null, signal?: string) => {
      this.exit = { code: code ?? null, signal: signal ?? null };
    });
    ch.on('error', () => undefined); // a write after the remote closed: the close tells the story
    ch.on('close', () => this.onClose());
    this.started = this.await(undefined).then(() => undefined);
    this.started.catch(() => undefined); // a caller of ready() sees the failure; nobody else must
  }

  /** Resolves once the loop announced itself; rejects with ShellGone if it never started (sudo refused). */
  ready(): Promise<void> {
    return this.started;
  }

  /**
   * Runs one command. After timeoutMs the outcome is marked timed out (the loop's timeout(1) kills the
   * command at about the same moment); if no reply comes graceMs later, the shell is dropped instead.
   */
  async run(req: ShellExec, graceMs: number): Promise<RawOutcome> {
    if (this.dead) throw this.gone(false);
    const id = this.nextId++;
    const reply = this.await(id);
    let timedOutMs: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<undefined>((resolve) => {
      if (req.timeoutMs === undefined || req.timeoutMs <= 0) return;
      timer = setTimeout(() => {
        timedOutMs = req.timeoutMs;
        timer = setTimeout(() => resolve(undefined), graceMs);
      }, req.timeoutMs);
    });
    this.ch.write(encodeRequest({ id, ...req }));
    try {
      const frame = await Promise.race([reply, expired]);
      if (!frame) {
        this.drop();
        return { code: null, signal: null, stdout: [], stderr: [], timedOutMs };
      }
      if (frame.kind !== 'reply') throw new Error('unexpected ready line');
      return { code: frame.rc, signal: null, stdout: [frame.stdout], stderr: [frame.stderr], timedOutMs };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks the loop to finish (it removes its temp dir on the way out). */
  close(): void {
    this.dead = true;
    this.ch.end();
  }

  /** Drops the channel without waiting for whatever runs in it. */
  drop(): void {
    this.dead = true;
    this.waiter = undefined;
    try {
      this.ch.close();
    } catch {
      // already closed
    }
  }

  private await(id: number | undefined): Promise<ShellFrame> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(this.gone(false));
      this.waiter = { id, resolve, reject, started: false };
    });
  }

  private onData(b: Buffer): void {
    let frames: ShellFrame[];
    try {
      frames = this.reader.push(b);
    } catch (err) {
      // The stream lost its framing: nothing later on it can be trusted.
      const w = this.waiter;
      this.drop();
      w?.reject(err as Error);
      return;
    }
    for (const f of frames) {
      const w = this.waiter;
      const fits = w && (f.kind === 'ready' ? w.id === undefined : w.id === f.id && (f.kind === 'start') !== w.started);
      if (!w || !fits) {
        this.drop();
        w?.reject(new Error(`out-of-order ${f.kind} frame from the shell`));
        return;
      }
      if (f.kind === 'start') {
        w.started = true;
        continue;
      }
      this.waiter = undefined;
      w.resolve(f);
    }
  }

  private onClose(): void {
    this.dead = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.gone(w.started));
  }

  private gone(ran: boolean): ShellGone {
    const stderr = Buffer.concat(this.errs).toString('utf8');
    return new ShellGone(this.exit !== undefined, this.exit?.code ?? null, this.exit?.signal ?? null, stderr, ran);
  }
}
