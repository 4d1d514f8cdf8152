/**
 * What the CLI says when the manager cannot be reached or refuses: a socket or TLS failure, a wrong token, or
 * the manager's own `{error: {code, message, hint}}` body, each turned into one MusterError naming what went
 * wrong and what to do. Pure. The token itself never appears here: only where it was read from.
 */
import { MusterError } from '../../../shared/errors.js';
import { CERT_ERROR_CODES } from '../../fleet/agent-request.js';

/** The manager did not answer (refused, timed out, unreachable): the CLI exits 4, as for an agent that did not answer. */
export class ManagerUnreachable extends MusterError {}

const WHERE_URL = 'check the URL (--manager, MUSTER_MANAGER, or `muster context show`)';

/** Pure: a socket or TLS error while talking to the manager at `url` -> the error to show. */
export function transportError(code: string | undefined, message: string, url: string, timeoutS: number, caFile: string): MusterError {
  if (code === 'ETIMEOUT')
    return new ManagerUnreachable('E_UNREACHABLE', `no answer from the manager at ${url} within ${timeoutS}s`, {
      hint: `check that muster serve runs there and that no firewall is in the way; ${WHERE_URL}`,
    });
  if (code === 'ECONNREFUSED')
    return new ManagerUnreachable('E_UNREACHABLE', `connection refused by ${url}: no manager listens there`, {
      hint: `start it with muster serve -i INVENTORY on that machine, or ${WHERE_URL}`,
    });
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ETIMEDOUT')
    return new ManagerUnreachable('E_UNREACHABLE', `the manager at ${url} is unreachable (${code})`, { hint: `check that its machine is up; ${WHERE_URL}` });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ManagerUnreachable('E_UNREACHABLE', `cannot resolve the name in ${url} (${code})`, { hint: WHERE_URL });
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return new ManagerUnreachable('E_UNREACHABLE', `the manager at ${url} closed the connection (${code})`, {
      hint: 'it may be restarting: try again; if it persists, read the output of muster serve',
    });
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER')
    return new MusterError('E_UNREACHABLE', `${url} does not speak TLS (${message})`, { hint: `the manager serves HTTPS only; ${WHERE_URL}` });
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new MusterError('E_UNREACHABLE', `TLS mismatch: the certificate at ${url} does not name the host dialled (${message})`, {
      hint: 'dial a name or address the manager serves under, or restart muster serve with --name HOST for it',
    });
  if (code && CERT_ERROR_CODES.has(code))
    return new MusterError('E_UNREACHABLE', `TLS mismatch: the certificate at ${url} was not issued by the CA in ${caFile} (${code})`, {
      hint: "give the manager's fleet CA (its state directory's ca.crt): muster context set --manager URL --ca FILE",
    });
  return new ManagerUnreachable('E_UNREACHABLE', `cannot talk to the manager at ${url}: ${[code, message].filter(Boolean).join(' ')}`, {
    hint: 'read the output of muster serve',
  });
}

/** The error body every manager answer uses. */
interface ErrorBody {
  error?: { code?: unknown; message?: unknown; hint?: unknown };
}

/** Pure: an answer with status >= 400 -> the error to show: the manager's message and hint, or what a 401 means. */
export function answerError(status: number, body: string, url: string, tokenFrom: string): MusterError {
  if (status === 401)
    return new MusterError('E_UNREACHABLE', `the manager at ${url} refused the token from ${tokenFrom}`, {
      hint: 'use the token muster serve wrote (its state directory, manager/token): MUSTER_MANAGER_TOKEN, or muster context set --token-file FILE',
    });
  if (status === 429)
    return new MusterError('E_UNREACHABLE', `the manager at ${url} says: too many wrong tokens from this address`, {
      hint: 'wait a minute, then try again with the right token',
    });
  let parsed: ErrorBody | undefined;
  try {
    parsed = JSON.parse(body) as ErrorBody;
  } catch {
    parsed = undefined;
  }
  const e = parsed?.error;
  const message = typeof e?.message === 'string' ? e.message : `HTTP ${status}`;
  const hint = typeof e?.hint === 'string' ? e.hint : status >= 500 ? 'read the output of muster serve' : undefined;
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  return new MusterError(status >= 500 ? 'E_UNREACHABLE' : 'E_SCHEMA', `the manager says: ${message}${code}`, hint ? { hint } : {});
}
