/** Picks the transport for a host from its connection variables. */
import { userInfo } from 'node:os';
import { Secret } from '../command.js';
import { MusterError } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { posOf } from '../../shared/yaml.js';
import { LocalTransport } from './local.js';
import type { ConnectOptions } from './options.js';
import { SshTransport } from './ssh.js';
import { sshTargetFromVars } from './target.js';
import type { Transport } from './types.js';

export type { ConnectOptions } from './options.js';

const CONNECTIONS = ['ssh', 'local'];

/**
 * The transport for a host: `ansible_connection` ssh (default) or local; a host named `localhost`
 * with no connection variables runs locally too. Does not connect yet.
 */
export function openTransport(host: string, vars: Vars, opts: ConnectOptions): Transport {
  const connection = vars.ansible_connection ?? (isImplicitLocal(host, vars) ? 'local' : 'ssh');
  const becomePassword = becomePasswordOf(vars) ?? opts.becomePassword;
  if (connection === 'local') return new LocalTransport(host, { becomePassword });
  if (connection === 'ssh' || connection === 'smart') {
    return new SshTransport(sshTargetFromVars(host, vars, localUser()), { ...opts, becomePassword });
  }
  throw new MusterError('E_SCHEMA', `host ${host}: unsupported ansible_connection ${JSON.stringify(connection)}`, {
    host,
    pos: posOf(vars, 'ansible_connection'),
    hint: `use one of: ${CONNECTIONS.join(', ')}`,
  });
}

function isImplicitLocal(host: string, vars: Vars): boolean {
  return host === 'localhost' && vars.ansible_host === undefined && vars.ansible_port === undefined;
}

// An inventory's ansible_become_password outranks -K, as in Ansible.
function becomePasswordOf(vars: Vars): Secret | undefined {
  const v = vars.ansible_become_password ?? vars.ansible_become_pass ?? vars.ansible_sudo_pass;
  if (v === undefined || v === null || v === '') return undefined;
  return v instanceof Secret ? v : new Secret(String(v));
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for our uid (some containers): fall back to what the environment says.
    return process.env.USER ?? process.env.LOGNAME ?? 'root';
  }
}
