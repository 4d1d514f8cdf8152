/**
 * Placement on Kubernetes: Swarm-style constraints become a nodeSelector (==) and required node affinity
 * (!=), spread preferences become soft topology spread constraints, and max_replicas_per_node: 1 becomes a
 * required pod anti-affinity on the hostname. What has no Kubernetes meaning is refused with the reason.
 */
import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import type { INodeSelectorRequirement } from 'kubernetes-models/v1/NodeSelectorRequirement';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import type { Constraint, Service } from '../../stack/types.js';
import { validLabelKey, validLabelValue } from './names.js';
import { about, type Notes } from './notes.js';

/** The node label saying the node's kernel enforces memory limits (set from the agents' reports: node-labels.ts). */
export const MEMORY_ENFORCED = 'muster.memory-enforced';

/** The label k3s puts on server (control-plane) nodes; agents lack it. */
export const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
export const HOSTNAME = 'kubernetes.io/hostname';

/** Swarm (uname -m) architecture names to the GOARCH names Kubernetes labels nodes with. */
const ARCH: Record<string, string> = { x86_64: 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64', armv7l: 'arm', armhf: 'arm', arm: 'arm' };

/** The pod spec fields placement sets. */
export interface PodPlacement {
  nodeSelector?: Record<string, string>;
  affinity?: IAffinity;
  topologySpreadConstraints?: ITopologySpreadConstraint[];
}

/** One constraint as a node selector requirement, or the reason it does not map. */
export function requirementOf(c: Constraint): INodeSelectorRequirement | string {
  const eq = c.op === '==';
  if (c.key === 'node.role') {
    if (c.value !== 'manager' && c.value !== 'worker') return `"${c.text}": node.role is manager or worker`;
    // k3s labels its servers control-plane=true; a Swarm manager is a k3s server
    const onServers = (c.value === 'manager') === eq;
    return { key: CONTROL_PLANE, operator: onServers ? 'Exists' : 'DoesNotExist' };
  }
  let key: string;
  let value = c.value;
  if (c.key === 'node.hostname') key = HOSTNAME;
  else if (c.key === 'node.platform.os') key = 'kubernetes.io/os';
  else if (c.key === 'node.platform.arch') {
    key = 'kubernetes.io/arch';
    value = ARCH[c.value.toLowerCase()] ?? c.value;
  } else if (c.key.startsWith('node.labels.')) key = c.key.slice('node.labels.'.length);
  else return `"${c.text}": ${c.key} has no Kubernetes node label (constraints on node.hostname, node.role, node.platform.* and node.labels.* map)`;
  if (!validLabelKey(key)) return `"${c.text}": "${key}" is not a valid Kubernetes label key`;
  if (!validLabelValue(value)) return `"${c.text}": "${value}" is not a valid Kubernetes label value (63 characters of letters, digits, -, _ and .)`;
  return { key, operator: eq ? 'In' : 'NotIn', values: [value] };
}

/** The topology key of a spread preference, or undefined when it has none. */
export function topologyKeyOf(spread: string): string | undefined {
  if (spread === 'node.hostname') return HOSTNAME;
  if (spread === 'node.platform.arch') return 'kubernetes.io/arch';
  if (spread.startsWith('node.labels.')) {
    const key = spread.slice('node.labels.'.length);
    return validLabelKey(key) ? key : undefined;
  }
  return undefined;
}

/** The placement of a service's pods; refusals and warnings go to notes. */
export function placementOf(svc: Service, selector: Record<string, string>, notes: Notes): PodPlacement {
  const out: PodPlacement = {};
  const nodeSelector: Record<string, string> = {};
  const expressions: INodeSelectorRequirement[] = [];
  for (const c of svc.deploy.constraints) {
    const r = requirementOf(c);
    if (typeof r === 'string') notes.refusals.push(about(svc.name, `constraint ${r}`));
    else if (r.operator === 'In' && r.values && nodeSelector[r.key] === undefined) nodeSelector[r.key] = r.values[0];
    else expressions.push(r);
  }
  if (svc.deploy.limits.memoryBytes !== undefined && nodeSelector[MEMORY_ENFORCED] === undefined) {
    // what muster knows and Kubernetes does not: a node whose kernel does not enforce memory limits would run it unlimited
    nodeSelector[MEMORY_ENFORCED] = 'true';
    notes.warnings.push(about(svc.name, `its memory limit is enforced only on nodes labelled ${MEMORY_ENFORCED}=true: muster adds that to its node selector`));
  }
  if (Object.keys(nodeSelector).length > 0) out.nodeSelector = nodeSelector;
  if (expressions.length > 0)
    out.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] } } };
  const max = svc.deploy.maxReplicasPerNode;
  if (max !== undefined && svc.deploy.mode === 'replicated') {
    if (max === 1) {
      out.affinity = {
        ...out.affinity,
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: HOSTNAME, labelSelector: { matchLabels: selector } }] },
      };
    } else if (max > 1) {
      notes.refusals.push(
        about(
          svc.name,
          `max_replicas_per_node: ${max}: Kubernetes caps replicas per node only at 1 (pod anti-affinity); write 1, or drop it and spread with placement.preferences`,
        ),
      );
    }
  }
  const spread = svc.deploy.spread;
  if (spread.length > 0 && svc.deploy.mode === 'global')
    notes.warnings.push(about(svc.name, 'placement.preferences ignored: a global service runs one pod on every node'));
  else if (spread.length > 0) {
    const constraints: ITopologySpreadConstraint[] = [];
    for (const s of spread) {
      const key = topologyKeyOf(s);
      if (key === undefined)
        notes.refusals.push(about(svc.name, `spread ${s}: no Kubernetes node label to spread over (spread over node.hostname or node.labels.*)`));
      else constraints.push({ maxSkew: 1, topologyKey: key, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } });
    }
    if (constraints.length > 0) {
      out.topologySpreadConstraints = constraints;
      notes.warnings.push(
        about(
          svc.name,
          'spread preferences are soft topology spread constraints (maxSkew 1): nodes without the label are left out of the spread, where Swarm groups them',
        ),
      );
    }
  }
  return out;
}
