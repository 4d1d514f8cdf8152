/** Where a node's agent is, and which names its certificate carries: read off the host's variables. Pure. */
import { isIP } from 'node:net';
import type { Vars } from '../modules/types.js';

/** The agent's port unless a variable says otherwise. */
export const DEFAULT_AGENT_PORT = 7443;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The inventory name of the host whose variables these are. */
export function nodeName(vars: Vars, fallback: string): string {
  return str(vars.inventory_hostname) ?? fallback;
}

/** The address to dial: the argument, else muster_agent_address, else ansible_host, else the inventory name. */
export function agentAddress(vars: Vars, fallback: string, given?: unknown): string {
  return str(given) ?? str(vars.muster_agent_address) ?? str(vars.ansible_host) ?? nodeName(vars, fallback);
}

/** The port to dial: the argument, else muster_agent_port, else 7443; undefined when not a port number. */
export function agentPort(vars: Vars, given?: unknown): number | undefined {
  const v = given ?? vars.muster_agent_port ?? DEFAULT_AGENT_PORT;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * The subject alternative names of a node's certificate, in a stable order without repeats: the inventory
 * name, ansible_host, muster_agent_address, the default IPv4 address when facts were gathered, then `extra`.
 * Only the default route's address is taken from the facts: the others (docker0, cni0...) come and go.
 */
export function certNamesFor(vars: Vars, fallback: string, extra: unknown[] = []): string[] {
  const facts = (vars.ansible_default_ipv4 ?? (vars.ansible_facts as Vars | undefined)?.default_ipv4) as Vars | undefined;
  const candidates = [nodeName(vars, fallback), vars.ansible_host, vars.muster_agent_address, facts?.address, ...extra];
  const out: string[] = [];
  for (const c of candidates) {
    const s = str(c);
    if (!s) continue;
    const name = isIP(s) ? s : s.toLowerCase();
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Why a name cannot go into a certificate, or undefined when it can (an IP address, or a DNS name). */
export function badCertName(name: string): string | undefined {
  if (isIP(name)) return undefined;
  if (name.length > 253 || !/^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/i.test(name))
    return `"${name}" is neither an IP address nor a DNS name`;
  return undefined;
}
