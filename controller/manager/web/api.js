// The manager's API as the dashboard calls it: JSON in and out, the session cookie sent by the browser,
// every refusal as an ApiError with the server's message and hint.

/** A refused request: the HTTP status and the server's error body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `the manager answered ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? 'E_HTTP';
    this.hint = body?.error?.hint;
  }
}

/** Sends a request; resolves to the JSON answer (or null for an empty one), rejects with an ApiError. */
export async function request(method, path, body) {
  const init = { method, headers: { accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, { error: { code: 'E_NETWORK', message: 'the manager cannot be reached', hint: 'check that it runs, then reload' } });
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = new ApiError(res.status, json);
    if (res.status === 401) window.dispatchEvent(new CustomEvent('muster:logged-out'));
    throw err;
  }
  return json;
}

/** GET a path. */
export const get = (path) => request('GET', path);
/** POST a body to a path. */
export const post = (path, body) => request('POST', path, body);
/** A path segment, escaped. */
export const seg = (s) => encodeURIComponent(s);
