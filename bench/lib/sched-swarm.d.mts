// Types for sched-swarm.mjs, so TypeScript tests can import it.
import type { NodeView } from '../../controller/scheduler/types.js';
import type { Stack } from '../../controller/stack/types.js';
import type { Hardware } from './sched-gen.mjs';

/** A service as swarmkit's scheduler sees it. */
export interface SwarmService {
  id: string;
  ix: number;
  stack: string;
  name: string;
  mode: 'replicated' | 'global';
  replicas: number;
  reservations: { memoryBytes: number; nanoCPUs: number };
  constraints: { key: string; op: '==' | '!='; value: string }[];
  platforms: { os: string; arch: string }[];
  preferences: string[];
  maxReplicas: number;
  hostPorts: { port: number; protocol: 'tcp' | 'udp' }[];
}

/** A node as swarmkit's scheduler sees it. */
export interface SwarmNode {
  id: string;
  hostname: string;
  down: boolean;
  availability: 'active' | 'pause' | 'drain';
  role: 'manager' | 'worker';
  os: string;
  arch: string;
  labels: Record<string, string>;
  memoryBytes: number;
  nanoCPUs: number;
}

export interface SwarmAssignment {
  service: string;
  stack: string;
  name: string;
  slot: number;
  node: string;
}

export interface SwarmUnplaced {
  service: string;
  stack: string;
  name: string;
  slot: number;
  node?: string;
  reason: string;
}

export function swarmServices(stacks: Stack[], imagePlatforms?: Record<string, string[]>): SwarmService[];
export function swarmNodes(nodes: NodeView[], hardware: Record<string, Hardware>): SwarmNode[];
export function nodeMatches(constraints: SwarmService['constraints'], node: SwarmNode): boolean;
export function swarmSchedule(
  nodes: SwarmNode[],
  services: SwarmService[],
  opts?: { seed?: number; running?: { service: string; node: string }[] },
): { assignments: SwarmAssignment[]; unplaced: SwarmUnplaced[] };
