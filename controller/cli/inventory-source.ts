/**
 * The one inventory a command reads, resolved as `muster play` resolves it: -i, else ANSIBLE_INVENTORY, else
 * ansible.cfg's `inventory` (relative to that file). `muster inventory` and `muster facts` use it.
 */
import { MusterError } from '../../shared/errors.js';
import { loadRunConfig, type RunConfig } from './ansible-config.js';

/** The inventory path (or "h1,h2," list) and the run's settings; ansible.cfg's warnings are written to stderr. */
export function resolveInventory(given: string | undefined, usage: string): { path: string; cfg: RunConfig } {
  const cfg = loadRunConfig({ inventory: given === undefined ? undefined : [given] });
  for (const w of cfg.warnings) process.stderr.write(`[WARNING]: ${w}\n`);
  return { path: inventoryOf(cfg, usage), cfg };
}

/** The one inventory of a run's settings; an error naming where to set one when there is none or several. */
export function inventoryOf(cfg: Pick<RunConfig, 'settings' | 'from'>, usage?: string): string {
  const list = cfg.settings.inventory ?? [];
  if (list.length === 0)
    throw new MusterError('E_OPTION', 'no inventory given', {
      hint: `pass -i INVENTORY (a YAML or INI inventory file, or "host1,host2,"), or set inventory in ansible.cfg or ANSIBLE_INVENTORY${usage ? `; usage: ${usage}` : ''}`,
    });
  if (list.length > 1)
    throw new MusterError('E_OPTION', `muster reads one inventory, but ${cfg.from.inventory} names ${list.length}: ${list.join(', ')}`, {
      hint: 'name one inventory there (a directory of inventory files is one), or pass -i INVENTORY',
    });
  return list[0];
}
