/**
 * The controller's HTTPS requests to agents, under the API's calls (agent-client.ts) and streams
 * (agent-streams.ts), and the only code that opens connections to agents: the agent's certificate is verified
 * against the fleet CA and its name against the address dialled; the token goes as a bearer header. A failure
 * is classified so that the user reads why and what to do.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { type Agent, type RequestOptions, request } from 'node:https';
import { isIP } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import { fleetContext } from './tls-pool.js';

/** Why an agent did not answer. */
export type AgentFailureKind = 'refused' | 'timeout' | 'unreachable' | 'unresolved' | 'tls' | 'token' | 'bad-answer' | 'reset';

/** A failure, said for people. */
export interface AgentFailure {
  ok: false;
  kind: AgentFailureKind;
  message: string;
  hint: string;
}

/** Where an agent is and how to talk to it. */
export interface AgentTarget {
  address: string;
  port: number;
  /** the fleet CA certificate (PEM) */
  ca: string;
  token: string;
  /**
   * a keep-alive connection pool (tls-pool.ts keepAliveAgent) for callers that ask every second, such as the manager's
   * polls; without it each request has a connection of its own
   */
  pool?: Agent;
}

/** Answers bigger than this are refused (a report of a busy node is tens of kilobytes). */
const MAX_BODY = 8 << 20;

/** Node's codes for a server certificate that does not verify against the CA (the agent's and the manager's). */
export const CERT_ERROR_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);

/** Every TLS failure: a certificate that does not verify, another name, or no TLS at all on the port. */
const TLS_CODES = new Set([...CERT_ERROR_CODES, 'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER']);

const REINSTALL = 'run `muster play -i INVENTORY agent` for this host';

/** Pure: a socket or TLS error (its code and message) -> what it means and what to do. */
export function classifyError(code: string | undefined, message: string, where: string, timeoutS: number): AgentFailure {
  const fail = (kind: AgentFailureKind, msg: string, hint: string): AgentFailure => ({ ok: false, kind, message: msg, hint });
  if (code === 'ETIMEOUT')
    return fail(
      'timeout',
      `no answer from ${where} within ${timeoutS}s`,
      'check the address and port (muster_agent_address, muster_agent_port), firewalls, and that the agent runs: systemctl status muster-agent',
    );
  if (code === 'ECONNREFUSED')
    return fail(
      'refused',
      `connection refused by ${where}: nothing listens there`,
      `check that the agent runs (systemctl status muster-agent on the node) and its port; to install it, ${REINSTALL}`,
    );
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ETIMEDOUT')
    return fail('unreachable', `${where} is unreachable (${code})`, 'check that the node is up and the address is right (muster_agent_address, ansible_host)');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return fail(
      'unresolved',
      `cannot resolve the name in ${where} (${code})`,
      'set muster_agent_address or ansible_host to an address the controller can resolve',
    );
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return fail(
      'reset',
      `${where} closed the connection (${code})`,
      'the agent may be restarting: try again; if it persists, read its log: journalctl -u muster-agent',
    );
  if (code && TLS_CODES.has(code)) {
    const plain = code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER';
    const what = plain
      ? `${where} does not speak TLS (${message})`
      : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? `TLS mismatch: the certificate at ${where} does not name the address dialled (${message})`
        : `TLS mismatch: the certificate at ${where} was not issued by this controller's fleet CA (${code})`;
    return fail(
      'tls',
      what,
      plain
        ? 'check muster_agent_port: another service may listen there'
        : `${REINSTALL}: it installs a certificate from this controller's CA naming the node's addresses`,
    );
  }
  return fail('reset', `cannot talk to ${where}: ${[code, message].filter(Boolean).join(' ')}`, "read the agent's log on the node: journalctl -u muster-agent");
}

