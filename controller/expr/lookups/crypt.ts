/** SHA-crypt ($5$ and $6$, Drepper's scheme): what the password lookup's `encrypt` produces, as crypt(3) does. */
import { createHash } from 'node:crypto';

const B64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The hash algorithms `encrypt=` accepts, with their crypt prefix and digest. */
export const CRYPT_SCHEMES: Record<string, { prefix: string; digest: 'sha256' | 'sha512' }> = {
  sha256_crypt: { prefix: '$5$', digest: 'sha256' },
  sha512_crypt: { prefix: '$6$', digest: 'sha512' },
};

/** The characters a crypt salt is made of. */
export const SALT_CHARS = B64;

function repeat(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += block.length) block.copy(out, i, 0, Math.min(block.length, length - i));
  return out;
}

function b64(w: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++, w >>= 6) s += B64[w & 0x3f];
  return s;
}

/** crypt(3) of `password` with `salt` (at most 16 characters used) and 5000 rounds, e.g. "$6$salt$...". */
export function shaCrypt(scheme: 'sha256_crypt' | 'sha512_crypt', password: string, salt: string): string {
  const { prefix, digest } = CRYPT_SCHEMES[scheme];
  const h = () => createHash(digest);
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const size = digest === 'sha512' ? 64 : 32;
  const b = h().update(p).update(s).update(p).digest();
  const a = h().update(p).update(s);
  let i = p.length;
  for (; i > size; i -= size) a.update(b);
  a.update(b.subarray(0, i));
  for (i = p.length; i > 0; i >>= 1) a.update(i & 1 ? b : p);
  let c = a.digest();
  const dp = h();
  for (i = 0; i < p.length; i++) dp.update(p);
  const pBytes = repeat(dp.digest(), p.length);
  const ds = h();
  for (i = 0; i < 16 + c[0]; i++) ds.update(s);
  const sBytes = repeat(ds.digest(), s.length);
  for (let r = 0; r < 5000; r++) {
    const x = h();
    x.update(r & 1 ? pBytes : c);
    if (r % 3) x.update(sBytes);
    if (r % 7) x.update(pBytes);
    x.update(r & 1 ? c : pBytes);
    c = x.digest();
  }
  let out = '';
  if (size === 64) {
    for (let k = 0; k < 21; k++) {
      const [x, y, z] = [k, k + 21, k + 42];
      const [p0, p1, p2] = k % 3 === 0 ? [x, y, z] : k % 3 === 1 ? [y, z, x] : [z, x, y];
      out += b64((c[p0] << 16) | (c[p1] << 8) | c[p2], 4);
    }
    out += b64(c[63], 2);
  } else {
    for (let k = 0; k < 10; k++) {
      const [x, y, z] = [k, k + 10, k + 20];
      const [p0, p1, p2] = k % 3 === 0 ? [x, y, z] : k % 3 === 1 ? [z, x, y] : [y, z, x];
      out += b64((c[p0] << 16) | (c[p1] << 8) | c[p2], 4);
    }
    out += b64((c[31] << 8) | c[30], 3);
  }
  return `${prefix}${salt.slice(0, 16)}$${out}`;
}
