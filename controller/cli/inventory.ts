/** `muster inventory [-i INV] --list | --graph [GROUP] | --host NAME` (the inventory resolved as `muster play` does). */
import { MusterError } from '../../shared/errors.js';
import { inventoryGraph, inventoryHost, inventoryList, loadInventory } from '../inventory/index.js';
import { resolveInventory } from './inventory-source.js';
import { parse } from './options.js';
import { inventoryUsage } from './usage.js';

/** Prints the inventory in one of the three forms. */
export async function inventoryCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values: o, positionals } = parse(
    argv,
    {
      inventory: { type: 'string', short: 'i' },
      list: { type: 'boolean' },
      graph: { type: 'boolean' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    inventoryUsage,
  );
  if (o.help) {
    out(`usage: ${inventoryUsage}\n`);
    return 0;
  }
  const modes = [o.list, o.graph, o.host !== undefined].filter(Boolean).length;
  if (modes !== 1) throw new MusterError('E_OPTION', 'choose exactly one of --list, --graph, --host NAME', { hint: `usage: ${inventoryUsage}` });
  const inv = loadInventory(resolveInventory(o.inventory, inventoryUsage).path);
  for (const w of inv.warnings) process.stderr.write(`[WARNING]: ${w}\n`);
  if (o.list) out(`${JSON.stringify(inventoryList(inv), null, 4)}\n`);
  else if (o.graph) out(`${inventoryGraph(inv, positionals[0])}\n`);
  else out(`${JSON.stringify(inventoryHost(inv, o.host!), null, 4)}\n`);
  return 0;
}
