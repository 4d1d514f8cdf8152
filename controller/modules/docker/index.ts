/** The Docker modules (community.docker): containers, images, networks, volumes and Compose projects on a host. */
import type { Module } from '../types.js';
import { dockerComposeV2 } from './compose.js';
import { dockerContainer } from './container.js';
import { dockerImage } from './image.js';
import { dockerNetwork } from './network.js';
import { dockerVolume } from './volume.js';

/** One line each for the modules reference page (docs.ts reads `summary`). */
const summaries: Record<string, string> = {
  docker_container:
    'A container absent, present, stopped, started or healthy from its image and options, recreated when the image or a compared option differs (`comparisons`); networks connected in place. Returns `container`.',
  docker_image:
    'An image built (build.path), loaded (load_path), pulled or already local, or absent; saved to `archive_path` and tagged as `repository` when asked. Returns `image`.',
  docker_network:
    'A network with its driver, options, IPAM pools, flags and labels (recreated when they differ), and the containers in `connected`. Returns `network`.',
  docker_volume: 'A named volume with its driver, options and labels, or absent; recreated only as `recreate` says. Returns `volume`.',
  docker_compose_v2:
    'A Compose project up, stopped, restarted or down through `docker compose`; changed only when a container was created, recreated, started or stopped. Returns `containers`.',
};

/** Every Docker module, for the registry. */
export const modules: Module[] = [dockerContainer, dockerImage, dockerNetwork, dockerVolume, dockerComposeV2].map((m) => ({
  ...m,
  summary: summaries[m.name],
}));
