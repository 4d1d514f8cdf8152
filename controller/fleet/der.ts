/**
 * The few DER (ASN.1 distinguished encoding) constructors an X.509 certificate needs. Pure: values in,
 * bytes out; Node's own X509Certificate parses what they make (the tests check that, and openssl too).
 */

/** A tag-length-value with a definite, minimal length (DER's only form). */
export function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

/** SEQUENCE of the parts, in order. */
export const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));

/** SET of the parts (callers give one element, or parts already in DER order). */
export const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));

/** BOOLEAN (DER: true is 0xff). */
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));

/** INTEGER from a non-negative number or big-endian unsigned bytes: leading zeros dropped, a sign byte added. */
export function int(v: number | Buffer): Buffer {
  let bytes: Buffer;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`not a non-negative integer: ${v}`);
    const a: number[] = [];
    for (let x = v; x > 0; x = Math.floor(x / 256)) a.unshift(x & 0xff);
    bytes = Buffer.from(a);
  } else bytes = v;
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  bytes = bytes.subarray(i);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

/** OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`bad OID ${dotted}`);
    return Number(a);
  });
  if (arcs.length < 2 || arcs[0] > 2) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  const base128 = (n: number): void => {
    const chunk: number[] = [n & 0x7f];
    for (let x = Math.floor(n / 128); x > 0; x = Math.floor(x / 128)) chunk.unshift(0x80 | (x & 0x7f));
    out.push(...chunk);
  };
  base128(arcs[0] * 40 + arcs[1]);
  for (const a of arcs.slice(2)) base128(a);
  return tlv(0x06, Buffer.from(out));
}

/** UTF8String. */
export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));

/** OCTET STRING. */
export const octets = (b: Buffer): Buffer => tlv(0x04, b);

/** BIT STRING of whole bytes, or of `bits` bits (the rest of the last byte unused, as DER wants zeros). */
export function bits(b: Buffer, unused = 0): Buffer {
  if (unused < 0 || unused > 7 || (unused > 0 && b.length === 0)) throw new RangeError(`bad unused bit count ${unused}`);
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
}

/** `[n] EXPLICIT`: a constructed context tag around one encoded value. */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);

/** `[n] IMPLICIT` of a primitive value: the context tag replaces the value's own (GeneralName's dNSName, iPAddress). */
export const implicit = (n: number, content: Buffer): Buffer => tlv(0x80 | n, content);

/**
 * A certificate's time: UTCTime (YYMMDDHHMMSSZ) up to 2049, GeneralizedTime after, as RFC 5280 requires.
 * Fractions of a second are dropped.
 */
export function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  if (y < 1950 || y > 9999) throw new RangeError(`year out of range: ${y}`);
  const p = (n: number): string => String(n).padStart(2, '0');
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return y < 2050 ? tlv(0x17, Buffer.from(`${p(y % 100)}${rest}`, 'ascii')) : tlv(0x18, Buffer.from(`${y}${rest}`, 'ascii'));
}
