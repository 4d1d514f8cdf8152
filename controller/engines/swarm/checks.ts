/**
 * muster's checks before a stack goes to Swarm: what Swarm would get wrong, and what muster does about it.
 *
 * - A memory limit is only a limit where the kernel enforces it: muster adds the placement constraint
 *   `node.labels.muster.memory-enforced==true` (the swarm playbook labels every node from its agent's report).
 * - Swarm places by reservations alone, so a limit without a reservation counts as nothing and replicas pile
 *   onto one node past its memory. muster adds the reservation, equal to the limit: what its own scheduler
 *   counts, so the same stack is placed the same way on both engines (a warning would leave the overcommit).
 * - Swarm services have no devices and no privileged mode (`docker stack deploy` drops them with a notice and
 *   the container starts without its device): refused, with the reason. So is `endpoint_mode: dnsrr` with
 *   ports on the routing mesh, which Docker refuses only when the service is created.
 * - A named volume stays on the node where a replica first ran; Swarm does not follow it: a warning.
 * - What Swarm has no place for is said, not dropped: a port's host_ip (published on every address) and
 *   the container key `restart:` (`docker stack deploy` ignores it with a notice; muster reads it as the
 *   restart policy's condition and says so).
 * Pure: the stack and its Swarm specs in, the adjusted specs and what was done out.
 */
import { MusterError, type Pos } from '../../../shared/errors.js';
import type { Stack } from '../../stack/types.js';
import type { SwarmStack } from './stack-spec.js';

/** The node label the swarm playbook sets from the agent's report. */
export const ENFORCED_LABEL = 'muster.memory-enforced';
/** The constraint muster adds to memory-limited services. */
export const ENFORCED_CONSTRAINT = `node.labels.${ENFORCED_LABEL}==true`;

/** Something muster changed or wants the user to know, for one service. */
export interface Finding {
  service: string;
  kind: 'added' | 'warning';
  message: string;
  pos?: Pos;
}

/** The checked stack: adjusted specs, findings, and the services refused (the deploy stops when any is). */
export interface Checked {
  swarm: SwarmStack;
  findings: Finding[];
  refused: MusterError[];
}

/** Runs muster's checks over `swarm`, the specs made from `stack`; returns adjusted copies. */
export function checkForSwarm(stack: Stack, swarm: SwarmStack): Checked {
  const findings: Finding[] = [];
  const refused: MusterError[] = [];
  const services = swarm.services.map((spec, i) => {
    const s = stack.services[i];
    const out = structuredClone(spec);
    const tell = (kind: Finding['kind'], message: string) => findings.push({ service: s.name, kind, message, pos: s.pos });
    const refuse = (what: string, why: string, hint: string) =>
      refused.push(new MusterError('E_SCHEMA', `service ${s.name}: ${what} cannot run on Swarm: ${why}`, { pos: s.pos, hint }));

    if (s.devices.length)
      refuse(
        `devices (${s.devices.map((d) => d.host).join(', ')})`,
        'Swarm services have no devices; docker stack deploy drops them and the container starts without them',
        'deploy this stack with muster (no --engine swarm), or move the service that needs the device to a stack of its own deployed that way',
      );
    if (s.privileged)
      refuse(
        'privileged: true',
        'Swarm services have no privileged mode; docker stack deploy drops it and the container runs unprivileged',
        'deploy this stack with muster (no --engine swarm), or grant the capabilities it needs with cap_add',
      );
    const ingress = s.ports.filter((p) => p.mode !== 'host');
    if (s.deploy.endpointMode === 'dnsrr' && ingress.length)
      refuse(
        `endpoint_mode: dnsrr with port ${ingress.map((p) => `${p.published}:${p.target}`).join(', ')} on the routing mesh (ingress)`,
        'Docker refuses it (the routing mesh needs a virtual IP), and docker stack deploy would fail only when it creates the service',
        'publish those ports in host mode (long syntax: target, published, mode: host), or drop endpoint_mode: dnsrr',
      );
    if (s.networkMode === 'bridge')
      refuse(
        'network_mode: bridge',
        'Swarm services join overlay networks, not the default bridge',
        'remove network_mode: the service joins the stack network',
      );

    const res = out.TaskTemplate.Resources;
    const limit = res.Limits?.MemoryBytes;
    if (limit !== undefined) {
      const placement = out.TaskTemplate.Placement;
      const constraints = placement.Constraints ?? [];
      if (!constraints.some((c) => c.replace(/\s+/g, '').startsWith(`node.labels.${ENFORCED_LABEL}`))) {
        placement.Constraints = [...constraints, ENFORCED_CONSTRAINT];
        tell('added', `constraint ${ENFORCED_CONSTRAINT}: its memory limit is enforced only on nodes whose kernel has the memory cgroup`);
      }
      if (res.Reservations?.MemoryBytes === undefined) {
        res.Reservations = { ...res.Reservations, MemoryBytes: limit };
        tell('added', `memory reservation ${limit} bytes (its limit): Swarm places by reservations only and would overcommit the node`);
      }
    }
    const bound = s.ports.filter((p) => p.hostIp !== undefined);
    if (bound.length)
      tell(
        'warning',
        `host_ip of port ${bound.map((p) => `${p.hostIp}:${p.published}`).join(', ')} ignored: Swarm has no host address for a port, it publishes on every address of the node`,
      );
    if (s.restart !== undefined) tell('warning', restartNote(s.restart, out.TaskTemplate.RestartPolicy.Condition));
    const volumes = s.mounts.filter((m) => m.type === 'volume').map((m) => m.source);
    if (volumes.length)
      tell(
        'warning',
        `named volume ${volumes.join(', ')} stays on the node where a replica first ran; Swarm may start it elsewhere with an empty volume (pin it with a constraint such as node.hostname==NAME)`,
      );
    return out;
  });
  return { swarm: { ...swarm, services }, findings, refused };
}

// `restart:` is a container key; a Swarm task has only the service's restart policy.
function restartNote(restart: string, condition: string): string {
  const stopped = restart === 'unless-stopped' ? ' (a task stopped by hand is replaced too)' : '';
  return `restart: ${restart} is a container key Swarm does not have: muster sets the restart policy's condition ${condition}${stopped}; write deploy.restart_policy to say it in Swarm's terms`;
}
