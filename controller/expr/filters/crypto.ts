/**
 * Hashing filters: hash (hashlib's names), password_hash (the crypt(3) formats passlib writes, as Ansible
 * calls it) and to_uuid (uuid5 in Ansible's namespace).
 */
import { createHash, getHashes, hash as oneShot, randomInt } from 'node:crypto';
import { toInt, toStr, typeName } from '../values.js';
import { bcrypt, validBcryptSalt } from './bcrypt.js';
import type { CallCtx, Filter } from './types.js';

// hashlib names that Node spells differently
const NODE_NAMES: Record<string, string> = {
  sha3_224: 'sha3-224',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
  blake2b: 'blake2b512',
  blake2s: 'blake2s256',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
};
const HASHLIB = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'ripemd160', ...Object.keys(NODE_NAMES)];

/** hashlib.new(name).update(text).hexdigest(). */
export function pyHash(ctx: CallCtx, v: unknown, algorithm: string): string {
  const name = algorithm.toLowerCase();
  const node = NODE_NAMES[name] ?? name;
  if (!HASHLIB.includes(name) || !getHashes().includes(node)) ctx.fail(`unsupported hash type ${algorithm}`, `use one of ${HASHLIB.join(', ')}`);
  return createHash(node).update(toStr(v), 'utf8').digest('hex');
}

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function b64From24(out: string[], b2: number, b1: number, b0: number, n: number): void {
  let w = (b2 << 16) | (b1 << 8) | b0;
  for (let i = 0; i < n; i++) {
    out.push(ITOA64[w & 0x3f]);
    w >>= 6;
  }
}

function encode(digest: Buffer, triples: number[][]): string {
  const out: string[] = [];
  for (const t of triples) {
    if (t.length === 3) b64From24(out, digest[t[0]], digest[t[1]], digest[t[2]], 4);
    else if (t.length === 2) b64From24(out, 0, digest[t[0]], digest[t[1]], 3);
    else b64From24(out, 0, 0, digest[t[0]], 2);
  }
  return out.join('');
}

const SHA512_ORDER = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41],
  [63],
];
const SHA256_ORDER = [
  [0, 10, 20],
  [21, 1, 11],
  [12, 22, 2],
  [3, 13, 23],
  [24, 4, 14],
  [15, 25, 5],
  [6, 16, 26],
  [27, 7, 17],
  [18, 28, 8],
  [9, 19, 29],
  [31, 30],
];
const MD5_ORDER = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5], [11]];

function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = block[i % block.length];
  return out;
}

/** Drepper's SHA-crypt ($5$ and $6$); `rounds` 5000 is written implicitly, as passlib does. */
export function shaCrypt(bits: 256 | 512, password: string, salt: string, rounds: number): string {
  const alg = `sha${bits}`;
  const h = (...parts: Buffer[]) => {
    const hash = createHash(alg);
    for (const p of parts) hash.update(p);
    return hash.digest();
  };
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(salt, 'ascii');
  const B = h(P, S, P);
  const aParts = [P, S, repeatTo(B, P.length)];
  for (let n = P.length; n > 0; n >>= 1) aParts.push(n & 1 ? B : P);
  let C = h(...aParts);
  const Pp = repeatTo(h(...Array(P.length).fill(P)), P.length);
  const Sp = repeatTo(h(...Array(16 + C[0]).fill(S)), S.length);
  // the hot loop: one reused buffer and one-shot hashing (656000 rounds by default)
  const buf = Buffer.alloc(2 * Pp.length + Sp.length + 2 * C.length);
  for (let i = 0; i < rounds; i++) {
    let n = (i & 1 ? Pp : C).copy(buf, 0);
    if (i % 3) n += Sp.copy(buf, n);
    if (i % 7) n += Pp.copy(buf, n);
    n += (i & 1 ? C : Pp).copy(buf, n);
    C = oneShot(alg, buf.subarray(0, n), 'buffer');
  }
  const id = bits === 512 ? '6' : '5';
  const roundsPart = rounds === 5000 ? '' : `rounds=${rounds}$`;
  return `$${id}$${roundsPart}${salt}$${encode(C, bits === 512 ? SHA512_ORDER : SHA256_ORDER)}`;
}

/** Poul-Henning Kamp's MD5-crypt ($1$). */
export function md5Crypt(password: string, salt: string): string {
  const h = (...parts: Buffer[]) => {
    const hash = createHash('md5');
    for (const p of parts) hash.update(p);
    return hash.digest();
  };
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(salt, 'ascii');
  const alt = h(P, S, P);
  const parts = [P, Buffer.from('$1$'), S, repeatTo(alt, P.length)];
  for (let n = P.length; n > 0; n >>= 1) parts.push(n & 1 ? Buffer.from([0]) : Buffer.from([P.length ? P[0] : 0]));
  let final = h(...parts);
  for (let i = 0; i < 1000; i++) {
    const hash = createHash('md5');
    hash.update(i & 1 ? P : final);
    if (i % 3) hash.update(S);
    if (i % 7) hash.update(P);
    hash.update(i & 1 ? final : P);
    final = hash.digest();
  }
  return `$1$${salt}$${encode(final, MD5_ORDER)}`;
}

interface Scheme {
  name: string;
  saltSize: number;
  defaultRounds?: number;
}

