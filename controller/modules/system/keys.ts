/**
 * authorized_keys files as data: parse lines into keys (options, type, blob, comment), and edit a file's
 * text so that given keys are present or absent. A key is identified by its blob alone, as sshd does.
 */

/** One public key line. */
export interface KeyLine {
  options?: string;
  type: string;
  blob: string;
  comment?: string;
}

const KEY_TYPE = /^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)(-cert-v01@openssh\.com)?$/;

/** Splits at whitespace outside double quotes (options may hold quoted spaces: from="a, b"). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    if (!quoted && /\s/.test(c)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/** Parses one line; undefined for blank lines, comments and anything that is not a key. */
export function parseKeyLine(line: string): KeyLine | undefined {
  const t = line.trim();
  if (!t || t.startsWith('#')) return undefined;
  const f = fields(t);
  const at = KEY_TYPE.test(f[0]) ? 0 : 1;
  if (!KEY_TYPE.test(f[at] ?? '') || !f[at + 1]) return undefined;
  // The comment is the rest of the line as written, inner spaces kept.
  const rest = f.length > at + 2 ? t.slice(t.indexOf(f[at + 1]) + f[at + 1].length).trim() : undefined;
  return { options: at === 1 ? f[0] : undefined, type: f[at], blob: f[at + 1], comment: rest || undefined };
}

/** A key as an authorized_keys line. */
export function formatKey(k: KeyLine): string {
  return [k.options, k.type, k.blob, k.comment].filter((p) => p !== undefined && p !== '').join(' ');
}

/** The keys the `key` argument gives (one or more lines), with key_options and comment applied; bad lines listed. */
export function wantedKeys(text: string, opts: { keyOptions?: string; comment?: string } = {}): { keys: KeyLine[]; bad: string[] } {
  const keys: KeyLine[] = [];
  const bad: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const k = parseKeyLine(t);
    if (!k) bad.push(t);
    else
      keys.push({
        ...k,
        options: opts.keyOptions !== undefined ? opts.keyOptions || undefined : k.options,
        comment: opts.comment !== undefined ? opts.comment || undefined : k.comment,
      });
  }
  return { keys, bad };
}

/** Pure: the file's new text. Present replaces a key's line in place when it differs, or appends it; absent drops it; exclusive keeps only the given keys. */
export function editKeys(existing: string, keys: KeyLine[], opts: { state: 'present' | 'absent'; exclusive: boolean }): string {
  const wanted = new Map(keys.map((k) => [k.blob, k]));
  const placed = new Set<string>();
  const out: string[] = [];
  for (const line of existing.split('\n')) {
    const k = parseKeyLine(line);
    const want = k && wanted.get(k.blob);
    if (opts.state === 'absent') {
      if (!want) out.push(line);
      continue;
    }
    if (want && !placed.has(k.blob)) {
      // An equal key keeps its line as written, so spacing alone never counts as a change.
      out.push(sameKey(k, want) ? line : formatKey(want));
      placed.add(k.blob);
    } else if (!opts.exclusive && !(want && placed.has(k.blob))) out.push(line);
  }
  while (out.length && out[out.length - 1].trim() === '') out.pop();
  if (opts.state === 'present') {
    for (const k of keys) {
      if (placed.has(k.blob)) continue;
      placed.add(k.blob);
      out.push(formatKey(k));
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

function sameKey(a: KeyLine, b: KeyLine): boolean {
  return a.type === b.type && a.blob === b.blob && (a.options ?? '') === (b.options ?? '') && (a.comment ?? '') === (b.comment ?? '');
}