/** `address:port`, with brackets around an IPv6 address. */
export const hostPort = (address: string, port: number): string => (isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`);

/** An HTTP answer from an agent that accepted the token: its status, body and certificate fingerprint. */
export interface AgentAnswer {
  ok: true;
  status: number;
  body: string;
  /** SHA-256 fingerprint of the agent's certificate */
  fingerprint: string;
  /** the answer's entity tag, when it has one */
  etag?: string;
}

/**
 * One authenticated request to an agent within timeoutMs: TLS verified against the fleet CA, the token as a
 * bearer header, a JSON body when given. A refused token and every socket or TLS error come back as an
 * AgentFailure; any other status is the caller's to read. Never throws.
 */
export function agentRequest(
  target: AgentTarget,
  method: string,
  path: string,
  timeoutMs: number,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<AgentAnswer | AgentFailure> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  const headers = {
    accept: 'application/json',
    ...extraHeaders,
    ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
  };
  return timedRequest<AgentAnswer>(target, method, path, timeoutMs, headers, payload, ({ res, req, done, where, timeoutS }) => {
    const fingerprint = (res.socket as TLSSocket).getPeerCertificate?.()?.fingerprint256 ?? '';
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        done({
          ok: false,
          kind: 'bad-answer',
          message: `the answer from ${where} is larger than ${MAX_BODY} bytes`,
          hint: 'check muster_agent_port: another service may listen there',
        });
        req.destroy();
      } else chunks.push(c);
    });
    res.on('error', (e: NodeJS.ErrnoException) => done(classifyError(e.code, e.message, where, timeoutS)));
    res.on('end', () => {
      const status = res.statusCode ?? 0;
      if (status === 401 || status === 403) done(tokenRefused(status, where));
      else {
        const etag = res.headers.etag;
        done({ ok: true, status, body: Buffer.concat(chunks).toString('utf8'), fingerprint, ...(etag ? { etag } : {}) });
      }
    });
  });
}

/** The options of one request to an agent: TLS verified against the fleet CA, the token as a bearer header. */
export function requestOptions(
  target: AgentTarget,
  method: string,
  path: string,
  headers: Record<string, string>,
): RequestOptions & { secureContext: SecureContext } {
  return {
    host: target.address,
    port: target.port,
    path,
    method,
    ca: target.ca,
    secureContext: fleetContext(target.ca),
    // SNI carries names only; an IP address is checked against the certificate's IP SANs all the same
    servername: isIP(target.address) ? undefined : target.address,
    headers: { authorization: `Bearer ${target.token}`, ...headers },
    agent: target.pool ?? false,
  };
}

/** What a timed request hands its answer's reader. */
export interface Answering<T> {
  res: IncomingMessage;
  req: ClientRequest;
  /** settles the request once (later calls are ignored) and stops its timer */
  done(v: T | AgentFailure): void;
  where: string;
  timeoutS: number;
}

/**
 * One request to an agent that settles within timeoutMs: a socket or TLS error, or no settling in time, is an
 * AgentFailure; `onResponse` reads the answer and settles with `done`.
 */
export function timedRequest<T>(
  target: AgentTarget,
  method: string,
  path: string,
  timeoutMs: number,
  headers: Record<string, string>,
  payload: Buffer | undefined,
  onResponse: (a: Answering<T>) => void,
): Promise<T | AgentFailure> {
  const where = hostPort(target.address, target.port);
  const timeoutS = Math.round(timeoutMs / 100) / 10;
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: T | AgentFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const req = request(requestOptions(target, method, path, headers));
    const timer = setTimeout(() => {
      done(classifyError('ETIMEOUT', 'timeout', where, timeoutS));
      req.destroy();
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done(classifyError(e.code, e.message, where, timeoutS)));
    req.on('response', (res) => onResponse({ res, req, done, where, timeoutS }));
    req.end(payload);
  });
}

export function tokenRefused(status: number, where: string): AgentFailure {
  return {
    ok: false,
    kind: 'token',
    message: `the agent at ${where} refused the token (HTTP ${status})`,
    hint: `${REINSTALL} to install this controller's token`,
  };
}

/** Pure: a non-2xx answer of the agent API -> a failure quoting the agent's own error (`{error: {code, message}}`). */
export function refusal(status: number, body: string, where: string, what: string): AgentFailure {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof e?.code === 'string') code = e.code;
    if (typeof e?.message === 'string') message = e.message;
  } catch {
    // not JSON: said below with the status alone
  }
  if (status === 404 && code === 'E_NOT_FOUND')
    return {
      ok: false,
      kind: 'bad-answer',
      message: `the agent at ${where} does not know ${what} (HTTP 404)`,
      hint: `the agent is older than this controller: ${REINSTALL}`,
    };
  return {
    ok: false,
    kind: 'bad-answer',
    message: `the agent at ${where} refused ${what} (HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''})`,
    hint:
      status >= 500 ? "read the agent's log on the node: journalctl -u muster-agent" : 'this is a bug of the controller or a version mismatch: upgrade both',
  };
}

export function parseJson(body: string, where: string): { ok: true; value: unknown } | AgentFailure {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return {
      ok: false,
      kind: 'bad-answer',
      message: `the answer from ${where} is not JSON`,
      hint: 'check muster_agent_port: another service may listen there',
    };
  }
}
