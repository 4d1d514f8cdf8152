/** The inventory: loading, host patterns, lookups and the three renderings of `muster inventory`. */
export type { Inventory, InventoryGroup, InventoryHost, VarsLayer, VarsSources } from './types.js';
export { loadInventory, withVarsDir } from './load.js';
export { selectHosts, unknownNames } from './patterns.js';
export { groupsVar, hostOf, LOCALHOST_NAMES } from './hosts.js';
export { inventoryGraph, inventoryHost, inventoryList } from './render.js';
