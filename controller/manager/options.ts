/** How the manager runs (the defaults meet the targets: down within 5 s, replaced within 10 s). */
export interface ManagerOptions {
  inventory: string;
  env: Record<string, string | undefined>;
  pollMs?: number;
  pollTimeoutMs?: number;
  downAfterMs?: number;
  /** how long one change may take to come up before it counts as failed */
  changeTimeoutMs?: number;
  clock?: { now(): number; sleep(ms: number): Promise<void> };
  log?: (line: string) => void;
  /**
   * where to take heartbeats (UDP; the API's address and port number): the agents are asked to send them, and a
   * node heard lately whose report state is unchanged is not asked over HTTPS. Without it every node is polled.
   */
  heartbeats?: { host: string; port: number };
  /** a node heard by heartbeat has its readings refreshed at least this often (watch.ts REFRESH_MIN_MS) */
  refreshMinMs?: number;
}
