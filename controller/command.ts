/**
 * Shell commands as values. Every interpolated value is quoted; secrets print as ***.
 * `text` is what runs, `shown` is what people see.
 */

/** A value that must never be printed. */
export class Secret {
  constructor(readonly value: string) {}
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
}

/** A piece of shell text inserted without quoting (an operator, a redirect, a known-safe word). */
export class Raw {
  constructor(readonly text: string) {}
}

/** A shell script ready to run: the real text and its masked twin. */
export class Script {
  constructor(
    readonly text: string,
    readonly shown: string,
  ) {}
  toString(): string {
    return this.shown;
  }
}

/** Inserts shell text as is. Only for constants written in our own source. */
export function raw(text: string): Raw {
  return new Raw(text);
}

/** Single-quotes a word for POSIX sh. */
export function quote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

type Part = string | number | Secret | Raw | Script | undefined | null | false | Part[];

function render(part: Part): [string, string] {
  if (part === undefined || part === null || part === false) return ['', ''];
  if (part instanceof Script) return [part.text, part.shown];
  if (part instanceof Raw) return [part.text, part.text];
  if (part instanceof Secret) return [quote(part.value), '***'];
  if (Array.isArray(part)) {
    const items = part.map(render).filter(([t]) => t !== '');
    return [items.map(([t]) => t).join(' '), items.map(([, s]) => s).join(' ')];
  }
  const q = quote(String(part));
  return [q, q];
}

/**
 * Tagged template: sh`rm -f ${path}` quotes path. Arrays expand to quoted words; Script and Raw nest unquoted;
 * undefined/null/false vanish (handy for optional flags).
 */
export function sh(strings: TemplateStringsArray, ...values: Part[]): Script {
  let text = strings[0];
  let shown = strings[0];
  values.forEach((v, i) => {
    const [t, s] = render(v);
    text += t + strings[i + 1];
    shown += s + strings[i + 1];
  });
  return new Script(text, shown);
}

/** Joins scripts with a separator (default: newline). */
export function join(scripts: Script[], sep = '\n'): Script {
  return new Script(scripts.map((s) => s.text).join(sep), scripts.map((s) => s.shown).join(sep));
}

/**
 * The shortest secret that is masked: a one- or two-character value would turn every occurrence of those
 * letters in the output into ***, hiding more than it protects.
 */
export const MIN_MASKED_LENGTH = 3;

/**
 * Replaces every secret's value in free text (command output, error messages, JSON lines) with ***: the
 * value as it is and as JSON escapes it (a quote, backslash or newline inside a secret), longest first so
 * that a secret containing a shorter one is masked whole.
 */
export function maskSecrets(text: string, secrets: Iterable<Secret | string>): string {
  const forms = new Set<string>();
  for (const s of secrets) {
    const v = typeof s === 'string' ? s : s.value;
    if (v.length < MIN_MASKED_LENGTH) continue;
    forms.add(v);
    forms.add(JSON.stringify(v).slice(1, -1));
  }
  let out = text;
  for (const v of [...forms].sort((a, b) => b.length - a.length)) out = out.split(v).join('***');
  return out;
}
