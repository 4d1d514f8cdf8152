/** ssh_key_login: proves that a new SSH login with a key still works, before anything switches passwords off. */
import type { KeyLogin } from '../../transport/types.js';
import type { Args, ModuleResult } from '../types.js';
import type { ControlModule } from './spec.js';

const DEFAULT_HINT = "add the public key you connect with to this user's authorized_keys, then run again";

/** Pure: the module result for what the login attempt came to (undefined: the host is not reached over SSH). */
export function keyLoginResult(host: string, login: KeyLogin | undefined, args: Args): ModuleResult {
  if (!login) return { changed: false, msg: `${host} is not reached over SSH: no login to lose`, data: { key_login: null } };
  if (login.ok) {
    return { changed: false, msg: `a new SSH login as ${login.user} with ${login.via} works`, data: { key_login: true, user: login.user, via: login.via } };
  }
  const hint = typeof args.hint === 'string' && args.hint ? args.hint : DEFAULT_HINT;
  return {
    changed: false,
    failed: true,
    msg: `${host}: a new SSH login as ${login.user} with a key only failed (${login.reason}); what comes next would lock you out. What to do: ${hint}`,
    data: { key_login: false, user: login.user, reason: login.reason },
  };
}

/** The ssh_key_login module. */
export const sshKeyLogin: ControlModule = {
  name: 'ssh_key_login',
  summary:
    'Opens a second, new SSH connection to the host with its connection settings but keys only (no password) and fails, with `hint`, if it is refused; changes nothing.',
  args: { hint: { type: 'str' } },
  checkMode: true,
  async run(args, ctx) {
    return keyLoginResult(ctx.host, ctx.keyLogin ? await ctx.keyLogin() : undefined, args);
  },
};
