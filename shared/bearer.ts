/**
 * Token checks that take the same time whatever the guess: the agent's API and the manager's both use them
 * (the `Authorization: Bearer` header, and the manager's login form that sends the token in a body).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The shortest token an API accepts (one place: the token file check and the checker agree). */
export const MIN_TOKEN_LENGTH = 16;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * A checker for a candidate token against `token`. Both sides are hashed first, so the comparison runs on
 * equal-length digests and leaks neither the token's length nor a matching prefix.
 */
export function tokenChecker(token: string): (candidate: string | undefined) => boolean {
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`the API token must be at least ${MIN_TOKEN_LENGTH} characters`);
  const want = digest(token);
  // Without a candidate, compare anyway so that a missing one costs what a wrong one does.
  return (candidate) => timingSafeEqual(digest(candidate ?? ''), want) && candidate !== undefined && candidate !== '';
}

/** A checker for `Authorization` header values (`Bearer <token>`, the scheme in any case) against `token`. */
export function bearerChecker(token: string): (header: string | undefined) => boolean {
  const matches = tokenChecker(token);
  return (header) => {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    const ok = matches(m ? m[1] : undefined);
    return ok && m !== null;
  };
}
