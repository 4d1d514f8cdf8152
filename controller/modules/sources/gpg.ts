/** OpenPGP keys as `gpg --show-keys --with-colons` lists them, key ids as users write them, and HKP key servers. */

/** One public key: its primary fingerprint and its subkeys'. */
export interface PgpKey {
  fpr: string;
  subs: string[];
}

/** Pure: the keys in gpg's colon listing (`pub`/`sub` records, each followed by its `fpr`). */
export function parseColons(text: string): PgpKey[] {
  const keys: PgpKey[] = [];
  let last: 'pub' | 'sub' | undefined;
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === 'pub' || f[0] === 'sub') last = f[0];
    else if (f[0] === 'fpr' && last && f[9]) {
      if (last === 'pub') keys.push({ fpr: f[9].toUpperCase(), subs: [] });
      else keys.at(-1)?.subs.push(f[9].toUpperCase());
      last = undefined;
    }
  }
  return keys;
}

/** Pure: a key id as written (`0x` prefix, spaces, any case) in upper-case hex, or undefined when it is not 8 to 40 hex digits. */
export function normalId(id: string): string | undefined {
  const hex = id.replace(/\s+/g, '').replace(/^0x/i, '').toUpperCase();
  return /^[0-9A-F]{8,40}$/.test(hex) ? hex : undefined;
}

/** Pure: whether the key (or one of its subkeys) has this id (a fingerprint's tail). */
export function hasId(key: PgpKey, id: string): boolean {
  return [key.fpr, ...key.subs].some((f) => f.endsWith(id));
}

/** Pure: the HTTP lookup URL for a key on an HKP server (`hkp://` is port 11371 over http, `hkps://` https, a bare name is hkp). */
export function hkpUrl(server: string, id: string): string {
  let base = server.trim().replace(/\/+$/, '');
  if (/^hkps:\/\//i.test(base)) base = `https://${base.slice(7)}`;
  else if (/^hkp:\/\//i.test(base)) base = `http://${withPort(base.slice(6))}`;
  else if (!/^https?:\/\//i.test(base)) base = `http://${withPort(base)}`;
  return `${base}/pks/lookup?op=get&options=mr&search=0x${id}`;
}

function withPort(hostPath: string): string {
  const [host, ...rest] = hostPath.split('/');
  const port = /:\d+$/.test(host) ? host : `${host}:11371`;
  return [port, ...rest].join('/');
}
