/** URL filters: Ansible's urlsplit and urldecode (Python's urllib.parse); Jinja's urlencode is in jinja.ts. */
import { toStr } from '../values.js';
import type { CallCtx, Filter } from './types.js';

/** The parts of a URL, named and valued as Python's urlsplit result (keys in its alphabetical order). */
export interface UrlParts {
  fragment: string;
  hostname: string | null;
  netloc: string;
  password: string | null;
  path: string;
  port: number | null;
  query: string;
  scheme: string;
  username: string | null;
}

/** Python's urllib.parse.urlsplit, with the hostname, port and credentials it derives. */
export function urlSplit(ctx: CallCtx, input: string): UrlParts {
  let url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  let netloc = '';
  if (url.startsWith('//')) {
    const rest = url.slice(2);
    const end = rest.search(/[/?#]/);
    netloc = end < 0 ? rest : rest.slice(0, end);
    url = end < 0 ? '' : rest.slice(end);
    if ((netloc.includes('[') && !netloc.includes(']')) || (netloc.includes(']') && !netloc.includes('['))) ctx.fail('urlsplit: invalid IPv6 URL');
  }
  let fragment = '';
  const hash = url.indexOf('#');
  if (hash >= 0) [url, fragment] = [url.slice(0, hash), url.slice(hash + 1)];
  let query = '';
  const q = url.indexOf('?');
  if (q >= 0) [url, query] = [url.slice(0, q), url.slice(q + 1)];
  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : undefined;
  const hostinfo = at >= 0 ? netloc.slice(at + 1) : netloc;
  let username: string | null = null;
  let password: string | null = null;
  if (userinfo !== undefined) {
    const c = userinfo.indexOf(':');
    username = c >= 0 ? userinfo.slice(0, c) : userinfo;
    password = c >= 0 ? userinfo.slice(c + 1) : null;
  }
  let host: string;
  let portText: string | undefined;
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(hostinfo) ?? /^\[([^\]]*)\]/.exec(hostinfo);
  if (bracket) [host, portText] = [bracket[1], bracket[2]];
  else {
    const c = hostinfo.indexOf(':');
    [host, portText] = c >= 0 ? [hostinfo.slice(0, c), hostinfo.slice(c + 1)] : [hostinfo, undefined];
  }
  let port: number | null = null;
  if (portText) {
    if (!/^\d+$/.test(portText)) ctx.fail(`urlsplit: port could not be cast to integer value as '${portText}'`);
    port = Number(portText);
    if (port > 65535) ctx.fail('urlsplit: port out of range 0-65535');
  }
  return { fragment, hostname: host ? host.toLowerCase() : null, netloc, password, path: url, port, query, scheme, username };
}

/** Python's unquote_plus: '+' is a space, %XX sequences are UTF-8 bytes (bad ones stay as they are). */
export function urlDecode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Buffer.from(run.replace(/%/g, ''), 'hex');
    return new TextDecoder('utf-8').decode(bytes);
  });
}

const PARTS = ['fragment', 'hostname', 'netloc', 'password', 'path', 'port', 'query', 'scheme', 'username'];

/** Ansible's URL filters. */
export const urlFilters: Record<string, Filter> = {
  urlsplit: {
    params: ['query'],
    fn: (v, [query], ctx) => {
      const parts = urlSplit(ctx, toStr(v));
      if (!query) return parts;
      const q = toStr(query);
      if (!PARTS.includes(q)) ctx.fail(`urlsplit: unknown URL component: ${q}`, `use one of ${PARTS.join(', ')}`);
      return parts[q as keyof UrlParts];
    },
  },
  urldecode: { params: [], fn: (v) => urlDecode(toStr(v)) },
};
