/**
 * Reaching a Swarm manager's Docker API through muster's SSH connection to it: a stream forwarded to
 * /var/run/docker.sock (the login user needs access to it: the docker group), else `docker system
 * dial-stdio` run with sudo over the same connection. No TCP port is opened; the host key is checked as for
 * every muster connection. The manager is the first of `--manager HOST` or group `swarm_managers` that
 * answers as a swarm manager.
 */
import type { Duplex } from 'node:stream';
import { sh } from '../../command.js';
import { MusterError } from '../../../shared/errors.js';
import { hostOf, loadInventory, selectHosts } from '../../inventory/index.js';
import type { Vars } from '../../modules/types.js';
import type { Transport } from '../../transport/types.js';
import { type DockerApi, dockerApi } from './docker-api.js';

/** The inventory group whose first host that answers is the manager muster talks to. */
export const MANAGERS_GROUP = 'swarm_managers';
const SOCKET = '/var/run/docker.sock';

/** A transport that can open byte streams (the SSH one). */
type Streams = Transport & { openStream(to: { socket: string } | { command: ReturnType<typeof sh> }): Promise<Duplex> };

/** The manager's API, the host it is on, and how to hang up. */
export interface Manager {
  host: string;
  api: DockerApi;
  /** how the API is reached: the forwarded socket, or dial-stdio through sudo */
  via: 'socket' | 'sudo';
  close(): Promise<void>;
}

/** What `docker info` says of the swarm. */
interface Info {
  Name?: string;
  Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string };
}

/** Connects to the first answering manager; `connect` opens a host's transport (the CLI's connector). */
export async function openManager(o: { inventory: string; manager?: string; connect(host: string, vars: Vars): Transport }): Promise<Manager> {
  const inv = loadInventory(o.inventory);
  const candidates = o.manager ? [o.manager] : inv.groups.has(MANAGERS_GROUP) ? selectHosts(inv, MANAGERS_GROUP) : [];
  if (!candidates.length)
    throw new MusterError('E_OPTION', `no swarm manager: ${o.inventory} has no group ${MANAGERS_GROUP} and no --manager was given`, {
      hint: `put the managers in group ${MANAGERS_GROUP} (muster play -i INVENTORY swarm forms the swarm from it), or name one with --manager HOST`,
    });
  const why: string[] = [];
  for (const host of candidates) {
    const transport = o.connect(host, hostOf(inv, host).vars) as Streams;
    try {
      if (typeof transport.openStream !== 'function') throw new Error('its connection cannot forward a stream (ansible_connection must be ssh)');
      const { api, via } = await reach(transport, host);
      return { host, api, via, close: () => transport.close() };
    } catch (err) {
      why.push(`${host}: ${(err as Error).message}`);
      await transport.close().catch(() => undefined);
    }
  }
  throw new MusterError('E_UNREACHABLE', `no swarm manager answered:\n  ${why.join('\n  ')}`, {
    hint: 'form the swarm with muster play -i INVENTORY swarm, or name a manager with --manager HOST',
  });
}

// The socket first; when the login user may not open it, dial-stdio through sudo.
async function reach(t: Streams, host: string): Promise<{ api: DockerApi; via: Manager['via'] }> {
  const viaSocket = dockerApi(() => t.openStream({ socket: SOCKET }), `docker on ${host}`);
  let info: Info;
  try {
    info = (await viaSocket.call('GET', '/info')).body as Info;
    return { api: checked(viaSocket, info), via: 'socket' };
  } catch (err) {
    if (err instanceof MusterError && err.code === 'E_OPTION') throw err;
    const viaSudo = dockerApi(() => t.openStream({ command: sh`sudo -n docker system dial-stdio` }), `docker on ${host} (sudo)`);
    info = (await viaSudo.call('GET', '/info')).body as Info;
    return { api: checked(viaSudo, info), via: 'sudo' };
  }
}

function checked(api: DockerApi, info: Info): DockerApi {
  const state = info.Swarm?.LocalNodeState ?? 'unknown';
  if (state !== 'active') throw new MusterError('E_OPTION', `${info.Name ?? 'the node'} is not in a swarm (state ${state})`);
  if (!info.Swarm?.ControlAvailable) throw new MusterError('E_OPTION', `${info.Name ?? 'the node'} is a swarm worker, not a manager`);
  return api;
}
