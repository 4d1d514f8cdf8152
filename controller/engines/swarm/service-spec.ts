/**
 * A stack service as Swarm's `ServiceSpec`, as `docker stack deploy` makes it: named `STACK_service`, the
 * deploy labels plus the namespace and image labels, replicated or global, resources in NanoCPUs and bytes,
 * placement, update/rollback and restart policies, networks `STACK_key` with the service name as alias, and
 * ports on the routing mesh (or, written `mode: host`, on the nodes that run a task). Pure; muster's own checks and additions are in checks.ts.
 */
import type { Service, UpdateConfig as StackUpdate } from '../../stack/types.js';
import type { ServiceSpec, TaskSpec, UpdateConfig } from './api-types.js';
import { containerSpec } from './container-spec.js';
import { IMAGE_LABEL, ns, withStack } from './names.js';

/** The `ServiceSpec` of one service; `networkNames` maps the stack's network keys to their Docker names. */
export function serviceSpec(stack: string, s: Service, networkNames: Record<string, string>): ServiceSpec {
  const d = s.deploy;
  return {
    Name: `${stack}_${s.name}`,
    Labels: { ...withStack(stack, d.labels), [IMAGE_LABEL]: s.image },
    TaskTemplate: taskSpec(stack, s, networkNames),
    Mode: d.mode === 'global' ? { Global: {} } : { Replicated: { Replicas: d.replicas } },
    UpdateConfig: updateOf(d.update),
    RollbackConfig: updateOf(d.rollback),
    EndpointSpec: s.ports.length
      ? {
          Mode: d.endpointMode ?? 'vip',
          Ports: s.ports.map((p) => ({ Protocol: p.protocol, TargetPort: p.target, PublishedPort: p.published, PublishMode: p.mode ?? 'ingress' })),
        }
      : { Mode: d.endpointMode ?? 'vip' },
  };
}

function taskSpec(stack: string, s: Service, networkNames: Record<string, string>): TaskSpec {
  const d = s.deploy;
  const t: TaskSpec = {
    ContainerSpec: containerSpec(stack, s),
    Resources: {},
    RestartPolicy: restartOf(s),
    Placement: {},
  };
  const limits = { ...cpu(d.limits.cpus), ...memory(d.limits.memoryBytes), ...(d.limits.pids === undefined ? {} : { Pids: d.limits.pids }) };
  const reservations = { ...cpu(d.reservations.cpus), ...memory(d.reservations.memoryBytes) };
  if (Object.keys(limits).length) t.Resources.Limits = limits;
  if (Object.keys(reservations).length) t.Resources.Reservations = reservations;
  if (d.constraints.length) t.Placement.Constraints = d.constraints.map((c) => `${c.key}${c.op}${c.value}`);
  if (d.spread.length) t.Placement.Preferences = d.spread.map((key) => ({ Spread: { SpreadDescriptor: key } }));
  if (d.maxReplicasPerNode !== undefined) t.Placement.MaxReplicas = d.maxReplicasPerNode;
  if (s.networkMode === 'host' || s.networkMode === 'none') t.Networks = [{ Target: s.networkMode }];
  else if (s.networks.length)
    t.Networks = s.networks
      .map((n) => ({ Target: networkNames[n.key] ?? `${stack}_${n.key}`, Aliases: [s.name, ...n.aliases.filter((a) => a !== s.name)] }))
      .sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));
  if (s.logging) t.LogDriver = { Name: s.logging.driver, ...(Object.keys(s.logging.options).length ? { Options: { ...s.logging.options } } : {}) };
  return t;
}

const cpu = (cpus: number | undefined) => (cpus === undefined ? {} : { NanoCPUs: Math.round(cpus * 1e9) });
const memory = (bytes: number | undefined) => (bytes === undefined ? {} : { MemoryBytes: bytes });

/** `restart:` when written (deploy.restart_policy absent), else deploy.restart_policy with Swarm's defaults. */
function restartOf(s: Service): TaskSpec['RestartPolicy'] {
  if (s.restart !== undefined) {
    const condition = s.restart === 'no' ? 'none' : s.restart === 'on-failure' ? 'on-failure' : 'any';
    return { Condition: condition, Delay: ns(5), MaxAttempts: 0 };
  }
  const p = s.deploy.restartPolicy;
  const out: TaskSpec['RestartPolicy'] = { Condition: p.condition, Delay: ns(p.delayS), MaxAttempts: p.maxAttempts ?? 0 };
  if (p.windowS !== undefined) out.Window = ns(p.windowS);
  return out;
}

function updateOf(u: StackUpdate): UpdateConfig {
  return {
    Parallelism: u.parallelism,
    Delay: ns(u.delayS),
    FailureAction: u.failureAction,
    Monitor: ns(u.monitorS),
    MaxFailureRatio: u.maxFailureRatio,
    Order: u.order,
  };
}
