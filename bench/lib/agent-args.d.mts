// Types for agent-args.mjs, so TypeScript tests can import it.

export interface AgentBenchOptions {
  /** the steady window before RSS and CPU are read, minutes */
  minutes: number;
  /** requests of the loopback load, and how many run at once */
  requests: number;
  concurrency: number;
  /** size of the desired set */
  containers: number;
  /** a bundle to bench instead of dist/muster-agent.mjs */
  bundle: string | null;
  /** node options replacing those of the agent's systemd unit; null: the unit's */
  nodeOptions: string[] | null;
  /** run `npm run build` first */
  build: boolean;
  help: boolean;
}

export const agentUsage: string;
export function parseAgentArgs(argv: string[]): AgentBenchOptions;
