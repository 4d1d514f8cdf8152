/** Runs the muster CLI in this process for tests: `muster(...argv)` gives the exit code and everything printed. */
import { main } from '../../../controller/cli.js';

/** `muster ARGS` in this process: exit code and everything printed (stdout and stderr together). */
export async function muster(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(
    argv,
    (s) => (out += s),
    (s) => (out += s),
  );
  return { code, out };
}
