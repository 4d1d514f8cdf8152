/** A remote's refs as `git ls-remote` prints them, and what a `version` argument names among them. */

/** ref name -> commit (tags peeled: `refs/tags/v1` is the commit, not the tag object). */
export type Refs = Map<string, string>;

/** Pure: `git ls-remote` output -> refs, annotated tags replaced by the commit they point to. */
export function parseLsRemote(text: string): Refs {
  const refs: Refs = new Map();
  const peeled: Refs = new Map();
  for (const line of text.split('\n')) {
    const [sha, ref] = line.trim().split(/\s+/);
    if (!sha || !ref) continue;
    if (ref.endsWith('^{}')) peeled.set(ref.slice(0, -3), sha);
    else refs.set(ref, sha);
  }
  for (const [ref, sha] of peeled) refs.set(ref, sha);
  return refs;
}

/** What a version names: the remote's HEAD, a branch, a tag, or a commit id (maybe not advertised). */
export type Target = { kind: 'head' | 'branch' | 'tag'; name: string; sha: string } | { kind: 'sha'; name: string; sha: string };

/** Pure: the target of `version` among the refs, or undefined when it is none of them. */
export function resolveVersion(version: string, refs: Refs): Target | undefined {
  if (version === 'HEAD') {
    const sha = refs.get('HEAD');
    return sha ? { kind: 'head', name: 'HEAD', sha } : undefined;
  }
  const branch = refs.get(`refs/heads/${version}`);
  if (branch) return { kind: 'branch', name: version, sha: branch };
  const tag = refs.get(`refs/tags/${version}`);
  if (tag) return { kind: 'tag', name: version, sha: tag };
  if (/^[0-9a-f]{7,40}$/i.test(version)) return { kind: 'sha', name: version, sha: version.toLowerCase() };
  return undefined;
}

/** Pure: whether a full commit id is the one a (possibly abbreviated) id names. */
export function sameCommit(full: string | undefined, id: string): boolean {
  return full !== undefined && id.length >= 7 && full.toLowerCase().startsWith(id.toLowerCase());
}

/** Pure: the branch that the remote's HEAD is on: the current one when it matches, else the first with that commit. */
export function headBranch(refs: Refs, current: string | undefined): string | undefined {
  const sha = refs.get('HEAD');
  if (current && refs.get(`refs/heads/${current}`) === sha) return current;
  for (const [ref, s] of refs) if (ref.startsWith('refs/heads/') && s === sha) return ref.slice('refs/heads/'.length);
  return undefined;
}
