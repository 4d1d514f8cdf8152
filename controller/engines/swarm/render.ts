/** What the swarm engine prints: findings, the dry run's specs, progress, ps and services rows. Pure. */
import { formatPos } from '../../../shared/errors.js';
import type { Finding } from './checks.js';
import type { SwarmStack } from './stack-spec.js';
import type { Progress } from './apply.js';

/** One line per finding: `added:` what muster put in the spec, `warning:` what the user should know. */
export const renderFindings = (findings: Finding[]): string =>
  findings.map((f) => `${f.kind === 'added' ? 'muster added to' : '[WARNING]:'} ${f.service}${f.pos ? ` (${formatPos(f.pos)})` : ''}: ${f.message}\n`).join('');

/** The dry run: every object Swarm would get, as the API bodies (secret and config contents left out). */
export function renderDryRun(s: SwarmStack): string {
  const body = {
    networks: s.networks,
    secrets: s.secrets.map((f) => ({ Name: f.Name, Labels: f.Labels })),
    configs: s.configs.map((f) => ({ Name: f.Name, Labels: f.Labels })),
    services: s.services,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** `web 2/3 (updating): task: non-zero exit (1)` per service. */
export const renderProgress = (ps: Progress[]): string =>
  ps.map((p) => `  ${p.name} ${p.running}/${p.desired}${p.update ? ` (${p.update})` : ''}${p.error ? `: ${p.error}` : ''}\n`).join('');

/** A table with two spaces between columns. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}\n`).join('');
}
