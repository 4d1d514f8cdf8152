/**
 * What a deploy changes on the swarm: from the stack's wanted objects and what the manager lists with the
 * stack's namespace label, the networks, secrets and configs to create, the services to create, update or
 * remove, and those left as they are. Pure.
 */
import { MusterError } from '../../../shared/errors.js';
import type { FileSpec, NetworkSpec, ServiceSpec } from './api-types.js';
import { DIGEST_LABEL } from './names.js';
import { specDifference } from './same-spec.js';
import type { SwarmStack } from './stack-spec.js';

/** A service as GET /services lists it. */
export interface ServiceObject {
  ID: string;
  Version: { Index: number };
  Spec: ServiceSpec;
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number };
  UpdateStatus?: { State?: string; Message?: string };
}

/** What the manager holds now: the stack's objects, and every network's ID -> name (specs name networks by ID). */
export interface Existing {
  services: ServiceObject[];
  networks: { Id: string; Name: string }[];
  secrets: { ID: string; Spec: { Name: string; Labels?: Record<string, string> } }[];
  configs: { ID: string; Spec: { Name: string; Labels?: Record<string, string> } }[];
}

/** One change, in the order it is made. */
export type Change =
  | { kind: 'network'; spec: NetworkSpec }
  | { kind: 'secret' | 'config'; spec: FileSpec }
  | { kind: 'create'; spec: ServiceSpec }
  | { kind: 'update'; spec: ServiceSpec; id: string; version: number; why: string }
  | { kind: 'remove'; name: string; id: string };

/** The changes, and the services already as wanted. */
export interface SwarmPlan {
  changes: Change[];
  unchanged: string[];
}

/** The plan from `wanted` to be made over `existing`. Throws when a secret or config changed (Swarm keeps them immutable). */
export function planSwarm(wanted: SwarmStack, existing: Existing): SwarmPlan {
  const changes: Change[] = [];
  const netNames = new Set(existing.networks.map((n) => n.Name));
  for (const n of wanted.networks) if (!netNames.has(n.Name)) changes.push({ kind: 'network', spec: n });
  for (const kind of ['secret', 'config'] as const) {
    const have = new Map((kind === 'secret' ? existing.secrets : existing.configs).map((o) => [o.Spec.Name, o.Spec.Labels?.[DIGEST_LABEL]]));
    for (const f of kind === 'secret' ? wanted.secrets : wanted.configs) {
      if (!have.has(f.Name)) changes.push({ kind, spec: f });
      else if (have.get(f.Name) !== f.Labels[DIGEST_LABEL])
        throw new MusterError('E_SCHEMA', `${kind} ${f.Name} changed, and Swarm cannot change a ${kind} in place`, {
          hint: `give it a new key in the stack file (e.g. ${f.Name.replace(`${wanted.name}_`, '')}_v2), or remove the stack first: muster rm --engine swarm ${wanted.name}`,
        });
    }
  }
  const byName = new Map(existing.services.map((s) => [s.Spec.Name, s]));
  const netName = new Map(existing.networks.map((n) => [n.Id, n.Name]));
  const unchanged: string[] = [];
  for (const spec of wanted.services) {
    const now = byName.get(spec.Name);
    if (!now) {
      changes.push({ kind: 'create', spec });
      continue;
    }
    const why = specDifference(comparable(spec), comparable(readable(now.Spec, netName)));
    if (why) changes.push({ kind: 'update', spec, id: now.ID, version: now.Version.Index, why: `Spec${why}` });
    else unchanged.push(spec.Name);
  }
  const names = new Set(wanted.services.map((s) => s.Name));
  for (const s of existing.services) if (!names.has(s.Spec.Name)) changes.push({ kind: 'remove', name: s.Spec.Name, id: s.ID });
  return { changes, unchanged };
}

/** A read-back spec with network IDs turned into names, as muster writes them. */
export function readable(spec: ServiceSpec, netName: Map<string, string>): ServiceSpec {
  const copy = structuredClone(spec);
  for (const n of copy.TaskTemplate.Networks ?? []) n.Target = netName.get(n.Target) ?? n.Target;
  return copy;
}

// Secret and config IDs are the manager's business: compare by name.
function comparable(spec: ServiceSpec): ServiceSpec {
  const copy = structuredClone(spec);
  for (const r of [...(copy.TaskTemplate.ContainerSpec.Secrets ?? []), ...(copy.TaskTemplate.ContainerSpec.Configs ?? [])]) {
    delete r.SecretID;
    delete r.ConfigID;
  }
  return copy;
}
