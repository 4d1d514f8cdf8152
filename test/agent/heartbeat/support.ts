/** What the heartbeat sender's tests share: the token and nonces, a registration, a log that keeps its lines. */
import type { HeartbeatRequest } from '../../../shared/heartbeat.js';

export const TOKEN = 'agent-token-0123456789abcdef';
export const NONCE_A = 'nonce-A-0123456789abcdef';
export const NONCE_B = 'nonce-B-0123456789abcdef';
export const INTERVAL = 25; // the sender takes any interval; the API's 200 ms floor is the route's to keep

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const request = (port: number, over: Partial<HeartbeatRequest> = {}): HeartbeatRequest => ({
  node: 'pi4-a',
  port,
  nonce: NONCE_A,
  intervalMs: INTERVAL,
  ...over,
});

/** Log lines, by level. */
export function recordLog() {
  const lines: { level: 'info' | 'warn'; msg: string }[] = [];
  return { lines, log: { info: (msg: string) => lines.push({ level: 'info', msg }), warn: (msg: string) => lines.push({ level: 'warn', msg }) } };
}
