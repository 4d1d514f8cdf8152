/** Agent API tokens: random, URL-safe, long enough that guessing is hopeless. */
import { randomBytes } from 'node:crypto';

/** Shortest token the controller accepts from its state directory (the agent itself accepts 16). */
export const TOKEN_MIN_LENGTH = 32;

/** A new token: 32 random bytes in base64url, 43 characters. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a stored token is usable: one word of TOKEN_MIN_LENGTH characters or more. */
export function validToken(token: string): boolean {
  return token.length >= TOKEN_MIN_LENGTH && /^[A-Za-z0-9._~+/=-]+$/.test(token);
}
