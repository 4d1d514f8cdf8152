// Types for failover-lab.mjs, so TypeScript tests can import it.

/** The failover bench's Compose file: `replicas` sleepers of the bench image, 2 GiB reserved each. */
export function stackYaml(name: string, replicas: number): string;

/** The bench image (agent-lab.mjs's): a static busybox. */
export const IMAGE: string;
