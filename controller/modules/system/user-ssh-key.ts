/** The user module's SSH key: where it lives and the script that generates it when absent. */
import { sh, Secret, type Script } from '../../command.js';
import type { Args } from '../types.js';
import { plainText } from './probe.js';

/**
 * Shell that sets $f to the SSH key file: ssh_key_file when absolute, else under the home (the `home`
 * argument, the account's, or /home/NAME), by default .ssh/id_TYPE, as Ansible places it.
 */
export function keyPath(a: Args): Script {
  const name = String(a.name);
  const file = typeof a.ssh_key_file === 'string' ? a.ssh_key_file : `.ssh/id_${String(a.ssh_key_type)}`;
  if (file.startsWith('/')) return sh`f=${file}`;
  return sh`home=${typeof a.home === 'string' ? a.home : ''}
[ -n "$home" ] || home=$(getent passwd ${name} | cut -d: -f6)
[ -n "$home" ] || home=/home/${name}
f="$home"/${file}`;
}

/**
 * Generates the key when its file is absent (an existing key is never replaced, as in Ansible): the directory
 * made 0700 if new, both files owned by the user and its group.
 */
export function generateKey(a: Args): Script {
  const name = String(a.name);
  const bits = typeof a.ssh_key_bits === 'number' && a.ssh_key_bits > 0 ? ['-b', a.ssh_key_bits] : [];
  const comment = typeof a.ssh_key_comment === 'string' ? sh`${a.ssh_key_comment}` : sh`"ansible-generated on $(hostname)"`;
  const pass = plainText(a.ssh_key_passphrase);
  return sh`${keyPath(a)}
if [ ! -e "$f" ]; then
  d=$(dirname "$f")
  if [ ! -d "$d" ]; then mkdir -p "$d" && chmod 0700 "$d" && chown ${name}: "$d" || exit 1; fi
  ssh-keygen -q -t ${String(a.ssh_key_type)} ${bits} -C ${comment} -N ${new Secret(pass ?? '')} -f "$f" </dev/null || exit 1
  chown ${name}: "$f" "$f.pub"
fi`;
}
