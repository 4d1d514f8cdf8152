/**
 * bcrypt ($2b$), as passlib writes it for password_hash('blowfish'). Blowfish's initial tables are the
 * hexadecimal digits of pi, computed once here (Machin's formula in BigInt) rather than pasted in.
 */

let tables: { P: Uint32Array; S: Uint32Array } | undefined;

// the first `words` 32-bit words of pi's fraction
function piWords(words: number): Uint32Array {
  const bits = BigInt(words * 32 + 64);
  const one = 1n << bits;
  const atanInv = (x: bigint) => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    for (let k = 1n, sign = 1n; term !== 0n; k += 2n, sign = -sign) {
      sum += (sign * term) / k;
      term /= x2;
    }
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
  let frac = (pi - 3n * one) >> 64n;
  const out = new Uint32Array(words);
  for (let i = words - 1; i >= 0; i--) {
    out[i] = Number(frac & 0xffffffffn);
    frac >>= 32n;
  }
  return out;
}

function initialTables(): { P: Uint32Array; S: Uint32Array } {
  if (!tables) {
    const w = piWords(18 + 1024);
    tables = { P: w.slice(0, 18), S: w.slice(18) };
  }
  return tables;
}

class Blowfish {
  readonly P: Uint32Array;
  readonly S: Uint32Array;
  constructor() {
    const t = initialTables();
    this.P = t.P.slice();
    this.S = t.S.slice();
  }

  private f(x: number): number {
    const S = this.S;
    return (((S[x >>> 24] + S[256 | ((x >>> 16) & 0xff)]) ^ S[512 | ((x >>> 8) & 0xff)]) + S[768 | (x & 0xff)]) >>> 0;
  }

  /** Encrypts the pair lr[i], lr[i + 1] in place. */
  encrypt(lr: Uint32Array, i: number): void {
    let l = lr[i];
    let r = lr[i + 1];
    const P = this.P;
    for (let k = 0; k < 16; k += 2) {
      l ^= P[k];
      r ^= this.f(l);
      r ^= P[k + 1];
      l ^= this.f(r);
    }
    lr[i] = (r ^ P[17]) >>> 0;
    lr[i + 1] = (l ^ P[16]) >>> 0;
  }

  /** The key schedule step of eksblowfish, with `salt` mixed in (all zero words for the plain schedule). */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    let pos = 0;
    const word = (bytes: Uint8Array) => {
      let w = 0;
      for (let j = 0; j < 4; j++) {
        w = ((w << 8) | bytes[pos % bytes.length]) >>> 0;
        pos++;
      }
      return w;
    };
    for (let i = 0; i < 18; i++) this.P[i] = (this.P[i] ^ word(key)) >>> 0;
    let spos = 0;
    const saltWord = () => {
      if (!salt) return 0;
      let w = 0;
      for (let j = 0; j < 4; j++) w = ((w << 8) | salt[spos++ % salt.length]) >>> 0;
      return w;
    };
    const lr = new Uint32Array(2);
    for (let i = 0; i < 18; i += 2) {
      lr[0] ^= saltWord();
      lr[1] ^= saltWord();
      this.encrypt(lr, 0);
      this.P[i] = lr[0];
      this.P[i + 1] = lr[1];
    }
    for (let i = 0; i < 1024; i += 2) {
      lr[0] ^= saltWord();
      lr[1] ^= saltWord();
      this.encrypt(lr, 0);
      this.S[i] = lr[0];
      this.S[i + 1] = lr[1];
    }
  }
}

const B64 = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function encode(bytes: Uint8Array, chars: number): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      out += B64[(acc >> (bits - 6)) & 63];
      bits -= 6;
    }
  }
  if (bits > 0) out += B64[(acc << (6 - bits)) & 63];
  return out.slice(0, chars);
}

function decode(text: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const c of text) {
    acc = (acc << 6) | B64.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      out.push((acc >> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/** Whether a 22-character salt uses bcrypt's alphabet. */
export const validBcryptSalt = (salt: string) => /^[./A-Za-z0-9]{22}$/.test(salt);

/** bcrypt of `password` with a 22-character salt and a cost (log2 of the rounds); the salt's unused bits are cleared as passlib does. */
export function bcrypt(password: string, salt: string, cost: number, ident = '2b'): string {
  const saltBytes = decode(salt).slice(0, 16);
  const pw = Buffer.concat([Buffer.from(password, 'utf8'), Buffer.from([0])]).subarray(0, 72);
  const bf = new Blowfish();
  bf.expand(pw, saltBytes);
  for (let i = 0; i < 2 ** cost; i++) {
    bf.expand(pw);
    bf.expand(saltBytes);
  }
  const text = Buffer.from('OrpheanBeholderScryDoubt');
  const lr = new Uint32Array(6);
  for (let i = 0; i < 6; i++) lr[i] = text.readUInt32BE(i * 4);
  for (let n = 0; n < 64; n++) for (let i = 0; i < 6; i += 2) bf.encrypt(lr, i);
  const out = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) out.writeUInt32BE(lr[i], i * 4);
  return `$${ident}$${String(cost).padStart(2, '0')}$${encode(saltBytes, 22)}${encode(out.subarray(0, 23), 31)}`;
}
