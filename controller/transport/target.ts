/** Where and as whom to connect, read from a host's Ansible connection variables. Pure. */
import { Secret } from '../command.js';
import { MusterError } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';

/** The resolved SSH destination of one host. */
export interface SshTarget {
  host: string; // inventory name
  address: string; // ansible_host, or the inventory name
  port: number;
  user: string;
  keyFile?: string; // ansible_ssh_private_key_file, `~` not yet expanded
  password?: Secret; // ansible_password / ansible_ssh_pass
  /** UserKnownHostsFile given in ansible_ssh_common_args / ansible_ssh_extra_args (replace ~/.ssh/known_hosts). */
  knownHostsFiles?: string[];
}

/** The first of several variable names (current name first, then Ansible's older aliases) that is set. */
function pick(vars: Vars, names: string[]): unknown {
  for (const n of names) if (vars[n] !== undefined && vars[n] !== null && vars[n] !== '') return vars[n];
  return undefined;
}

function text(host: string, name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (v instanceof Secret) return v.value;
  throw new MusterError('E_SCHEMA', `host ${host}: ${name} must be a string, not ${Array.isArray(v) ? 'a list' : typeof v}`, {
    host,
    hint: `set ${name} to a plain value in the inventory`,
  });
}

/** Reads ansible_host/port/user/key/password (and their ansible_ssh_* aliases) into an SshTarget. */
export function sshTargetFromVars(host: string, vars: Vars, localUser: string): SshTarget {
  const address = text(host, 'ansible_host', pick(vars, ['ansible_host', 'ansible_ssh_host'])) ?? host;
  const portText = text(host, 'ansible_port', pick(vars, ['ansible_port', 'ansible_ssh_port'])) ?? '22';
  const port = Number(portText);
  if (!/^\d+$/.test(portText.trim()) || port < 1 || port > 65535) {
    throw new MusterError('E_SCHEMA', `host ${host}: ansible_port must be a port number (1-65535), not ${JSON.stringify(portText)}`, {
      host,
      hint: 'fix ansible_port in the inventory',
    });
  }
  const user = text(host, 'ansible_user', pick(vars, ['ansible_user', 'ansible_ssh_user'])) ?? localUser;
  const keyFile = text(host, 'ansible_ssh_private_key_file', pick(vars, ['ansible_ssh_private_key_file', 'ansible_private_key_file']));
  const pw = pick(vars, ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password']);
  const password = pw instanceof Secret ? pw : pw === undefined ? undefined : new Secret(text(host, 'ansible_password', pw)!);
  const sshArgs = [vars.ansible_ssh_common_args, vars.ansible_ssh_extra_args].filter((a): a is string => typeof a === 'string');
  const files = sshArgs.flatMap(userKnownHostsFiles);
  return { host, address, port, user, keyFile, password, ...(files.length ? { knownHostsFiles: files } : {}) };
}

/**
 * The UserKnownHostsFile values of `-o` options in an ssh argument string (`-o Key=V`, `-oKey=V`, `-o 'Key V'`),
 * so that inventories written for ansible-playbook keep pointing muster at the same known hosts.
 */
export function userKnownHostsFiles(args: string): string[] {
  const words = args.match(/'[^']*'|"[^"]*"|\S+/g) ?? [];
  const unq = words.map((w) => w.replace(/^(['"])(.*)\1$/, '$2'));
  const out: string[] = [];
  for (let i = 0; i < unq.length; i++) {
    let opt: string | undefined;
    if (unq[i] === '-o') opt = unq[++i];
    else if (unq[i].startsWith('-o')) opt = unq[i].slice(2);
    const m = opt?.match(/^\s*UserKnownHostsFile\s*[=\s]\s*(.+)$/i);
    if (m)
      out.push(
        ...m[1]
          .trim()
          .split(/\s+/)
          .filter((f) => f !== '/dev/null' && f.toLowerCase() !== 'none'),
      );
  }
  return out;
}
