/**
 * limits.conf as data: find the `domain type item value` entries of one limit and rewrite them the way
 * Ansible's pam_limits does (matching lines replaced with tab-separated fields, a missing limit appended,
 * everything else kept byte for byte).
 */
import { linesOf, textOf } from './config-files.js';

/** The limit items pam_limits(8) knows, as Ansible lists them. */
export const LIMIT_ITEMS = [
  'core',
  'data',
  'fsize',
  'memlock',
  'nofile',
  'rss',
  'stack',
  'cpu',
  'nproc',
  'as',
  'maxlogins',
  'maxsyslogins',
  'priority',
  'locks',
  'sigpending',
  'msgqueue',
  'nice',
  'rtprio',
  'chroot',
] as const;

/** The limit a task wants. */
export interface WantedLimit {
  domain: string;
  type: string;
  item: string;
  value: string;
  useMax: boolean;
  useMin: boolean;
  comment: string;
}

const UNLIMITED = new Set(['unlimited', 'infinity', '-1']);
const isNumber = (v: string) => /^\d+$/.test(v);

/** A problem with the value, or undefined: a number, or unlimited/infinity/-1; nice and priority may be negative. */
export function checkLimitValue(item: string, value: string): string | undefined {
  if (UNLIMITED.has(value) || isNumber(value)) return undefined;
  if ((item === 'nice' || item === 'priority') && /^-\d+$/.test(value)) return undefined;
  return `value must be a number, "unlimited", "infinity" or "-1" (negative numbers only for nice and priority), got "${value}"`;
}

/** The value to write when the file already has `actual`: use_max keeps the larger, use_min the smaller. */
export function limitValue(w: WantedLimit, actual: string): string {
  if (w.useMax) {
    if (isNumber(w.value) && isNumber(actual)) return String(Math.max(Number(w.value), Number(actual)));
    return UNLIMITED.has(actual) ? actual : w.value;
  }
  if (w.useMin) {
    if (isNumber(w.value) && isNumber(actual)) return String(Math.min(Number(w.value), Number(actual)));
    return UNLIMITED.has(w.value) ? actual : w.value;
  }
  return w.value;
}

/** One entry line as Ansible writes it. */
export function limitLine(w: WantedLimit, value: string): string {
  return `${w.domain}\t${w.type}\t${w.item}\t${value}${w.comment ? `\t#${w.comment}` : ''}`;
}

/** Pure: the file with the limit set; `found` lists the values the file had for it. */
export function setLimit(text: string, w: WantedLimit): { text: string; found: string[] } {
  const found: string[] = [];
  const out = linesOf(text).map((line) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return line;
    const hash = t.indexOf('#');
    const comment = hash < 0 ? '' : t.slice(hash + 1).trim();
    const fields = (hash < 0 ? t : t.slice(0, hash)).trim().split(/\s+/);
    if (fields.length !== 4 || fields[0] !== w.domain || fields[1] !== w.type || fields[2] !== w.item) return line;
    found.push(fields[3]);
    const value = limitValue(w, fields[3]);
    const sameComment = w.comment === '' || w.comment.trim() === comment;
    return value === fields[3] && sameComment ? line : limitLine(w, value);
  });
  if (!found.length) out.push(limitLine(w, w.value));
  return { text: textOf(out), found };
}
