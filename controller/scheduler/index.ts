/** The scheduler's public API: one pure tick, the node model it reads, and the pieces tools may show. */
export { applyPlan } from './apply.js';
export { type Filter, filtersFor, type Rejection, type Usage } from './filters/index.js';
export { type NodeInput, nodeView, normaliseArch } from './node-info.js';
export { compareRank, type RankTable } from './rank.js';
export { tick } from './tick.js';
export type * from './types.js';
export { type Want, wantOf } from './want.js';
