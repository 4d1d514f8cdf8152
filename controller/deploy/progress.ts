/**
 * The deploy's reporter: plain lines (steps, writes, failures, a service's count when it changes), and on a
 * terminal a live block of one line per service (`web 3/4 running`) redrawn under the log.
 */
import type { DeployEvent, ServiceProgress } from './apply.js';

/** Pure: one service's progress line. */
export function progressLine(p: ServiceProgress, width = 0): string {
  return `${p.service.padEnd(width)} ${p.running}/${p.wanted} running`;
}

/** Pure: a deploy event as a log line (undefined for progress, which is drawn apart). */
export function eventLine(e: DeployEvent): string | undefined {
  switch (e.type) {
    case 'files':
      return `${e.node}: ${e.count} secret/config file(s) delivered`;
    case 'step':
      return e.step.kind === 'rollback' ? `  ${e.step.label}` : `step ${e.index + 1}/${e.total}: ${e.step.label}`;
    case 'wrote':
      return `  ${e.node} generation ${e.generation}: ${e.edits}`;
    case 'failed':
      return `  FAILED ${e.replica} on ${e.node}: ${e.reason}`;
    case 'rollback':
      return `  rolling back ${e.service} to its previous specs`;
    case 'delay':
      return `  waiting ${e.seconds}s (update_config.delay)`;
    default:
      return undefined;
  }
}

/** A reporter writing to `out`; `tty` redraws the per-service block in place. */
export function progressReporter(out: (s: string) => void, tty: boolean): { onEvent(e: DeployEvent): void; done(): void } {
  let drawn = 0;
  let block: string[] = [];
  const last = new Map<string, string>();
  const erase = (): void => {
    if (tty && drawn) out(`\x1b[${drawn}F\x1b[0J`);
    drawn = 0;
  };
  const draw = (): void => {
    if (!tty || !block.length) return;
    out(`${block.join('\n')}\n`);
    drawn = block.length;
  };
  return {
    onEvent(e) {
      if (e.type === 'progress') {
        const width = Math.max(...e.services.map((s) => s.service.length));
        if (tty) {
          erase();
          block = e.services.map((s) => progressLine(s, width));
          draw();
          return;
        }
        for (const s of e.services) {
          const line = progressLine(s);
          if (last.get(s.service) !== line) out(`  ${line}\n`);
          last.set(s.service, line);
        }
        return;
      }
      const line = eventLine(e);
      if (line === undefined) return;
      erase();
      out(`${line}\n`);
      draw();
    },
    done() {
      // the last block stays on screen as the final state
      drawn = 0;
    },
  };
}
