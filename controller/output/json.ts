/** `--json`: one JSON object per line per event, secrets masked. */
import { maskSecrets } from '../command.js';
import type { RunEvent } from '../runner/events.js';

/** A reporter that writes each event (except host_start) as one JSON line. */
export function jsonReporter(out: (s: string) => void, secrets: Iterable<string>): { emit(e: RunEvent): void; close(): void } {
  return {
    emit(e) {
      if (e.type === 'host_start') return;
      out(`${maskSecrets(JSON.stringify({ ...e, time: new Date().toISOString() }), secrets)}\n`);
    },
    close() {},
  };
}
