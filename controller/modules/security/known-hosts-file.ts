/**
 * OpenSSH known_hosts files as data: parse lines (marker, host patterns, key), match a host name the way
 * ssh does (plain or hashed `|1|salt|hash` entries, comma lists, `*`/`?` wildcards, `!` negations), hash a
 * name, and edit a file's text so that a host's key is present or absent.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** One host key line. */
export interface HostLine {
  /** @cert-authority or @revoked */
  marker?: string;
  /** the host field as written (comma-separated patterns or one hashed entry) */
  hosts: string;
  type: string;
  blob: string;
  comment?: string;
}

/** Parses one line; undefined for blank lines, comments and anything that is not a host key. */
export function parseHostLine(line: string): HostLine | undefined {
  const t = line.trim();
  if (!t || t.startsWith('#')) return undefined;
  const f = t.split(/\s+/);
  const marker = f[0].startsWith('@') ? f.shift() : undefined;
  if (f.length < 3) return undefined;
  const [hosts, type, blob, ...rest] = f;
  if (!/^[A-Za-z0-9+/]+={0,3}$/.test(blob)) return undefined;
  return { marker, hosts, type, blob, comment: rest.length ? rest.join(' ') : undefined };
}

/** A host key as a known_hosts line. */
export function formatHostLine(h: HostLine): string {
  return [h.marker, h.hosts, h.type, h.blob, h.comment].filter((p) => p !== undefined && p !== '').join(' ');
}

/** `|1|salt|hash` for a host name: HMAC-SHA1 keyed by the salt, both base64, as `ssh-keygen -H` writes it. */
export function hashHost(name: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${hash}`;
}

/** Whether a host field is one hashed entry. */
export function isHashed(hosts: string): boolean {
  return hosts.startsWith('|1|');
}

function wildcard(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

/** Whether a host field names `name` (already in its `[host]:port` form for a non-standard port). */
export function matchesHost(hosts: string, name: string): boolean {
  if (isHashed(hosts)) {
    const [, , salt, hash] = hosts.split('|');
    if (salt === undefined || hash === undefined) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name.toLowerCase()).digest('base64') === hash;
  }
  let hit = false;
  for (const p of hosts.split(',')) {
    if (p.startsWith('!')) {
      if (wildcard(p.slice(1), name)) return false;
    } else if (wildcard(p, name)) hit = true;
  }
  return hit;
}

/** The state a task asks for. */
export interface HostKeyEdit {
  name: string;
  /** the wanted line (present), or the key to remove (absent; undefined removes every key of the host) */
  key?: HostLine;
  state: 'present' | 'absent';
  hashHost: boolean;
  /** the salt a newly hashed line gets (tests pass a fixed one) */
  salt?: Buffer;
}

const sameKey = (a: HostLine, b: HostLine) => a.type === b.type && a.blob === b.blob && a.marker === b.marker;

/**
 * Pure: the file's new text. Present keeps a line that already has the key (rehashing it when hash_host asks
 * for it), replaces the host's lines of the same key type with a different key, or appends; absent drops the
 * host's lines with that key, or all of its lines when no key is given. Every other line stays as written.
 */
export function editHostKeys(existing: string, e: HostKeyEdit): string {
  const name = e.name.toLowerCase();
  const lines = existing === '' ? [] : existing.replace(/\n$/, '').split('\n');
  const ofHost = (l: HostLine | undefined): l is HostLine => l !== undefined && matchesHost(l.hosts, name);
  const parsed = lines.map(parseHostLine);
  if (e.state === 'absent') {
    const kept = lines.filter((_, i) => {
      const l = parsed[i];
      return !(ofHost(l) && (e.key === undefined || sameKey(l, e.key)));
    });
    return kept.length ? `${kept.join('\n')}\n` : '';
  }
  const want = e.key as HostLine;
  const wanted = e.hashHost ? { ...want, hosts: hashHost(name, e.salt) } : want;
  const found = parsed.findIndex((l) => ofHost(l) && sameKey(l, want));
  const out: string[] = [];
  let placed = false;
  parsed.forEach((l, i) => {
    if (i === found) {
      const hosts = (l as HostLine).hosts;
      // A line naming several hosts stays as it is: hashing it for one name would drop the others.
      const rehash = e.hashHost && !isHashed(hosts) && !hosts.includes(',');
      out.push(rehash ? formatHostLine({ ...(l as HostLine), hosts: wanted.hosts }) : lines[i]);
      placed = true;
      return;
    }
    // Another key of the same type for this host is an outdated one: ssh would refuse the host with it.
    if (ofHost(l) && l.type === want.type && l.marker === want.marker) return;
    out.push(lines[i]);
  });
  if (!placed) out.push(formatHostLine(wanted));
  return `${out.join('\n')}\n`;
}
