// Types for sim-desired.mjs, so TypeScript tests can import it.
import type { DesiredSet } from '../../shared/wire.js';
import type { SimEntry } from './sim-report.mjs';

export function desiredBodyProblem(body: unknown): { field: string; message: string } | undefined;
export function nextEntries(entries: Map<string, SimEntry>, set: DesiredSet, now: number): Map<string, SimEntry>;
export function volumesOf(set: DesiredSet): Map<string, string>;
