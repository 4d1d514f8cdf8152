/** Bearer-token checks that take the same time whatever the guess. */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The shortest token the agent accepts (one place: the token file check and the checker agree). */
export const MIN_TOKEN_LENGTH = 16;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * A checker for `Authorization` header values against `token`. Both sides are hashed first, so the
 * comparison runs on equal-length digests and leaks neither the token's length nor a matching prefix.
 */
export function bearerChecker(token: string): (header: string | undefined) => boolean {
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`the API token must be at least ${MIN_TOKEN_LENGTH} characters`);
  const want = digest(token);
  return (header) => {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    // Without a token, compare anyway so that a missing header costs what a wrong one does.
    const got = digest(m ? m[1] : '');
    return timingSafeEqual(got, want) && m !== null;
  };
}
