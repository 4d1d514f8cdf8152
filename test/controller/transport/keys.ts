// Test helpers: SSH public key blobs and known_hosts lines built by hand.
import { createHmac, randomBytes } from 'node:crypto';

/** An SSH public key blob: string(type) then string(body), as the wire format writes keys. */
export function blob(type: string, body: Buffer = randomBytes(32)): Buffer {
  const t = Buffer.from(type);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(t.length);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([head, t, len, body]);
}

/** A hashed known_hosts host field for `name` (`host` or `[host]:port`), as ssh-keygen -H writes it. */
export function hashed(name: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

/** One known_hosts line. */
export function line(hosts: string, key: Buffer, marker?: string): string {
  const type = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
  return `${marker ? `${marker} ` : ''}${hosts} ${type} ${key.toString('base64')} comment`;
}
