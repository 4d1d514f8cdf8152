/**
 * The controller's state directory: where the fleet CA, each node's credentials and nodes.json live.
 * MUSTER_STATE_DIR, else $XDG_STATE_HOME/muster, else ~/.local/state/muster.
 *
 *   ca.crt ca.key                      the fleet CA (key 0600)
 *   nodes/<node>/tls.crt tls.key token  each node's credentials (key and token 0600)
 *   nodes/<node>/desired.json          the desired set its agent last answered with (deploy/desired-cache.ts)
 *   nodes/<node>/fenced.json           replicas taken from it while it did not answer (deploy/fence.ts)
 *   nodes.json                         every node an agent_check reached
 *   stacks/<stack>/NNNNNN.json         what each deploy, scale, rollback or rm applied (0600; the last 10)
 */
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MusterError } from '../../shared/errors.js';

/** Pure: the state directory for an environment and a home directory. */
export function stateDirFor(env: Record<string, string | undefined>, home: string): string {
  if (env.MUSTER_STATE_DIR) return env.MUSTER_STATE_DIR;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'muster');
  return join(home, '.local', 'state', 'muster');
}

/** Creates `dir` (and parents) if needed and makes it 0700: it holds the CA key and every node's token. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  } catch (e) {
    throw new MusterError('E_FILE', `cannot use the state directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      hint: 'set MUSTER_STATE_DIR to a directory you may write',
    });
  }
}

/** A node's directory name: the inventory name with anything but [A-Za-z0-9._-] escaped as %XX, never `.` or `..`. */
export function nodeDirName(name: string): string {
  const safe = [...Buffer.from(name, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_-]/.test(String.fromCharCode(b)) || (b === 0x2e && name !== '.' && name !== '..')
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return safe || '%';
}

/** Paths inside a state directory. */
export function statePaths(dir: string) {
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    nodesJson: join(dir, 'nodes.json'),
    /** a node's credentials directory */
    node: (name: string): string => join(dir, 'nodes', nodeDirName(name)),
  };
}
