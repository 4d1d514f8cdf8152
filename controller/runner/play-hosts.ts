/** Which hosts of a play run, and in which order: those still in the play, `order:`, and the SSH user per host. */
import type { Play } from '../playbook/types.js';
import type { PlayHost } from './state.js';

/** Hosts still in the play. */
export function active(hosts: PlayHost[]): PlayHost[] {
  return hosts.filter((h) => !h.ended && !h.state.failed && !h.state.unreachable);
}

/** The play's hosts in the order `order:` asks for (`random` picks for shuffle). */
export function orderHosts(hosts: string[], order: Play['order'], random: () => number = Math.random): string[] {
  switch (order) {
    case 'reverse_inventory':
      return [...hosts].reverse();
    case 'sorted':
      return [...hosts].sort();
    case 'reverse_sorted':
      return [...hosts].sort().reverse();
    case 'shuffle': {
      const out = [...hosts];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    }
    default:
      return hosts;
  }
}

/** The SSH user a play wants for a host: its remote_user, unless the inventory names ansible_user (which wins, as in Ansible). */
export function remoteUserFor(play: Pick<Play, 'remoteUser'>, inventoryVars: Record<string, unknown>): string | undefined {
  return inventoryVars.ansible_user === undefined ? play.remoteUser : undefined;
}
