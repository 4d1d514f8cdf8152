/**
 * The TLS side of talking to agents that every request shares: one context per fleet CA, and the keep-alive
 * pool the manager polls through.
 */
import { Agent } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';

const pools = new Map<string, Agent>();
const contexts = new Map<string, SecureContext>();
/** How long a pooled connection may stay idle. */
export const POOL_IDLE_MS = 5_000;

/**
 * The TLS context that trusts `ca` (one per CA, shared by every request to the fleet). A request given `ca`
 * alone builds a context of its own for its connection (the CA parsed, an OpenSSL context made and freed):
 * the thousands of connections of a manager starting with 1,000 nodes build one.
 */
export function fleetContext(ca: string): SecureContext {
  let context = contexts.get(ca);
  if (!context) contexts.set(ca, (context = createSecureContext({ ca })));
  return context;
}

/**
 * A keep-alive pool that trusts `ca` (one per CA, shared): a TLS handshake per node and not per request. The
 * manager polls through it; writes keep their own connections, so that a stale pooled socket never fails one.
 * A connection idle for POOL_IDLE_MS closes: a node polled each second keeps its own, a quiet node heard by
 * heartbeat (read a few times a minute) gives it back rather than hold its buffers for nothing.
 */
export function keepAliveAgent(ca: string): Agent {
  let pool = pools.get(ca);
  if (!pool) pools.set(ca, (pool = new Agent({ keepAlive: true, maxSockets: 2, maxFreeSockets: 1, secureContext: fleetContext(ca), timeout: POOL_IDLE_MS })));
  return pool;
}
