/**
 * Node labels from what muster's agents report, for Kubernetes placement: the architecture, whether the
 * node's kernel enforces memory limits (`muster.memory-enforced`, which services with a memory limit are
 * constrained to), the memory muster counts as allocatable, and the labels of the agent's config. Applied
 * with server-side apply under their own field manager, so a label no longer reported is removed.
 */
import { apiError, type KubeApi } from './api.js';
import { APPLY_CONTENT_TYPE } from './apply.js';
import { validLabelKey, validLabelValue } from './names.js';
import { MEMORY_ENFORCED } from './placement.js';

export { MEMORY_ENFORCED };

export const ARCH_LABEL = 'muster.arch';
/** bytes, as the swarm role labels it: an integer, so node affinity's Gt and Lt can compare it */
export const ALLOCATABLE_LABEL = 'muster.memory-allocatable-bytes';
/** The field manager of node labels (not `muster`: the stack's applies must not own or drop them). */
export const NODE_FIELD_MANAGER = 'muster-node-labels';

/** What the labels are made of: one answering agent's node, as `muster nodes` shows it. */
export interface NodeFacts {
  /** the node's hostname, which k3s names the Kubernetes node after */
  hostname: string;
  /** normalised (amd64, arm64, arm/v7) */
  arch: string;
  memoryEnforced: boolean;
  allocatableBytes: number | null;
  /** the agent's config labels */
  labels: Record<string, string>;
}

/** The Kubernetes node name of a host: its hostname, lower case (as k3s registers it). */
export const nodeName = (hostname: string): string => hostname.toLowerCase();

/** The labels of one node; config labels that are no valid Kubernetes labels are skipped and named. */
export function nodeLabels(n: NodeFacts): { labels: Record<string, string>; skipped: string[] } {
  const labels: Record<string, string> = {};
  const skipped: string[] = [];
  for (const [k, v] of Object.entries(n.labels).sort(([a], [b]) => a.localeCompare(b))) {
    if (validLabelKey(k) && validLabelValue(v)) labels[k] = v;
    else skipped.push(k);
  }
  labels[ARCH_LABEL] = n.arch.replace(/\//g, '-');
  labels[MEMORY_ENFORCED] = String(n.memoryEnforced);
  if (n.allocatableBytes !== null) labels[ALLOCATABLE_LABEL] = String(Math.floor(n.allocatableBytes));
  return { labels, skipped };
}

/** The apply body of a node's labels: only the labels, so muster owns nothing else of the Node. */
export function nodeApplyBody(n: NodeFacts): { apiVersion: 'v1'; kind: 'Node'; metadata: { name: string; labels: Record<string, string> } } {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName(n.hostname), labels: nodeLabels(n).labels } };
}

/**
 * Applies every node's labels; a node the cluster does not have (404: k3s not on it) is returned in
 * `missing`, not an error.
 */
export async function applyNodeLabels(api: KubeApi, nodes: NodeFacts[]): Promise<{ labelled: string[]; missing: string[] }> {
  const out = { labelled: [] as string[], missing: [] as string[] };
  for (const n of nodes) {
    const body = nodeApplyBody(n);
    const path = `/api/v1/nodes/${encodeURIComponent(body.metadata.name)}`;
    // an apply would create a Node the cluster lacks: look first
    const seen = await api.request('GET', path);
    if (seen.status === 404) {
      out.missing.push(body.metadata.name);
      continue;
    }
    if (seen.status !== 200) throw apiError(seen, `read Node ${body.metadata.name}`);
    // force: these labels are muster's, even where someone set one by hand
    const res = await api.request('PATCH', `${path}?fieldManager=${NODE_FIELD_MANAGER}&force=true`, {
      body: JSON.stringify(body),
      contentType: APPLY_CONTENT_TYPE,
    });
    if (res.status !== 200 && res.status !== 201) throw apiError(res, `label Node ${body.metadata.name}`);
    out.labelled.push(body.metadata.name);
  }
  return out;
}
