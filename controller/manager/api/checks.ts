/**
 * Pure checks of what arrives in paths and query strings (strings, all of them): each problem as an error
 * answer naming the field and what it wants, so that a bad URL gets a 400 that says how to fix it.
 */
import { fail, type HttpError } from './errors.js';

/** A stack, service or node name as the API takes it in a path. */
export const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

/** Undefined when every path parameter is a name, else the 400. */
export function namesProblem(params: Record<string, string>): HttpError | undefined {
  for (const [field, v] of Object.entries(params)) {
    if (!NAME.test(v)) return fail(400, 'E_REQUEST', `${field} "${v.slice(0, 64)}" is not a name: letters, digits and . _ -, 128 at most`, { field });
  }
  return undefined;
}

/** Undefined when the query has only `known` parameters, each once, else the 400. */
export function queryProblem(query: Record<string, unknown>, known: string[]): HttpError | undefined {
  for (const [k, v] of Object.entries(query)) {
    if (!known.includes(k)) return fail(400, 'E_QUERY', `unknown parameter "${k.slice(0, 64)}"; this route takes ${known.join(', ') || 'none'}`, { field: k });
    if (typeof v !== 'string') return fail(400, 'E_QUERY', `${k} is given more than once`, { field: k });
  }
  return undefined;
}

/** A whole number from a query or header value, within [min, max]; `fallback` when absent. */
export function wholeNumber(value: unknown, field: string, min: number, max: number, fallback: number): number | HttpError {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value) || Number(value) < min || Number(value) > max) {
    return fail(400, 'E_QUERY', `${field} wants a whole number from ${min} to ${max}`, { field });
  }
  return Number(value);
}

/** True when a check gave an error answer rather than a value. */
export const isProblem = (v: unknown): v is HttpError => typeof v === 'object' && v !== null && 'status' in v && 'body' in v;
