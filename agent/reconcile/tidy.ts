/**
 * What the node keeps only while desired containers use it: the stack networks this agent made, delivered
 * secrets and configs, and containers' copies of them. Run by the loop once the node converged (never
 * between a create and its start). Named volumes are never removed: they hold data.
 */
import type { DesiredSet } from '../../shared/wire.js';
import type { DockerPort } from '../docker/port.js';
import { networksOf } from '../docker/mapping.js';
import type { FilesStore } from '../state/files-store.js';

/** What a tidy removed. */
export interface Tidied {
  networks: string[];
  /** `secret NAME` or `config NAME` */
  files: string[];
  /** containers whose file copies went */
  mounts: string[];
}

/** Removes what `set` does not use; says what went. */
export async function tidyNode(set: DesiredSet, docker: Pick<DockerPort, 'pruneNetworks'>, files?: Pick<FilesStore, 'prune'>): Promise<Tidied> {
  const networks = (await docker.pruneNetworks?.(networksOf(set.containers))) ?? [];
  const used = new Set(set.containers.flatMap((c) => (c.files ?? []).map((f) => f.name)));
  const pruned = files ? await files.prune(used, new Set(set.containers.map((c) => c.name))) : { files: [], mounts: [] };
  return { networks, ...pruned };
}

/** One log line for what a tidy removed, or undefined when nothing went. */
export function describeTidy(t: Tidied): string | undefined {
  const parts = [...t.networks.map((n) => `network ${n}`), ...t.files, ...(t.mounts.length > 0 ? [`file copies of ${t.mounts.length} old container(s)`] : [])];
  return parts.length > 0 ? `removed, as no desired container uses it: ${parts.join(', ')}` : undefined;
}
