// Types for entry.mjs.
export function runBench<T extends { help: boolean }>(
  argv: string[],
  parse: (argv: string[]) => T,
  usage: string,
  main: (opts: T) => Promise<void>,
): Promise<void>;
export function closingLine(started: number): string;
