/** What a run tells the world; only reporters turn these into output. */
import type { Diff, Vars } from '../modules/types.js';

export type Status = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable';

/** Per-host counters of the PLAY RECAP. */
export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export type RunEvent =
  | { type: 'play'; name: string; hosts: string[]; check: boolean }
  | { type: 'task'; name: string; kind: 'task' | 'handler' | 'facts' }
  | { type: 'host_start'; host: string }
  | {
      type: 'result';
      host: string;
      /** the host whose connection ran the task (delegate_to) */
      delegatedTo?: string;
      status: Status;
      /** the loop item's label, for results of one loop iteration */
      item?: string;
      msg?: string;
      ignored?: boolean;
      /** print the result even without -v (debug) */
      show?: boolean;
      /** the registered result (censored when no_log) */
      result: Vars;
      diff?: Diff[];
      /** set when the result stands for a retry of `until` */
      retry?: { attempt: number; of: number };
    }
  | { type: 'warning'; msg: string }
  /** `unknown`: names in the play's hosts: that are neither a group nor a host of the inventory */
  | { type: 'no_hosts'; play: string; unknown: string[] }
  | { type: 'recap'; stats: Record<string, HostStats>; elapsedMs: number };

export type Emit = (e: RunEvent) => void;

/** A fresh zeroed recap entry. */
export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}
