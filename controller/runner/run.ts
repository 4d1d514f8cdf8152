/** Runs a whole playbook: plays in order, serial batches, connections reused across plays, the recap. */
import { MusterError } from '../../shared/errors.js';
import { hostOf, selectHosts, unknownNames, type Inventory } from '../inventory/index.js';
import type { Vars } from '../modules/types.js';
import type { Transport } from '../transport/types.js';
import type { Playbook, Play } from '../playbook/types.js';
import { emptyStats, type HostStats } from './events.js';
import { runBatch, type PlayRun } from './play.js';
import { orderHosts, remoteUserFor } from './play-hosts.js';
import { SecretStore, type HostState, type RunDeps, type RunOptions } from './state.js';

/** How the run ended, for the exit code. */
export interface RunSummary {
  stats: Record<string, HostStats>;
  failed: string[];
  unreachable: string[];
}

/** Runs every play of the playbook against the inventory (optionally --limit-ed). */
export async function runPlaybook(
  book: Playbook,
  limit: string | undefined,
  opts: RunOptions,
  deps: RunDeps,
  secrets = new SecretStore(),
): Promise<RunSummary> {
  const start = deps.now();
  const hosts = new Map<string, HostState>();
  const startAt = { name: opts.startAtTask };
  const limited = targetHosts(book, deps.inventory, limit);
  const delegates = new Map<string, Transport>(); // delegate_to hosts that are not in any play
  const delegate = (name: string): Transport => {
    const own = hosts.get(name)?.transport;
    if (own) return own;
    let t = delegates.get(name);
    if (!t) {
      t = deps.connect(name, delegateVars(deps.inventory, name));
      delegates.set(name, t);
    }
    return t;
  };
  const others = new Map<string, Transport>(); // hosts' connections for a task's remote_user or connection: local
  const connectAs = (name: string, over: Vars): Transport => {
    const key = `${name}\0${JSON.stringify(over)}`;
    let t = others.get(key);
    if (!t) {
      t = deps.connect(name, { ...hostOf(deps.inventory, name).vars, ...over });
      others.set(key, t);
    }
    return t;
  };
  const users = new Map<string, string | undefined>(); // the remote_user each host's connection was opened with
  try {
    for (const play of book.plays) {
      const names = orderHosts(
        selectHosts(deps.inventory, play.hosts).filter((h) => !limited || limited.has(h)),
        play.order,
      );
      for (const h of names) await connectFor(h, play, hosts, users, deps);
      const live = names.filter((h) => !hosts.get(h)!.unreachable && !hosts.get(h)!.failed);
      deps.emit({ type: 'play', name: play.name, hosts: live, check: opts.check });
      if (!live.length) {
        deps.emit({ type: 'no_hosts', play: play.name, unknown: unknownNames(deps.inventory, play.hosts) });
        continue;
      }
      const pr: PlayRun = { play, opts, deps, secrets, hosts, playHosts: live, startAt, ended: false, delegate, connectAs };
      for (const batch of batches(live, play)) {
        await runBatch(pr, batch);
        if (pr.ended || tooManyFailed(play, batch, hosts)) break;
      }
    }
  } finally {
    const open = [...[...hosts.values()].map((h) => h.transport), ...delegates.values(), ...others.values()];
    await Promise.all(open.map((t) => t?.close().catch(() => undefined)));
  }
  const stats = Object.fromEntries([...hosts].map(([n, h]) => [n, h.stats]));
  deps.emit({ type: 'recap', stats, elapsedMs: deps.now() - start });
  return {
    stats,
    failed: [...hosts.values()].filter((h) => h.failed).map((h) => h.name),
    unreachable: [...hosts.values()].filter((h) => h.unreachable).map((h) => h.name),
  };
}

/**
 * The --limit-ed hosts (undefined without --limit); throws when --limit, or every play's `hosts:`, leaves
 * no host to target, as ansible-playbook does, before any connection is opened.
 */
export function targetHosts(book: Playbook, inventory: Inventory, limit: string | undefined): Set<string> | undefined {
  const limited = limit ? new Set(selectHosts(inventory, limit)) : undefined;
  if (limited && !limited.size) {
    throw new MusterError('E_PATTERN', `--limit "${limit}" matches no host of the inventory`, {
      hint: 'check the pattern against `muster inventory -i INV --graph` (host and group names, wildcards, ~regex)',
    });
  }
  const any = book.plays.some((p) => selectHosts(inventory, p.hosts).some((h) => !limited || limited.has(h)));
  if (book.plays.length && !any) {
    const patterns = [...new Set(book.plays.map((p) => p.hosts))].map((h) => `"${h}"`).join(', ');
    throw new MusterError('E_PATTERN', `no play has a host to target: hosts: ${patterns}${limit ? ` with --limit "${limit}"` : ''} match nothing`, {
      pos: book.plays[0].pos,
      hint: limit
        ? "the limit and the plays' hosts: patterns have no host in common; check them against `muster inventory -i INV --graph`"
        : 'name a group or host of the inventory in hosts: (see `muster inventory -i INV --graph`)',
    });
  }
  return limited;
}

// Ansible's implicit localhost: delegate_to: localhost works without an inventory entry, on the controller.
const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** The connection variables of a delegate_to host: its inventory variables, or the implicit localhost's. */
export function delegateVars(inventory: Inventory, name: string): Vars {
  if (inventory.hosts.has(name)) return hostOf(inventory, name).vars;
  if (LOCAL_NAMES.has(name)) return { ansible_connection: 'local' };
  throw new MusterError('E_PATTERN', `delegate_to: "${name}" is not a host of the inventory`, {
    hint: 'add it to the inventory (with its ansible_host and ansible_user), or delegate to localhost',
  });
}

/** Opens the host's connection for the play's remote_user; a play wanting another user than the last one reconnects. */
async function connectFor(name: string, play: Play, hosts: Map<string, HostState>, users: Map<string, string | undefined>, deps: RunDeps): Promise<void> {
  const vars = hostOf(deps.inventory, name).vars;
  const user = remoteUserFor(play, vars);
  const open = (): Transport => deps.connect(name, user === undefined ? vars : { ...vars, ansible_user: user });
  const known = hosts.get(name);
  if (!known) {
    hosts.set(name, { name, facts: {}, hostVars: {}, transport: open(), unreachable: false, failed: false, stats: emptyStats() });
  } else if (users.get(name) !== user && !known.unreachable) {
    await known.transport?.close().catch(() => undefined);
    known.transport = open();
  } else return;
  users.set(name, user);
}

/** Splits hosts into serial batches: counts or percentages, the last size repeating. */
export function batches(hosts: string[], play: Pick<Play, 'serial'>): string[][] {
  if (!play.serial?.length) return [hosts];
  const sizes = play.serial.map((s) => {
    const n = typeof s === 'string' && s.endsWith('%') ? Math.floor((hosts.length * parseFloat(s)) / 100) : Number(s);
    return Math.max(1, Number.isFinite(n) && n > 0 ? n : hosts.length);
  });
  const out: string[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const size = sizes[Math.min(k++, sizes.length - 1)];
    out.push(hosts.slice(i, i + size));
    i += size;
  }
  return out;
}

function tooManyFailed(play: Play, batch: string[], hosts: Map<string, HostState>): boolean {
  const failed = batch.filter((h) => hosts.get(h)!.failed || hosts.get(h)!.unreachable).length;
  if (play.maxFailPercentage !== undefined) return (failed * 100) / batch.length > play.maxFailPercentage;
  // Ansible stops a serial play when a whole batch failed
  return play.serial !== undefined && failed === batch.length;
}
