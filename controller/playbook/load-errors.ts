/**
 * Load errors gathered over a whole playbook, so that one `--syntax-check` (or run) reports every
 * malformed task, play and expression at once, up to a cap, instead of stopping at the first. The loader
 * runs each unit that can fail on its own (a play, a task entry, an expression) through `attempt`; the
 * unit is left out and loading goes on. At the end `check` throws: the error itself when there was one,
 * else all of them together.
 */
import { formatPos, MusterError, MusterErrors } from '../../shared/errors.js';

/** How many load errors one run reports before it stops loading. */
export const LOAD_ERROR_CAP = 25;

const HINT = 'each error names its place and what to do; fix them and run again';

/** The errors of one load. Not shared between loads. */
export class LoadErrors {
  private readonly found = new Map<string, MusterError>();

  constructor(private readonly cap = LOAD_ERROR_CAP) {}

  /**
   * `fn()`, or `fallback` when it throws a MusterError (noted). A file included twice gives its errors
   * once. Anything else (a bug), and the error that reaches the cap, is thrown on.
   */
  attempt<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof MusterError) || e instanceof MusterErrors || e.code === 'E_INTERNAL') throw e;
      this.note(e);
      return fallback;
    }
  }

  /** Notes one error; throws every error so far once the cap is reached. */
  note(e: MusterError): void {
    const key = `${e.pos ? formatPos(e.pos) : ''}|${e.task ?? ''}|${e.message}`;
    if (!this.found.has(key)) this.found.set(key, e);
    if (this.found.size >= this.cap) {
      throw new MusterErrors([...this.found.values()], `${this.cap} load errors; loading stopped there (there may be more)`, HINT);
    }
  }

  /** Throws what was found: the one error as it was, or all of them together. */
  check(): void {
    const errors = [...this.found.values()];
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new MusterErrors(errors, `${errors.length} load errors`, HINT);
  }
}

/** `fn()` through the load's error list when it has one (else errors throw as they are). */
export function attempt<T>(errors: LoadErrors | undefined, fn: () => T, fallback: T): T {
  return errors ? errors.attempt(fn, fallback) : fn();
}
