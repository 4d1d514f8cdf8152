/** Parsers for getent's passwd and group lines, shared by user, group and authorized_key. */

/** One passwd entry. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}

/** One group entry. */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Parses `name:x:uid:gid:gecos:home:shell`; undefined for anything else (an empty lookup). */
export function parsePasswd(line: string): PasswdEntry | undefined {
  const f = line.trim().split(':');
  if (f.length < 7 || !f[0]) return undefined;
  return { name: f[0], uid: Number(f[2]), gid: Number(f[3]), comment: f[4], home: f[5], shell: f.slice(6).join(':') };
}

/** Parses `name:x:gid:member,member`; undefined for anything else. */
export function parseGroup(line: string): GroupEntry | undefined {
  const f = line.trim().split(':');
  if (f.length < 4 || !f[0]) return undefined;
  return { name: f[0], gid: Number(f[2]), members: f[3] ? f[3].split(',') : [] };
}

/** The message shown when shadow's tools are missing on a host. */
export function missingToolsMsg(tools: string[]): string {
  return `${tools.join(', ')} not found on the host: muster manages accounts with the shadow utilities ` + `(Debian: the "passwd" package; Alpine: "shadow")`;
}
