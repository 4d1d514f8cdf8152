/**
 * What the scheduler needs of the engine besides the managed containers: every volume (a named volume holds
 * data, so its replica stays here), every image with its platform, and the host ports other containers hold.
 * Three list calls per report; an image is inspected only the first time its id is seen.
 */
import type { DockerPort, EngineVolume } from '../docker/port.js';
import { LABELS } from '../types.js';
import type { ImageReport, VolumeReport } from '../../shared/wire.js';
import { imageArch } from './platform.js';

/** The engine calls the inventory makes. */
export type InventoryPort = Pick<DockerPort, 'volumes' | 'images' | 'inspectImage' | 'foreignPorts'>;

/** Image platforms by image id (an id names one content, so its platform never changes). */
export type PlatformCache = Map<string, { os: string; arch: string }>;

/** The inventory section of the report. */
export interface Inventory {
  volumes: VolumeReport[];
  images: ImageReport[];
  portsInUse: { port: number; protocol: 'tcp' | 'udp' }[];
}

/** A Docker volume -> its report: the stack label muster put on it, if any. */
export const volumeReport = (v: EngineVolume): VolumeReport => ({ name: v.name, stack: v.labels[LABELS.stack] ?? null });

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Lists volumes, images and others' ports; inspects only images whose id `cache` does not know yet. */
export async function collectInventory(docker: InventoryPort, cache: PlatformCache): Promise<Inventory> {
  const [volumes, images, portsInUse] = await Promise.all([docker.volumes(), docker.images(), docker.foreignPorts()]);
  const listed = new Set(images.map((i) => i.id));
  for (const id of cache.keys()) if (!listed.has(id)) cache.delete(id); // removed images do not stay in memory
  await Promise.all(
    images
      .filter((i) => !cache.has(i.id))
      .map(async (i) => {
        const d = await docker.inspectImage(i.id);
        if (d) cache.set(i.id, { os: d.os, arch: imageArch(d.architecture, d.variant) });
      }),
  );
  const out: ImageReport[] = [];
  for (const i of images) {
    const p = cache.get(i.id);
    if (p) out.push({ id: i.id, tags: [...i.tags].sort(), os: p.os, arch: p.arch }); // one removed since the list is left out
  }
  return {
    volumes: volumes.map(volumeReport).sort(byName),
    images: out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    portsInUse,
  };
}
