/** Debian version ordering (deb-version(7)): epoch, then upstream version, then Debian revision. */

/** The three parts of `[epoch:]upstream[-revision]`. */
export interface DebVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/** Splits a version: the epoch before the first `:`, the revision after the last `-`. */
export function parseDebVersion(v: string): DebVersion {
  const text = v.trim();
  const colon = text.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(text.slice(0, colon)) ? Number(text.slice(0, colon)) : 0;
  const rest = colon > 0 ? text.slice(colon + 1) : text;
  const dash = rest.lastIndexOf('-');
  return dash < 0 ? { epoch, upstream: rest, revision: '' } : { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) };
}

/** Compares two Debian versions as dpkg does: negative when a < b, 0 when equal, positive when a > b. */
export function compareDebVersions(a: string, b: string): number {
  const x = parseDebVersion(a);
  const y = parseDebVersion(b);
  return Math.sign(x.epoch - y.epoch) || comparePart(x.upstream, y.upstream) || comparePart(x.revision, y.revision);
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

// Weight of one character in a non-digit run: `~` sorts before everything, even the end of the
// string (so 1.0~rc1 < 1.0); letters sort before other symbols (so 1.0a < 1.0+).
function weight(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

/** One part (upstream or revision): alternating non-digit runs (by weight) and digit runs (by value). */
function comparePart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const wa = weight(isDigit(a[i]) ? undefined : a[i]);
      const wb = weight(isDigit(b[j]) ? undefined : b[j]);
      if (wa !== wb) return Math.sign(wa - wb);
      if (i < a.length && !isDigit(a[i])) i++;
      if (j < b.length && !isDigit(b[j])) j++;
    }
    const da = digitRun(a, i);
    const db = digitRun(b, j);
    i += da.length;
    j += db.length;
    const na = da.replace(/^0+/, '');
    const nb = db.replace(/^0+/, '');
    // by length first, then digit by digit: no number is too long to compare
    if (na.length !== nb.length) return Math.sign(na.length - nb.length);
    if (na !== nb) return na < nb ? -1 : 1;
  }
  return 0;
}

function digitRun(s: string, from: number): string {
  let end = from;
  while (end < s.length && isDigit(s[end])) end++;
  return s.slice(from, end);
}
