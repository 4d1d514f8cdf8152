/** The manager API over a fake view, for inject() tests: the token, the app, a clock the test moves. */
import { buildManagerApi, type ManagerApiOptions } from '../../../../controller/manager/api/app.js';
import { FakeView } from './fake-view.js';

export const TOKEN = 'manager-token-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

/** An app over a new fake view; `clock.ms` moves the time sessions and limits read. */
export function makeApi(extra: Partial<ManagerApiOptions> = {}) {
  const clock = { ms: Date.parse('2026-12-01T12:00:00Z') };
  const view = new FakeView();
  const errors: unknown[] = [];
  const app = buildManagerApi(view, { token: TOKEN, now: () => clock.ms, failureDelayMs: 0, onError: (e) => errors.push(e), ...extra });
  return { app, view, clock, errors };
}

/** Logs in and returns the cookie header to send back. */
export async function login(app: ReturnType<typeof makeApi>['app']): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/login', payload: { token: TOKEN } });
  if (res.statusCode !== 200) throw new Error(`login answered ${res.statusCode}: ${res.body}`);
  return String(res.headers['set-cookie']).split(';')[0];
}
