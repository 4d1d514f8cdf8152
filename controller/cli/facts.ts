/** `muster facts [-i INV] [PATTERN]` (the inventory resolved as `muster play` does): gathers facts from each host in one round trip and prints JSON. */
import { renderError } from '../../shared/errors.js';
import { factsScript, parseFacts } from '../facts/index.js';
import { hostOf, loadInventory, selectHosts } from '../inventory/index.js';
import { mapLimit } from '../runner/limit.js';
import { connector } from './connect.js';
import { resolveInventory } from './inventory-source.js';
import { intOption, parse } from './options.js';
import { factsUsage } from './usage.js';

/** Prints `{host: facts}`; unreachable hosts get `{unreachable: true, msg}`. Exit 4 when any was unreachable. */
export async function factsCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values: o, positionals } = parse(
    argv,
    {
      inventory: { type: 'string', short: 'i' },
      'accept-new-host-keys': { type: 'boolean' },
      forks: { type: 'string', short: 'f' },
      timeout: { type: 'string', short: 'T' },
      help: { type: 'boolean', short: 'h' },
    },
    factsUsage,
  );
  if (o.help) {
    out(`usage: ${factsUsage}\n`);
    return 0;
  }
  const { path, cfg } = resolveInventory(o.inventory, factsUsage);
  const inv = loadInventory(path);
  for (const w of inv.warnings) process.stderr.write(`[WARNING]: ${w}\n`);
  const hosts = selectHosts(inv, positionals[0] ?? 'all');
  const connect = connector({
    acceptNewHostKeys: !!o['accept-new-host-keys'],
    timeoutS: o.timeout === undefined ? (cfg.settings.timeout ?? 10) : intOption('timeout', o.timeout, 10),
    verbosity: 0,
  });
  let unreachable = false;
  const results = await mapLimit(hosts, o.forks === undefined ? (cfg.settings.forks ?? 50) : intOption('forks', o.forks, 50), async (h) => {
    const t = connect(h, hostOf(inv, h).vars);
    try {
      await t.connect();
      const r = await t.exec(factsScript());
      return [h, parseFacts(r.stdout)] as const;
    } catch (e) {
      unreachable = true;
      return [h, { unreachable: true, msg: renderError(e).replace(/^ERROR! /, '') }] as const;
    } finally {
      await t.close().catch(() => undefined);
    }
  });
  out(`${JSON.stringify(Object.fromEntries(results), null, 2)}\n`);
  return unreachable ? 4 : 0;
}
