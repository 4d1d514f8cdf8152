/** What the control modules share: the module shape with its docs summary, and small helpers. */
import { MusterError } from '../../../shared/errors.js';
import type { Module, ModuleResult } from '../types.js';

/**
 * A module plus the extras the docs page and the argument checker read: a one-line summary, and `freeArgs`
 * for modules whose argument names are the user's own (set_fact).
 */
export type ControlModule = Module & { summary: string; freeArgs?: boolean };

/** A message argument may be any value (Ansible prints lists and dicts as they are): strings go to `msg`, the rest to data. */
export function withMsg(result: ModuleResult, msg: unknown): ModuleResult {
  if (typeof msg === 'string') return { ...result, msg };
  return { ...result, data: { ...result.data, msg } };
}

/** Whether an error means the host could not be reached (as opposed to a bad script or sudo refusal). */
export function isUnreachable(e: unknown): e is MusterError {
  return e instanceof MusterError && e.code === 'E_UNREACHABLE';
}

/** Whole seconds between two clock readings in milliseconds. */
export function secondsBetween(startMs: number, endMs: number): number {
  return Math.max(0, Math.round((endMs - startMs) / 1000));
}

/** Whether a raw (load-time) argument value is still a template, so that its type cannot be checked yet. */
export function isTemplated(v: unknown): boolean {
  return typeof v === 'string' && v.includes('{{');
}
