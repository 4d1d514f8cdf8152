/**
 * The report's entity tag and the If-None-Match test (RFC 9110 sections 8.8.3 and 13.1.2), so that a manager
 * polling every second gets a bodiless 304 while the report is unchanged. Pure: no clock, no I/O.
 *
 * The tag is `"` + the first 22 base64url characters of the SHA-256 of the report's JSON + `"` (132 bits).
 * `hardware.ageS` is left out of the hash: it counts the seconds since the hardware reading and so differs
 * on nearly every request while nothing else does. Every other field counts.
 */
import { createHash } from 'node:crypto';
import type { NodeReport } from '../../shared/wire.js';

/** A report as the agent serves it: the wire report plus, when the agent has a hardware cache, its section. */
export type TaggableReport = NodeReport & { hardware?: { ageS?: number | null } | null };

/** Characters of base64url kept from the digest. */
export const TAG_CHARS = 22;

/** The strong entity tag of `report`, quoted, e.g. `"q3V0aL2m8xYc1Zb7kPnR0w"`. */
export function reportEtag(report: TaggableReport): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(withoutAge(report)))
    .digest('base64url');
  return `"${digest.slice(0, TAG_CHARS)}"`;
}

// A shallow copy without hardware.ageS; the key order (and so the JSON) of everything else is kept.
function withoutAge(report: TaggableReport): TaggableReport {
  const hardware = report.hardware;
  if (hardware === null || typeof hardware !== 'object' || !('ageS' in hardware)) return report;
  const { ageS: _age, ...rest } = hardware;
  return { ...report, hardware: rest };
}

// One list element: optional spaces, then an entity tag (weak or not) and optional spaces, or nothing (empty
// elements are allowed), then a comma or the end. etagc is %x21 / %x23-7E / obs-text: no space or quote
// inside. Each part starts with a character the one before cannot take, so a failing match never backtracks
// more than once per character.
const ELEMENT = /[ \t]*(?:(?:W\/)?("[\x21\x23-\x7e\x80-\xff]*")[ \t]*)?(?:,|$)/y;

/**
 * Whether an If-None-Match header value matches `etag` (weak comparison): `*`, or a list holding the tag
 * with or without `W/`. A missing, empty or malformed header matches nothing (the full answer is sent).
 */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value === undefined) return false;
  if (value.trim() === '*') return true;
  const tags = entityTags(value);
  if (tags === null) return false;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  return tags.includes(opaque);
}

// The opaque tags (with their quotes) of a list, or null when the list is malformed.
function entityTags(value: string): string[] | null {
  const tags: string[] = [];
  let at = 0;
  while (at < value.length) {
    ELEMENT.lastIndex = at;
    const m = ELEMENT.exec(value);
    if (m === null) return null;
    if (m[1] !== undefined) tags.push(m[1]);
    at = ELEMENT.lastIndex;
  }
  return tags;
}
