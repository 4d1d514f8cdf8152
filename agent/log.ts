/** The agent's log: one line per event on stderr, which systemd's journal keeps. */

/** Log levels, with the syslog priority journald reads from a `<N>` line prefix. */
const PRIORITY = { error: 3, warn: 4, info: 6 } as const;

/** Writes log lines. */
export interface Log {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** A log writing to `write`; with `journal`, lines carry the `<N>` priority prefix journald understands. */
export function createLog(write: (line: string) => void, journal = false): Log {
  const line = (level: keyof typeof PRIORITY) => (msg: string) => write(`${journal ? `<${PRIORITY[level]}>` : `${level}: `}${msg.replace(/\n/g, ' | ')}\n`);
  return { info: line('info'), warn: line('warn'), error: line('error') };
}
