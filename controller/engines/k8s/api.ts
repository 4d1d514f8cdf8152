/**
 * The Kubernetes API over HTTPS (the I/O edge of the engine): one request function, verified against the
 * kubeconfig's CA, with its bearer token or client certificate. Errors from the API server become
 * MusterErrors that name the object and what to do.
 */
import { request as httpsRequest } from 'node:https';
import { MusterError } from '../../../shared/errors.js';
import type { ClusterAccess } from './kubeconfig.js';

export interface ApiResponse {
  status: number;
  /** parsed JSON, or the text when it is none */
  body: unknown;
}

/** What the engine needs of an API server (tests give a fake server, or a recorder). */
export interface KubeApi {
  request(method: string, path: string, opts?: { body?: string; contentType?: string }): Promise<ApiResponse>;
}

/** A KubeApi over HTTPS to the kubeconfig's server. */
export function httpsApi(access: ClusterAccess, timeoutMs = 30_000): KubeApi {
  return {
    request: (method, path, opts = {}) =>
      new Promise((resolve, reject) => {
        const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'muster' };
        if (access.token) headers.Authorization = `Bearer ${access.token}`;
        if (opts.body !== undefined) {
          headers['Content-Type'] = opts.contentType ?? 'application/json';
          headers['Content-Length'] = String(Buffer.byteLength(opts.body));
        }
        const req = httpsRequest(
          `${access.server}${path}`,
          { method, headers, ca: access.ca, cert: access.cert, key: access.key, rejectUnauthorized: !access.insecure, timeout: timeoutMs },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let body: unknown = text;
              try {
                body = text ? JSON.parse(text) : undefined;
              } catch {
                // not JSON: keep the text
              }
              resolve({ status: res.statusCode ?? 0, body });
            });
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs / 1000}s`)));
        req.on('error', (e) =>
          reject(
            new MusterError('E_UNREACHABLE', `cannot reach the Kubernetes API at ${access.server}: ${e.message}`, {
              hint: 'is k3s running on the server node, and is its port 6443 reachable from here? (the kubeconfig names the address)',
              cause: e,
            }),
          ),
        );
        if (opts.body !== undefined) req.write(opts.body);
        req.end();
      }),
  };
}

/** The message of a Kubernetes Status body, with its causes. */
function statusMessage(body: unknown): string {
  if (body === null || typeof body !== 'object') return String(body ?? '').slice(0, 300);
  const b = body as { message?: string; details?: { causes?: { field?: string; message?: string }[] } };
  const causes = (b.details?.causes ?? []).map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`);
  return [b.message ?? '', ...causes.filter((c) => !(b.message ?? '').includes(c))].filter(Boolean).join('; ');
}

/** The error for a failed call on `what` (`Deployment home/web`, or `list Secrets in home`). */
export function apiError(res: ApiResponse, what: string): MusterError {
  const msg = statusMessage(res.body);
  switch (res.status) {
    case 401:
      return new MusterError('E_UNREACHABLE', `${what}: the API server refused the credentials (401 Unauthorized)`, {
        hint: "the kubeconfig's token or client certificate is wrong or expired: fetch it again (muster play -i INV k3s) or pass --kubeconfig FILE",
      });
    case 403:
      return new MusterError('E_UNREACHABLE', `${what}: forbidden (403): ${msg}`, {
        hint: "the kubeconfig's user may not do this: use the admin kubeconfig k3s writes (/etc/rancher/k3s/k3s.yaml, fetched by the k3s playbook)",
      });
    case 409:
      return new MusterError('E_SCHEMA', `${what}: conflict (409): ${msg}`, {
        hint: 'another field manager (kubectl, helm...) owns these fields: change them there, or pass --force-conflicts to take them over for muster',
      });
    case 422:
      return new MusterError('E_SCHEMA', `${what}: the API server refused it as invalid (422): ${msg}`, {
        hint: 'check `muster export --engine k8s STACK`; if the stack file is right, this is a muster bug: report it with that output',
      });
    default:
      return new MusterError('E_INTERNAL', `${what}: the API server answered ${res.status}: ${msg}`, {
        hint: 'look at the API server log (journalctl -u k3s on the server node)',
      });
  }
}
