// Types for agent-desired.mjs, so TypeScript tests can import it.

export interface BenchContainer {
  name: string;
  stack: string;
  service: string;
  replica: number;
  image: string;
  command: string[];
  memoryLimit: number;
  memoryReservation: number;
  cpus: number;
  pidsLimit: number;
}

export const SLEEPER: string[];
export function benchDesiredSet(count: number, tag: string, image: string): { generation: number; containers: BenchContainer[] };
export function convergedOn(report: unknown, set: { containers: { name: string }[] }): boolean;
