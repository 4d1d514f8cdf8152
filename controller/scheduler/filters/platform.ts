/** Filter: the image exists for the node's platform, where the image's platforms are known. */
import type { Filter } from './filter.js';

/** Made per snapshot: the known platforms (`linux/arm64`) by image reference; an unknown image passes. */
export function platformFilter(imagePlatforms: Record<string, string[]>): Filter {
  return {
    name: 'platform',
    explain: "the image is built for the node's os/arch (when known)",
    namesNodes: false,
    usesUsage: false,
    check(node, want) {
      const known = Object.hasOwn(imagePlatforms, want.image) ? imagePlatforms[want.image] : undefined;
      if (!known || known.includes(`${node.os}/${node.arch}`)) return undefined;
      return { phrase: `image ${want.image} not built for the platform` };
    },
  };
}
