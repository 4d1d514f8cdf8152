// Types for sim-report.mjs, so TypeScript tests can import it.
import type { Availability, ContainerReport, ContainerSpec, DesiredSet, NodeReport } from '../../shared/wire.js';

/** A simulated node's hardware and kernel, drawn from sched-gen's fleet mix. */
export interface SimModel {
  model: string;
  arch: string;
  cpus: number;
  totalBytes: number;
  baselineBytes: number;
  k3s: boolean;
  enforced: boolean;
  labels: Record<string, string>;
  portsInUse: { port: number; protocol: 'tcp' | 'udp' }[];
}

/** A container the node was given, and when. */
export interface SimEntry {
  spec: ContainerSpec;
  addedAt: number;
}

/** What nodeReport reads of a node. */
export interface SimNodeState {
  name: string;
  model: SimModel;
  availability: Availability;
  desired: DesiredSet | null;
  entries: Map<string, SimEntry>;
  volumes: Map<string, string>;
  images: Set<string>;
  bootAt: number;
}

/** A report as a node keeps it: its JSON, its entity tag, when it was collected and until when it is served. */
export interface KeptReport {
  text: string;
  tag: string;
  at: number;
  until: number;
}

export const SIM_AGENT_VERSION: string;
export function simModels(count: number, seed?: number): SimModel[];
export function usageOf(spec: ContainerSpec): number;
export function containerReport(entry: SimEntry, enforcedMemory: boolean, startDelayMs: number, now: number): ContainerReport;
export function nodeReport(node: SimNodeState, startDelayMs: number, now: number): NodeReport;
export function refreshPhase(index: number, count: number, intervalMs: number): number;
export function nextRefresh(at: number, base: number, intervalMs: number): number;
export function nextStart(entries: Map<string, SimEntry>, startDelayMs: number, at: number): number;
export function reportTag(text: string): string;
export function keptReport(
  kept: KeptReport | null,
  /** refreshBase: where the node's refresh moments start (refreshBase + k * intervalMs) */
  node: SimNodeState & { refreshBase: number },
  startDelayMs: number,
  intervalMs: number,
  now: number,
): { report: KeptReport; fresh: boolean };
