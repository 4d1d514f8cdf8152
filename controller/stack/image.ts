/** An image reference checked as Docker parses it (`[registry[:port]/]path[:tag][@digest]`), so a bad one fails at load time. */

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;

/** Why `ref` is not an image reference, or undefined when it is one. */
export function imageProblem(ref: string): string | undefined {
  if (/\s/.test(ref)) return 'it contains white space';
  let rest = ref;
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (!DIGEST.test(rest.slice(at + 1))) return `"${rest.slice(at + 1)}" is not a digest (sha256:<64 hex digits>)`;
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    if (!TAG.test(rest.slice(colon + 1))) return `"${rest.slice(colon + 1)}" is not a tag (letters, digits, _ . -, at most 128)`;
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  // the first part is a registry when it looks like a host: a dot, a port, or localhost
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost' || parts[0] !== parts[0].toLowerCase())) {
    if (!DOMAIN.test(parts[0])) return `"${parts[0]}" is not a registry host`;
    parts.shift();
  }
  for (const p of parts) {
    if (p !== p.toLowerCase() && COMPONENT.test(p.toLowerCase())) return 'repository names are lower case';
    if (!COMPONENT.test(p)) return `"${p}" is not a repository name (lower-case letters, digits and single . _ - between them)`;
  }
  return undefined;
}
