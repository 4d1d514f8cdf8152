/** The agent's version, reported by /v1/report and `muster agent --version` (kept in step with package.json). */
export const AGENT_VERSION = '0.1.0';
