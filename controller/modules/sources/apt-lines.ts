/**
 * One-line APT sources (`deb [opts] URL suite comps`) as apt_repository reads them: each line of a .list file is a
 * source (enabled or commented out) or something else, compared in a normal form so spacing does not matter.
 */

/** One line of a .list file, as far as sources go. */
export interface SourceLine {
  /** the normal form of the source, undefined when the line is not a deb/deb-src source */
  source?: string;
  enabled: boolean;
  comment: string;
}

const TYPES = ['deb', 'deb-src'];

/** Pure: the normal form of a source text (spaces collapsed, inside brackets too), or undefined when it is not deb/deb-src. */
export function normalSource(text: string): string | undefined {
  const squeezed = text.trim().replace(/\[\s*/g, '[').replace(/\s*\]/g, ']').split(/\s+/).filter(Boolean);
  if (squeezed.length < 3 || !TYPES.includes(squeezed[0])) return undefined;
  return squeezed.join(' ');
}

/** Pure: one line of a .list file (a leading `#` disables a source; a later `#` starts its comment). */
export function parseLine(line: string): SourceLine {
  let text = line.trim();
  let enabled = true;
  if (text.startsWith('#')) {
    enabled = false;
    text = text.slice(1);
  }
  let comment = '';
  const hash = text.indexOf('#');
  if (hash > 0) {
    comment = text.slice(hash + 1).trim();
    text = text.slice(0, hash);
  }
  return { source: normalSource(text), enabled, comment };
}

/** Pure: the .list file name Ansible suggests for a source: the host and path of its URL, other characters as `_`. */
export function suggestedName(source: string): string {
  const line = source.replace(/\[[^\]]+\]/g, '').replace(/\w+:\/\//g, '');
  const parts = line.split(/\s+/).filter((p) => p && !TYPES.includes(p));
  const first = (parts[0] ?? '').split('@').pop() ?? '';
  return `${first
    .replace(/[^a-zA-Z0-9]+/g, ' ')
    .trim()
    .split(/\s+/)
    .join('_')}.list`;
}

/** Pure: the file path for `filename` (a bare name lands in sources.list.d and gets `.list`), or the suggested one. */
export function listPath(source: string, filename: string | undefined, dir = '/etc/apt/sources.list.d'): string {
  if (filename === undefined || filename === '') return `${dir}/${suggestedName(source)}`;
  const name = filename.endsWith('.list') ? filename : `${filename}.list`;
  return name.includes('/') ? name : `${dir}/${name}`;
}

/** How one file changes: its text before (undefined: new) and after (undefined: removed). */
export interface FileEdit {
  path: string;
  before?: string;
  after?: string;
}

/** The text of a source line as apt_repository writes it. */
function render(source: string, enabled: boolean, comment: string): string {
  return `${enabled ? '' : '# '}${source}${comment ? ` # ${comment}` : ''}`;
}

const lines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
const joined = (ls: string[]) => (ls.length ? `${ls.join('\n')}\n` : '');

/**
 * Pure: the edits that make `source` present: enabled where it is commented out in any file; else appended to
 * `target`. Nothing when it is already enabled somewhere.
 */
export function addSource(files: Map<string, string>, source: string, target: string): FileEdit[] {
  if ([...files.values()].some((text) => lines(text).some((l) => isSource(l, source, true)))) return [];
  const edits: FileEdit[] = [];
  for (const [path, text] of files) {
    const ls = lines(text);
    if (!ls.some((l) => isSource(l, source, false))) continue;
    const after = ls.map((l) => {
      const p = parseLine(l);
      return p.source === source && !p.enabled ? render(source, true, p.comment) : l;
    });
    edits.push({ path, before: text, after: joined(after) });
  }
  if (edits.length) return edits;
  const before = files.get(target);
  return [{ path: target, before, after: joined([...lines(before ?? ''), render(source, true, '')]) }];
}

/** Pure: the edits that remove every enabled copy of `source`; a file left with no line at all is removed. */
export function removeSource(files: Map<string, string>, source: string): FileEdit[] {
  const edits: FileEdit[] = [];
  for (const [path, text] of files) {
    const ls = lines(text);
    const kept = ls.filter((l) => !isSource(l, source, true));
    if (kept.length === ls.length) continue;
    const left = kept.some((l) => l.trim() !== '');
    edits.push({ path, before: text, after: left ? joined(kept) : undefined });
  }
  return edits;
}

function isSource(line: string, source: string, enabled: boolean): boolean {
  const p = parseLine(line);
  return p.source === source && p.enabled === enabled;
}
