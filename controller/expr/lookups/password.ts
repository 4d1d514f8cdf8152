/**
 * The password lookup: the password stored at a controller-side path, generated on first use and written
 * there (atomically, mode 0600) as Ansible does; `encrypt` returns its crypt hash with a salt kept beside it.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { Secret } from '../../command.js';
import { CRYPT_SCHEMES, SALT_CHARS, shaCrypt } from './crypt.js';
import type { Lookup, LookupCtx, LookupIO } from './types.js';
import { parseKvWords } from './words.js';

const OPTIONS = ['length', 'chars', 'encrypt', 'ident', 'seed'] as const;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Python's `string` constants, the names `chars=` may use. */
const CHARSETS: Record<string, string> = {
  ascii_letters: LETTERS,
  ascii_lowercase: LETTERS.slice(0, 26),
  ascii_uppercase: LETTERS.slice(26),
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};
const DEFAULT_CHARS = ['ascii_letters', 'digits', '.,:-_'];
const USAGE = "write lookup('password', 'credentials/db length=24 chars=ascii_letters,digits')";

/** What a password term asks for. */
export interface PasswordRequest {
  path: string;
  length: number;
  chars: string;
  encrypt?: string;
  ident?: string;
  seed?: string;
}

/** `path key=value...` plus keyword options (the term's own win) -> a request. */
export function parsePasswordTerm(term: string, options: Record<string, unknown>, ctx: LookupCtx): PasswordRequest {
  const trimmed = term.trim();
  const space = trimmed.search(/\s/);
  const path = space < 0 ? trimmed : trimmed.slice(0, space);
  const rest = space < 0 ? '' : trimmed.slice(space + 1);
  const kv = rest.trim() ? parseKvWords(rest) : {};
  if (!kv) return ctx.fail(`can't read the options "${rest}"`, USAGE);
  const unknown = Object.keys(kv).filter((k) => !(OPTIONS as readonly string[]).includes(k));
  if (unknown.length) return ctx.fail(`unknown option(s): ${unknown.join(', ')}`, `the options are ${OPTIONS.join(', ')}`);
  if (!path) return ctx.fail('needs a path', USAGE);
  const all: Record<string, unknown> = { ...options, ...kv };
  const length = Number(all.length ?? 20);
  if (!Number.isInteger(length) || length < 1) return ctx.fail(`length must be a positive integer, got ${String(all.length)}`);
  const chars = charsOf(all.chars ?? DEFAULT_CHARS);
  if (!chars) return ctx.fail('chars gives no characters', 'write chars=ascii_letters,digits (or literal characters)');
  const encrypt = all.encrypt === undefined || all.encrypt === null ? undefined : String(all.encrypt);
  if (encrypt !== undefined && !Object.hasOwn(CRYPT_SCHEMES, encrypt))
    return ctx.fail(`encrypt=${encrypt} is not supported`, `use one of: ${Object.keys(CRYPT_SCHEMES).join(', ')}`);
  const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  return { path, length, chars, encrypt, ident: str(all.ident), seed: str(all.seed) };
}

// "ascii_letters,digits,,": names of Python's string constants or literal characters; ",," is a comma
function charsOf(v: unknown): string {
  const parts = Array.isArray(v)
    ? v.map(String)
    : String(v)
        .replace(/,,/g, '\u0000')
        .split(',')
        .map((p) => p.replace(/\u0000/g, ','));
  const set = new Set<string>();
  for (const p of parts) for (const c of CHARSETS[p] ?? p) set.add(c);
  return [...set].join('');
}

/** A random index source: the system's, or a seeded one that gives the same password for the same seed. */
function chooser(io: LookupIO, seed: string | undefined): (n: number) => number {
  if (seed === undefined) return (n) => io.randomInt(n);
  let counter = 0;
  return (n) => {
    const d = createHash('sha256').update(`${seed}\u0000${counter++}`).digest();
    return d.readUInt32BE(0) % n;
  };
}

/** A new password of `length` characters from `chars`. */
export function generatePassword(req: PasswordRequest, io: LookupIO): string {
  const pick = chooser(io, req.seed);
  return Array.from({ length: req.length }, () => req.chars[pick(req.chars.length)]).join('');
}

/** A stored file's content -> password, salt and ident (`secret salt=abc ident=2b`). */
export function parseStored(content: string): { password: string; salt?: string; ident?: string } {
  const text = content.replace(/\r?\n$/, '');
  const at = text.indexOf(' salt=');
  if (at < 0) return { password: text };
  const [salt, ident] = text.slice(at + 6).split(' ident=');
  return { password: text.slice(0, at), salt, ident };
}

function stored(password: string, salt?: string, ident?: string): string {
  return `${password}${salt ? ` salt=${salt}` : ''}${salt && ident ? ` ident=${ident}` : ''}\n`;
}

/** The password for a request: read from its file, or generated and written there; crypt-hashed with encrypt. */
export function password(req: PasswordRequest, io: LookupIO, ctx: LookupCtx): string {
  const path = isAbsolute(req.path) ? req.path : join(io.playbookDir, req.path);
  if (io.isDir(path)) return ctx.fail(`"${req.path}" is a directory`, 'give the path of a file to keep the password in');
  const devNull = path === '/dev/null';
  const content = devNull ? undefined : io.readText(path);
  let { password: pw, salt, ident } = content === undefined ? { password: generatePassword(req, io) } : parseStored(content);
  let changed = content === undefined;
  if (req.encrypt && !salt) {
    const pick = chooser(io, req.seed === undefined ? undefined : `${req.seed}/salt`);
    salt = Array.from({ length: 16 }, () => SALT_CHARS[pick(SALT_CHARS.length)]).join('');
    ident = req.ident ?? ident;
    changed = true;
  }
  if (changed && !devNull) io.writeAtomic(path, stored(pw, salt, ident), 0o600);
  if (!req.encrypt) return pw;
  return shaCrypt(req.encrypt as 'sha256_crypt' | 'sha512_crypt', pw, salt as string);
}

/**
 * The password lookup: one password per term, as text (filters such as password_hash and length take it),
 * each handed to the runner as a Secret so that output masks it wherever it shows up.
 */
export const passwordLookup: Lookup = {
  options: OPTIONS,
  io: true,
  run(terms, options, ctx) {
    const io = ctx.io ?? ctx.fail("needs the controller's files, which are not available here", 'use it in a task run by muster play');
    return terms.map((t) => {
      if (typeof t !== 'string') return ctx.fail(`expects a path, got ${JSON.stringify(t)}`, USAGE);
      const pw = password(parsePasswordTerm(t, options, ctx), io, ctx);
      io.secret(new Secret(pw));
      return pw;
    });
  },
};
