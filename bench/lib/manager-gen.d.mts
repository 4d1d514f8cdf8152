// Types for manager-gen.mjs, so TypeScript tests can import it.

export const STACKS: number;
export const SERVICES_PER_STACK: number;

export interface BenchStack {
  name: string;
  services: { name: string; replicas: number }[];
  /** the Compose file */
  yaml: string;
}

export function benchStacks(replicas: number, opts?: { image?: string; memory?: string; stacks?: number; perStack?: number }): BenchStack[];
