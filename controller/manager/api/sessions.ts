/**
 * The dashboard's sessions: a random id in an HttpOnly, Secure, SameSite=Strict cookie, kept in memory (as
 * its SHA-256: a memory dump holds no usable id) until it expires or the person logs out. A manager restart
 * logs everyone out, which is fine: the token logs them in again. The clock is given, for tests.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The cookie's name. */
export const SESSION_COOKIE = 'muster_session';
/** How long a session lasts from login. */
export const SESSION_TTL_MS = 12 * 3600_000;
/** Sessions kept at most: the oldest goes first (a login loop cannot fill the memory). */
export const MAX_SESSIONS = 1000;

const ID = /^[A-Za-z0-9_-]{43}$/;
const hash = (id: string): string => createHash('sha256').update(id).digest('base64url');

/** Sessions in memory. */
export class Sessions {
  // hash of the id -> expiry (ms); a Map keeps insertion order, so the first key is the oldest
  private readonly live = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {}

  /** A new session: its id (for the cookie only) and when it expires. */
  open(): { id: string; expiresMs: number } {
    this.sweep();
    while (this.live.size >= MAX_SESSIONS) this.live.delete(this.live.keys().next().value as string);
    const id = randomBytes(32).toString('base64url');
    const expiresMs = this.now() + this.ttlMs;
    this.live.set(hash(id), expiresMs);
    return { id, expiresMs };
  }

  /** Whether `id` names a live session (an expired one is forgotten). */
  valid(id: string | undefined): boolean {
    if (id === undefined || !ID.test(id)) return false;
    const k = hash(id);
    const expires = this.live.get(k);
    if (expires === undefined) return false;
    if (expires <= this.now()) {
      this.live.delete(k);
      return false;
    }
    return true;
  }

  /** Ends a session (nothing happens for an unknown id). */
  close(id: string | undefined): void {
    if (id !== undefined && ID.test(id)) this.live.delete(hash(id));
  }

  /** Sessions alive now. */
  get size(): number {
    this.sweep();
    return this.live.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, expires] of this.live) if (expires <= now) this.live.delete(k);
  }
}

/** The value of cookie `name` in a Cookie header, if there. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The Set-Cookie value that gives the browser a session (or, with no id, takes it away). */
export function sessionCookie(id: string | undefined, maxAgeS: number): string {
  return `${SESSION_COOKIE}=${id ?? ''}; Path=/; Max-Age=${id === undefined ? 0 : maxAgeS}; HttpOnly; Secure; SameSite=Strict`;
}

/**
 * Wrong credentials counted per client address in a fixed window: past `limit` in `windowMs`, the client
 * is told to wait (429) whatever it sends, which makes guessing a 256-bit token hopeless and cheap to refuse.
 */
export class FailureLimit {
  private readonly counts = new Map<string, { start: number; n: number }>();

  constructor(
    private readonly now: () => number,
    private readonly limit = 20,
    private readonly windowMs = 60_000,
  ) {}

  /** Seconds to wait before trying again, or 0 when `address` may try now. */
  waitS(address: string): number {
    const c = this.counts.get(address);
    if (!c) return 0;
    const left = c.start + this.windowMs - this.now();
    if (left <= 0) {
      this.counts.delete(address);
      return 0;
    }
    return c.n >= this.limit ? Math.ceil(left / 1000) : 0;
  }

  /** Counts one wrong credential from `address`. */
  failed(address: string): void {
    const now = this.now();
    const c = this.counts.get(address);
    if (!c || c.start + this.windowMs <= now) {
      // an old entry per address at most: drop the expired ones now and then
      if (this.counts.size > 10_000) for (const [k, v] of this.counts) if (v.start + this.windowMs <= now) this.counts.delete(k);
      this.counts.set(address, { start: now, n: 1 });
    } else c.n++;
  }
}
