/**
 * The long-lived shells of one connection, keyed by who they run as (the login user, or a become user
 * through passwordless sudo). At most `max` shells in all, so that they and the one-off channels stay
 * under sshd's MaxSessions; an exec waits for a free shell rather than opening a session beyond that.
 */
import { type RemoteShell, ShellGone } from './shell.js';

/** Opens and starts one shell (resolved once it is ready); rejects with ShellGone if it cannot start. */
export type ShellOpener = (becomeUser: string | undefined) => Promise<RemoteShell>;

/** See the module comment. */
export class ShellPool {
  private readonly shells = new Map<string, RemoteShell[]>();
  /** Users whose shell would not start (sudo wants a password, say): their execs take the one-off path. */
  private readonly refused = new Set<string>();
  private opening = 0;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly open: ShellOpener,
    private readonly max: number,
  ) {}

  /**
   * Runs fn on a free shell for this user, opening one if there is room. Resolves undefined (fn not run)
   * when no shell can serve this user: the caller then uses the one-off path.
   */
  async use<T>(becomeUser: string | undefined, fn: (shell: RemoteShell) => Promise<T>): Promise<{ value: T } | undefined> {
    const shell = await this.acquire(becomeUser);
    if (!shell) return undefined;
    try {
      return { value: await fn(shell) };
    } finally {
      shell.busy = false;
      this.wake();
    }
  }

  /** How many shells are open now (all users). */
  get size(): number {
    return [...this.shells.values()].reduce((n, list) => n + list.filter((s) => !s.dead).length, 0);
  }

  /** Closes every shell; later calls to use() resolve undefined. */
  close(): void {
    this.closed = true;
    for (const list of this.shells.values()) for (const s of list) s.close();
    this.shells.clear();
    this.wake();
  }

  private async acquire(becomeUser: string | undefined): Promise<RemoteShell | undefined> {
    const key = becomeUser ?? '';
    for (;;) {
      if (this.closed || this.refused.has(key)) return undefined;
      this.prune();
      const mine = this.shells.get(key) ?? [];
      const idle = mine.find((s) => !s.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.size + this.opening < this.max) return this.start(key, becomeUser);
      // Full: make room by closing another user's idle shell, else wait for one to come free.
      const other = [...this.shells.values()].flat().find((s) => !s.busy);
      if (other) other.close();
      else await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private async start(key: string, becomeUser: string | undefined): Promise<RemoteShell | undefined> {
    this.opening++;
    try {
      const shell = await this.open(becomeUser);
      shell.busy = true;
      if (this.closed) {
        shell.close();
        return undefined;
      }
      this.shells.set(key, [...(this.shells.get(key) ?? []), shell]);
      return shell;
    } catch (err) {
      // A shell that exited on its own (sudo refused, no mktemp) will not do better next time.
      if (err instanceof ShellGone && err.exited) {
        this.refused.add(key);
        return undefined;
      }
      throw err;
    } finally {
      this.opening--;
      this.wake();
    }
  }

  private prune(): void {
    for (const [key, list] of this.shells) {
      const live = list.filter((s) => !s.dead);
      if (live.length) this.shells.set(key, live);
      else this.shells.delete(key);
    }
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
