// Types for sim-control.mjs, so TypeScript tests can import it.
import type { SimFleet } from './sim-fleet.mjs';

export type ControlCommand = { verb: string; names: string[] };
export function parseControl(line: string): ControlCommand | { error: string };
export function runControl(fleet: SimFleet, cmd: ControlCommand): Promise<Record<string, unknown>>;
