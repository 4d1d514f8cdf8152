/** Runs a playbook of a test directory against its inventory of local hosts, collecting the events. */
import { loadInventory } from '../../../controller/inventory/index.js';
import { loadPlaybook } from '../../../controller/playbook/load.js';
import type { RunEvent } from '../../../controller/runner/events.js';
import { runPlaybook, type RunSummary } from '../../../controller/runner/run.js';
import type { RunOptions, SecretStore } from '../../../controller/runner/state.js';
import { openTransport } from '../../../controller/transport/open.js';
import type { Transport } from '../../../controller/transport/types.js';

export interface LocalRun {
  summary: RunSummary;
  events: RunEvent[];
}

/** `dir/site.yml` against `dir/inv.yml`; `wrap` sees each transport as it is opened (to watch its execs). */
export async function runLocal(
  dir: string,
  opts: Partial<RunOptions> = {},
  more: { limit?: string; wrap?: (host: string, t: Transport) => Transport; secrets?: SecretStore } = {},
): Promise<LocalRun> {
  const events: RunEvent[] = [];
  const summary = await runPlaybook(
    loadPlaybook(`${dir}/site.yml`),
    more.limit,
    { check: false, diff: false, forks: 10, tags: [], skipTags: [], extraVars: {}, verbosity: 0, ...opts },
    {
      inventory: loadInventory(`${dir}/inv.yml`),
      connect: (h, v) => {
        const t = openTransport(h, v, { knownHostsFiles: [], musterKnownHosts: `${dir}/kh`, acceptNewHostKeys: false, connectTimeoutMs: 1000 });
        return more.wrap ? more.wrap(h, t) : t;
      },
      emit: (e) => events.push(e),
      sleep: async () => undefined,
      now: () => Date.now(),
    },
    more.secrets,
  );
  return { summary, events };
}
