/**
 * Python requirements as pip reads them (`name[extras] >=1.0,<2`), PEP 503 name normalisation, and enough of
 * PEP 440 (versions, `== != < <= > >= ~= ===`, `==1.*`) to tell whether an installed version satisfies one.
 */

/** One requirement: its normal name and its specifiers, or `opaque` (a path, URL or VCS link pip must resolve). */
export type Requirement = { opaque: false; text: string; name: string; specs: [string, string][] } | { opaque: true; text: string };

/** Pure: the PEP 503 form of a distribution name (lower case, runs of `-_.` as one `-`). */
export function normalName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$/;
const SPEC = /^(===|~=|==|!=|<=|>=|<|>)\s*(\S+)$/;

/** Pure: a requirement as written in `name:`. */
export function parseRequirement(text: string): Requirement | { error: string } {
  const t = text.trim();
  if (/^(\.|\/|~)|:\/\/|^[a-z]+\+|\.(whl|zip|tar\.gz|tgz)$/i.test(t) || /\s@\s/.test(t)) return { opaque: true, text: t };
  const m = NAME.exec(t);
  if (!m) return { error: `not a requirement: "${t}"` };
  const rest = m[2]
    .replace(/^\((.*)\)$/, '$1')
    .split(';')[0]
    .trim();
  const specs: [string, string][] = [];
  for (const part of rest ? rest.split(',') : []) {
    const s = SPEC.exec(part.trim());
    if (!s) return { error: `bad version specifier "${part.trim()}" in "${t}"` };
    specs.push([s[1], s[2]]);
  }
  return { opaque: false, text: t, name: normalName(m[1]), specs };
}

type Key = [number[], number, number, number, number];

const PRE: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };
const VERSION =
  /^v?(?:\d+!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|rc|c|pre|preview)[-_.]?(\d*))?(?:[-_.]?(?:post|rev|r)[-_.]?(\d*)|-(\d+))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+[a-z0-9.]+)?$/i;

/** Pure: a version's sort key, or undefined when it is not PEP 440. */
function keyOf(v: string): Key | undefined {
  const m = VERSION.exec(v.trim());
  if (!m) return undefined;
  const release = m[1].split('.').map(Number);
  while (release.length > 1 && release.at(-1) === 0) release.pop();
  const post = m[4] !== undefined ? Number(m[4] || 0) : m[5] !== undefined ? Number(m[5]) : -1;
  const dev = m[6] !== undefined ? Number(m[6] || 0) : Number.POSITIVE_INFINITY;
  // A dev release of a final version sorts before its pre-releases.
  const phase = m[2] ? PRE[m[2].toLowerCase()] : m[6] !== undefined && post < 0 ? -1 : 3;
  return [release, phase, m[2] ? Number(m[3] || 0) : 0, post, dev];
}

/** Pure: PEP 440 order of two versions (negative, 0, positive); unparsable ones compare as text. */
export function compareVersions(a: string, b: string): number {
  const ka = keyOf(a);
  const kb = keyOf(b);
  if (!ka || !kb) return a < b ? -1 : a > b ? 1 : 0;
  const n = Math.max(ka[0].length, kb[0].length);
  for (let i = 0; i < n; i++) {
    const d = (ka[0][i] ?? 0) - (kb[0][i] ?? 0);
    if (d) return d;
  }
  for (let i = 1; i < 5; i++) if (ka[i] !== kb[i]) return (ka[i] as number) < (kb[i] as number) ? -1 : 1;
  return 0;
}

/** `==1.2.*`: the release starts with 1.2. */
function prefixMatch(version: string, prefix: string): boolean {
  const want = prefix.split('.');
  const have = (/^v?(?:\d+!)?(\d+(?:\.\d+)*)/.exec(version)?.[1] ?? '').split('.');
  return want.every((w, i) => Number(have[i] ?? 0) === Number(w));
}

/** Pure: whether `version` satisfies one specifier. */
export function satisfies(version: string, [op, want]: [string, string]): boolean {
  if (op === '===') return version === want;
  if ((op === '==' || op === '!=') && want.endsWith('.*')) return prefixMatch(version, want.slice(0, -2)) === (op === '==');
  const c = compareVersions(version, want);
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default: {
      // ~=1.4.5 means >=1.4.5, ==1.4.*
      const parts = want.replace(/[-_.+]?(a|b|rc|post|dev).*$/i, '').split('.');
      return c >= 0 && prefixMatch(version, parts.slice(0, -1).join('.'));
    }
  }
}
