/**
 * Correctly rounded log, log10 and pow, as glibc computes them for Python. V8's Math.log and `**` can be
 * one unit in the last place off (Math.log(3) is), which would print `2.0000000000000004` where Ansible
 * prints `2.0`. Values are worked out in 256-bit fixed point, then rounded to the nearest double.
 */

const P = 256n;
const ONE = 1n << P;

// a finite double as an exact fixed-point BigInt (bits below 2^-256 are dropped)
function toFixed(d: number): bigint {
  if (d === 0) return 0n;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(d));
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const mant = (bits & ((1n << 52n) - 1n)) | (expBits ? 1n << 52n : 0n);
  const shift = BigInt((expBits || 1) - 1075) + P;
  const v = shift >= 0n ? mant << shift : mant >> -shift;
  return d < 0 ? -v : v;
}

function nextAfter(d: number, up: boolean): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, d);
  let bits = buf.getBigInt64(0);
  if (d === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  bits += d > 0 === up ? 1n : -1n;
  buf.setBigInt64(0, bits);
  return buf.getFloat64(0);
}

// the double nearest to the fixed-point value, searching around an approximation
function nearest(exact: bigint, approx: number): number {
  let best = approx;
  let bestErr = abs(toFixed(approx) - exact);
  for (const up of [true, false]) {
    let c = approx;
    for (let i = 0; i < 4; i++) {
      c = nextAfter(c, up);
      const err = abs(toFixed(c) - exact);
      if (err < bestErr || (err === bestErr && evenMantissa(c) && !evenMantissa(best))) [best, bestErr] = [c, err];
    }
  }
  return best;
}

function evenMantissa(d: number): boolean {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, d);
  return (buf.getBigUint64(0) & 1n) === 0n;
}

const abs = (v: bigint) => (v < 0n ? -v : v);
const mul = (a: bigint, b: bigint) => (a * b) >> P;
const div = (a: bigint, b: bigint) => (a << P) / b;

// 2·atanh(z) = ln((1+z)/(1-z))
function atanh2(z: bigint): bigint {
  const z2 = mul(z, z);
  let term = z;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = mul(term, z2);
  }
  return 2n * sum;
}

const LN2 = atanh2(div(ONE, 3n * ONE));
const LN10 = lnFixed(10);

// ln of a positive finite double, in fixed point
function lnFixed(x: number): bigint {
  const e = Math.floor(Math.log2(x));
  let m = toFixed(x);
  m = e >= 0 ? m >> BigInt(e) : m << BigInt(-e);
  // keep m in [1, 2)
  let k = BigInt(e);
  while (m >= 2n * ONE) [m, k] = [m >> 1n, k + 1n];
  while (m < ONE) [m, k] = [m << 1n, k - 1n];
  return atanh2(div(m - ONE, m + ONE)) + k * LN2;
}

function expFixed(t: bigint): bigint {
  const q = t + LN2 / 2n;
  const k = q >= 0n ? q / LN2 : -((-q + LN2 - 1n) / LN2);
  const r = t - k * LN2;
  let term = ONE;
  let sum = 0n;
  for (let n = 1n; term !== 0n; n++) {
    sum += term;
    term = mul(term, r) / n;
  }
  return k >= 0n ? sum << k : sum >> -k;
}

/** math.log(x): NaN for x <= 0 (Python raises; the caller reports it). */
export function ln(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return x === Number.POSITIVE_INFINITY ? x : Number.NaN;
  if (x === 1) return 0;
  return nearest(lnFixed(x), Math.log(x));
}

/** math.log10(x). */
export function log10(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return x === Number.POSITIVE_INFINITY ? x : Number.NaN;
  return nearest(div(lnFixed(x), LN10), Math.log10(x));
}

/** math.pow(x, y); NaN where Python raises a domain error, Infinity where it raises a range error. */
export function pow(x: number, y: number): number {
  const plain = x ** y;
  if (!Number.isFinite(x) || !Number.isFinite(y) || x === 0 || y === 0 || !Number.isFinite(plain) || plain === 0) return plain;
  if (x < 0 && !Number.isInteger(y)) return Number.NaN;
  const sign = x < 0 && Number.isInteger(y) && Math.abs(y) % 2 === 1 ? -1 : 1;
  const t = mul(lnFixed(Math.abs(x)), toFixed(y));
  return sign * nearest(expFixed(t), Math.abs(plain));
}
