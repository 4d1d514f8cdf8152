// Types for sched-gen.mjs, so TypeScript tests can import it.
import type { NodeView } from '../../controller/scheduler/types.js';
import type { Constraint, Service, Stack } from '../../controller/stack/types.js';

/** What a simulated node has besides its NodeView: what Swarm reads (MemTotal, cores) and how allocatable came about. */
export interface Hardware {
  model: string;
  totalBytes: number;
  baselineBytes: number;
  k3s: boolean;
  cpus: number;
}

export interface Model {
  model: string;
  share: number;
  arch: string;
  memTotal: number;
  cpus: number;
  unenforced: number;
  k3s: number;
  disks: [number, string][];
  zigbee: number;
  gpu?: number;
}

export interface Kind {
  kind: string;
  weight?: number;
  image: string;
  platforms: string[];
  replicas?: [number, number];
  limit?: number[] | 'x2';
  reservation?: number[];
  cpus?: number;
  spread?: number;
  maxPerNode?: number;
  port?: number;
  device?: boolean;
  constraints?: [number, string][];
}

export interface BenchInput {
  nodes: NodeView[];
  hardware: Record<string, Hardware>;
  stacks: Stack[];
  imagePlatforms: Record<string, string[]>;
  wanted: { global: number; replicated: number };
}

export const RESERVE_BYTES: number;
export const AGENT_BYTES: number;
export const MODELS: Model[];
export const KINDS: Kind[];
export const GLOBALS: Kind[];
export function parseConstraint(text: string): Constraint;
export function nodeValue(node: NodeView, key: string): string | undefined;
export function meetsConstraints(node: NodeView, constraints: Constraint[]): boolean;
export function globalTargets(nodes: NodeView[], service: Service): NodeView[];
export function generate(opts?: { seed?: number; nodes?: number; replicas?: number }): BenchInput;
export function memoryOf(service: Service): number;
