/** Replica container names, `<stack>_<service>.<slot>.<hash8>`: made and read back (the name is the replica's identity). */

/** What a replica's name says. */
export interface ReplicaName {
  stack: string;
  service: string;
  slot: number;
  /** the first 8 hex digits of the service template's spec hash */
  hash8: string;
}

/** The name of a replica (slot 0 for a global service's one replica per node). */
export function replicaName(stack: string, service: string, slot: number, specHash: string): string {
  return `${stack}_${service}.${slot}.${specHash.slice(0, 8)}`;
}

/** Pure: reads a replica name with the stack it belongs to (stack names may hold `_`); undefined when not one. */
export function parseReplicaName(name: string, stack: string): ReplicaName | undefined {
  if (!name.startsWith(`${stack}_`)) return undefined;
  const m = /^(.+)\.(\d+)\.([0-9a-f]{8})$/.exec(name.slice(stack.length + 1));
  if (!m) return undefined;
  return { stack, service: m[1], slot: Number(m[2]), hash8: m[3] };
}

/** `web.3` for people (`web` for a global service's replica). */
export function slotLabel(service: string, slot: number): string {
  return slot === 0 ? service : `${service}.${slot}`;
}