const SCHEMES: Record<string, Scheme> = {
  sha512: { name: 'sha512_crypt', saltSize: 16, defaultRounds: 656000 },
  sha512_crypt: { name: 'sha512_crypt', saltSize: 16, defaultRounds: 656000 },
  sha256: { name: 'sha256_crypt', saltSize: 16, defaultRounds: 535000 },
  sha256_crypt: { name: 'sha256_crypt', saltSize: 16, defaultRounds: 535000 },
  md5: { name: 'md5_crypt', saltSize: 8 },
  md5_crypt: { name: 'md5_crypt', saltSize: 8 },
};

/** A random salt from crypt's alphabet. */
export function randomSalt(size: number): string {
  return Array.from({ length: size }, () => ITOA64[randomInt(64)]).join('');
}

function blowfish(ctx: CallCtx, password: string, salt: unknown, rounds: unknown, ident: unknown): string {
  const id = ident === undefined || ident === null || ident === '' ? '2b' : toStr(ident);
  if (!['2', '2a', '2b', '2y'].includes(id)) ctx.fail(`Could not hash the secret: invalid ident for bcrypt: ${id}`, 'use 2a, 2b or 2y');
  const s = salt === undefined || salt === null || salt === '' ? bcryptSalt() : toStr(salt);
  if (!validBcryptSalt(s)) ctx.fail('Could not hash the secret: bcrypt needs a salt of exactly 22 characters from ./A-Za-z0-9');
  const cost = rounds ? toInt(rounds) : 12;
  if (cost < 4 || cost > 31) ctx.fail(`Could not hash the secret: bcrypt rounds (the cost) must be between 4 and 31, got ${cost}`);
  return bcrypt(password, s, cost, id);
}

function bcryptSalt(): string {
  const chars = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  // the last character carries 2 bits: passlib only draws the ones with the other 4 bits clear
  return Array.from({ length: 21 }, () => chars[randomInt(64)]).join('') + chars[randomInt(4) * 16];
}

/** Ansible's password_hash with passlib: sha512 (656000 rounds unless told), sha256 (535000), md5 or blowfish (bcrypt, cost 12). */
export function passwordHash(ctx: CallCtx, password: string, type: string, salt: unknown, saltSize: unknown, rounds: unknown, ident?: unknown): string {
  const scheme = Object.hasOwn(SCHEMES, type) ? SCHEMES[type] : undefined;
  if (type === 'blowfish' || type === 'bcrypt') return blowfish(ctx, password, salt, rounds, ident);
  if (!scheme) return ctx.fail(`passlib does not support '${type}' algorithm`, 'use sha512 (the default), sha256, md5 or blowfish');
  const max = scheme.saltSize;
  let s = salt === undefined || salt === null || salt === '' ? undefined : toStr(salt);
  if (s !== undefined && /[^./0-9A-Za-z]/.test(s))
    ctx.fail(`Could not hash the secret: invalid characters in ${scheme.name} salt`, 'a salt uses only letters, digits, . and /');
  if (s !== undefined && s.length > max)
    ctx.fail(`Could not hash the secret: salt too large (${scheme.name} requires <= ${max} chars)`, `use a salt of at most ${max} characters`);
  if (s === undefined) {
    const size = saltSize === undefined || saltSize === null ? max : toInt(saltSize);
    if (size < 0 || size > max) ctx.fail(`Could not hash the secret: salt_size must be between 0 and ${max}`);
    s = randomSalt(size);
  }
  if (scheme.name === 'md5_crypt') {
    if (rounds) ctx.fail('Could not hash the secret: md5_crypt does not take rounds', 'drop rounds= for md5');
    return md5Crypt(password, s);
  }
  const r = rounds ? toInt(rounds) : (scheme.defaultRounds as number);
  if (r < 1000 || r > 999999999) ctx.fail(`Could not hash the secret: rounds must be between 1000 and 999999999, got ${r}`);
  return shaCrypt(scheme.name === 'sha512_crypt' ? 512 : 256, password, s, r);
}

const ANSIBLE_NAMESPACE = '361e6d51-faec-444a-9079-341386da8e2e';

/** uuid.uuid5(namespace, name). */
export function uuid5(ctx: CallCtx, name: string, namespace: string): string {
  const hex = namespace.replace(/^urn:uuid:/i, '').replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) ctx.fail(`Invalid value '${namespace}' for 'namespace': badly formed hexadecimal UUID string`);
  const digest = createHash('sha1').update(Buffer.from(hex, 'hex')).update(name, 'utf8').digest();
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const h = digest.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The hashing filters. */
export const cryptoFilters: Record<string, Filter> = {
  hash: { params: ['hashtype'], fn: (v, [alg], ctx) => pyHash(ctx, v, toStr(alg ?? 'sha1')) },
  password_hash: {
    params: ['hashtype', 'salt', 'salt_size', 'rounds', 'ident'],
    fn: (v, [type, salt, saltSize, rounds, ident], ctx) => {
      if (typeof v !== 'string' && typeof v !== 'number') ctx.fail(`password_hash needs text, got ${typeName(v)}`);
      return passwordHash(ctx, toStr(v), toStr(type ?? 'sha512'), salt, saltSize, rounds, ident);
    },
  },
  to_uuid: { params: ['namespace'], fn: (v, [ns], ctx) => uuid5(ctx, toStr(v), ns === undefined || ns === null ? ANSIBLE_NAMESPACE : toStr(ns)) },
};
