/**
 * Python's `ast.literal_eval` for the values of an INI inventory, as Ansible reads them: a number, a
 * quoted string, True/False/None, or a list, tuple or dict of those becomes that value; anything else
 * (`web`, `true`, `1.2.3.4`, `a b`) stays the text it is.
 */

/** The value `text` stands for. */
export function pythonLiteral(text: string): unknown {
  const r = new Reader(text.trim());
  try {
    const v = r.value();
    r.space();
    return r.done() ? v : text;
  } catch {
    return text;
  }
}

class NotLiteral extends Error {}

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  space(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }

  value(): unknown {
    this.space();
    const c = this.s[this.i];
    if (c === '[') return this.seq(']');
    if (c === '(') return this.seq(')');
    if (c === '{') return this.dict();
    if (c === '"' || c === "'") return this.str();
    const word = /^(?:True|False|None)\b/.exec(this.s.slice(this.i))?.[0];
    if (word) {
      this.i += word.length;
      return word === 'True' ? true : word === 'False' ? false : null;
    }
    const num = /^[-+]?(?:\d[\d_]*\.?[\d_]*(?:[eE][-+]?\d+)?|\.\d[\d_]*(?:[eE][-+]?\d+)?|0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+)/.exec(
      this.s.slice(this.i),
    )?.[0];
    if (!num) throw new NotLiteral();
    this.i += num.length;
    const clean = num.replace(/_/g, '');
    if (/^[-+]?0[xXoObB]/.test(clean)) {
      const sign = clean.startsWith('-') ? -1 : 1;
      return sign * Number(clean.replace(/^[-+]/, ''));
    }
    // Python refuses a leading zero on an integer (010): literal_eval fails and the text stays
    if (/^[-+]?0\d/.test(clean) && !/[.eE]/.test(clean)) throw new NotLiteral();
    return Number(clean);
  }

  seq(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.space();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.space();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new NotLiteral();
    }
  }

  dict(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const key = this.value();
      this.space();
      if (this.s[this.i++] !== ':') throw new NotLiteral();
      out[String(key)] = this.value();
      this.space();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new NotLiteral();
    }
  }

  str(): string {
    const q = this.s[this.i++];
    let out = '';
    while (this.i < this.s.length && this.s[this.i] !== q) {
      const c = this.s[this.i++];
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      out += { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' }[e] ?? `\\${e}`;
    }
    if (this.s[this.i++] !== q) throw new NotLiteral();
    // adjacent literals join, as in Python: 'a' 'b'
    this.space();
    if (this.s[this.i] === '"' || this.s[this.i] === "'") return out + this.str();
    return out;
  }
}
