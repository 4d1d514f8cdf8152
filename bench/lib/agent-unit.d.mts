// Types for agent-unit.mjs, so TypeScript tests can import it.

export function nodeFlagsFromUnit(unitText: string): string[];
