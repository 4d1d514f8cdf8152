/**
 * Which images must reach which nodes before a deploy: per node and image (once, however many replicas),
 * the nodes the plan puts a replica on whose report does not list the image; and the plan's notes for
 * people when --ship-images is not given. Pure.
 */
import type { NodeReport } from '../../shared/wire.js';
import type { Assignment } from '../scheduler/types.js';
import { slotLabel } from './names.js';

/** One image for one node, with the replicas that need it. */
export interface ShipJob {
  node: string;
  image: string;
  /** `os/arch` of the node (the agent refuses an image of another platform); undefined when unknown */
  platform?: string;
  /** `web.2`, ... in plan order */
  replicas: string[];
}

/** Pure: an image reference as engines tag it: `:latest` when it has no tag nor digest, `docker.io/library/` dropped. */
export function normalRef(ref: string): string {
  const r = ref.replace(/^docker\.io\/(?:library\/)?/, '');
  if (r.includes('@')) return r;
  const lastPart = r.slice(r.lastIndexOf('/') + 1);
  return lastPart.includes(':') ? r : `${r}:latest`;
}

/** Pure: whether the report lists the image under any of its tags; undefined when the report says nothing of images. */
export function nodeHasImage(report: NodeReport | undefined, image: string): boolean | undefined {
  if (!report?.images) return undefined;
  const want = normalRef(image);
  return report.images.some((i) => i.tags.some((t) => normalRef(t) === want) || i.id === image);
}

/** Pure: the node's platform as the agent's `?platform=` wants it, e.g. `linux/arm64`. */
export function nodePlatform(report: NodeReport | undefined): string | undefined {
  const arch = report?.node.arch.normalised;
  return arch ? `linux/${arch}` : undefined;
}

/**
 * Pure: the images to ship: for each assignment whose node's report lacks its image, one job per node and
 * image, in plan order. Nodes without a report (unreachable) or not listing images are left out.
 */
export function shipJobs(
  assignments: Pick<Assignment, 'stack' | 'service' | 'slot' | 'node'>[],
  imageOf: (a: Pick<Assignment, 'stack' | 'service' | 'slot'>) => string,
  reports: ReadonlyMap<string, NodeReport | undefined>,
): ShipJob[] {
  const jobs = new Map<string, ShipJob>();
  for (const a of assignments) {
    const image = imageOf(a);
    const report = reports.get(a.node);
    if (nodeHasImage(report, image) !== false) continue;
    const key = `${a.node}\u0000${image}`;
    const job = jobs.get(key) ?? { node: a.node, image, platform: nodePlatform(report), replicas: [] };
    job.replicas.push(slotLabel(a.service, a.slot));
    jobs.set(key, job);
  }
  return [...jobs.values()];
}

/** Pure: the distinct images of the jobs, in first-seen order. */
export const imagesOf = (jobs: ShipJob[]): string[] => [...new Set(jobs.map((j) => j.image))];

/** Pure: the plan's notes without --ship-images: `web.2 on pi-1: image app:1 is not on the node; it will be pulled, or use --ship-images`. */
export function missingNotes(jobs: ShipJob[]): string[] {
  return jobs.flatMap((j) => j.replicas.map((r) => `${r} on ${j.node}: image ${j.image} is not on the node; it will be pulled, or use --ship-images`));
}

/** Pure: what --ship-images will do (or, with --dry-run, would do): `ship app:1 to pi-1 (linux/arm64) for web.1 web.2`. */
export function shipLines(jobs: ShipJob[]): string[] {
  return jobs.map((j) => `ship ${j.image} to ${j.node}${j.platform ? ` (${j.platform})` : ''} for ${j.replicas.join(' ')}`);
}
