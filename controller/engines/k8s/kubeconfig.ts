/**
 * The kubeconfig's current context, parsed (pure): the API server's URL, the CA to verify it with, and the
 * user's bearer token or client certificate (k3s writes a client certificate and key, inline).
 */
import { MusterError } from '../../../shared/errors.js';

/** How to reach and authenticate to one API server. */
export interface ClusterAccess {
  server: string;
  /** PEM; absent means the system's CAs */
  ca?: string;
  token?: string;
  cert?: string;
  key?: string;
  /** `insecure-skip-tls-verify: true` (never chosen by muster; refused unless the kubeconfig says so) */
  insecure: boolean;
  context: string;
}

type Named<T> = { name: string } & T;
type Doc = {
  'current-context'?: string;
  contexts?: Named<{ context?: { cluster?: string; user?: string } }>[];
  clusters?: Named<{ cluster?: Record<string, unknown> }>[];
  users?: Named<{ user?: Record<string, unknown> }>[];
};

const b64 = (v: unknown): string | undefined => (typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined);

/**
 * The access of `context` (default: current-context) in a parsed kubeconfig. `readFile` reads the files a
 * kubeconfig may name instead of inline data (certificate-authority, client-certificate, client-key).
 */
export function accessOf(doc: unknown, file: string, readFile: (path: string) => string, context?: string): ClusterAccess {
  const fail = (what: string) =>
    new MusterError('E_SCHEMA', `${file}: ${what}`, { hint: 'run the k3s playbook again to fetch the kubeconfig, or pass --kubeconfig FILE' });
  const d = (doc ?? {}) as Doc;
  const name = context ?? d['current-context'];
  if (!name) throw fail('no current-context');
  const ctx = d.contexts?.find((c) => c.name === name)?.context;
  if (!ctx) throw fail(`no context "${name}"`);
  const cluster = d.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string') throw fail(`context "${name}": no cluster "${ctx.cluster}" with a server`);
  const user = d.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const fileOr = (data: unknown, path: unknown) => b64(data) ?? (typeof path === 'string' ? readFile(path) : undefined);
  const access: ClusterAccess = {
    server: cluster.server.replace(/\/+$/, ''),
    ca: fileOr(cluster['certificate-authority-data'], cluster['certificate-authority']),
    token: typeof user.token === 'string' ? user.token : typeof user.tokenFile === 'string' ? readFile(user.tokenFile).trim() : undefined,
    cert: fileOr(user['client-certificate-data'], user['client-certificate']),
    key: fileOr(user['client-key-data'], user['client-key']),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    context: name,
  };
  if (!access.token && !(access.cert && access.key)) throw fail(`user "${ctx.user}" has neither a token nor a client certificate and key`);
  return access;
}
