/** Where something came from in a YAML file: 1-based line and column. */
export interface Pos {
  file: string;
  line: number;
  col: number;
}

/** Stable error codes; the CLI maps them to exit codes. */
export type ErrorCode =
  | 'E_FILE' // a file is missing or unreadable
  | 'E_YAML' // malformed YAML
  | 'E_SCHEMA' // wrong shape: unknown key, wrong type, missing field
  | 'E_MODULE' // unknown module or module argument
  | 'E_TEMPLATE' // undefined variable, bad template
  | 'E_EXPR' // bad expression in when/changed_when/failed_when/until
  | 'E_PATTERN' // bad host pattern
  | 'E_OPTION' // bad command-line option
  | 'E_HOSTKEY' // unknown or changed SSH host key
  | 'E_UNREACHABLE' // cannot connect or authenticate
  | 'E_BECOME' // sudo refused (wrong or missing password)
  | 'E_INTERNAL';

/** The one error type of muster: a code, what went wrong, where, and what to do. */
export class MusterError extends Error {
  readonly code: ErrorCode;
  readonly pos?: Pos;
  readonly host?: string;
  readonly task?: string;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, where: { pos?: Pos; host?: string; task?: string; hint?: string; cause?: unknown } = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = 'MusterError';
    this.code = code;
    this.pos = where.pos;
    this.host = where.host;
    this.task = where.task;
    this.hint = where.hint;
  }

  /** A copy with the missing context filled in (an inner error learns its host or task on the way out). */
  withContext(where: { pos?: Pos; host?: string; task?: string; hint?: string }): MusterError {
    return new MusterError(this.code, this.message, {
      pos: this.pos ?? where.pos,
      host: this.host ?? where.host,
      task: this.task ?? where.task,
      hint: this.hint ?? where.hint,
      cause: this.cause,
    });
  }
}

/** Several errors reported at once (a load that found more than one); the code is the first one's. */
export class MusterErrors extends MusterError {
  readonly errors: MusterError[];

  constructor(errors: MusterError[], summary: string, hint?: string) {
    super(errors[0].code, summary, { hint });
    this.name = 'MusterErrors';
    this.errors = errors;
  }
}

/** `file:line:col` for a position. */
export function formatPos(pos: Pos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** Renders any error for people: one short paragraph, a stack trace only at -vvv. */
export function renderError(err: unknown, verbosity = 0): string {
  if (!(err instanceof MusterError)) {
    const e = err instanceof Error ? err : new Error(String(err));
    const head = `ERROR! ${e.message}`;
    return verbosity >= 3 && e.stack ? `${head}\n${e.stack}` : `${head}\n(run with -vvv for the stack trace)`;
  }
  if (err instanceof MusterErrors) {
    const tail = [`ERROR! ${err.message}`, ...(err.hint ? [`  hint: ${err.hint}`] : [])];
    return [...err.errors.map((e) => renderError(e, verbosity)), ...tail].join('\n');
  }
  const where = [err.pos ? formatPos(err.pos) : undefined, err.host ? `host ${err.host}` : undefined, err.task ? `task "${err.task}"` : undefined].filter(
    Boolean,
  );
  const lines = [`ERROR! ${where.length ? `${where.join(', ')}: ` : ''}${err.message}`];
  if (err.hint) lines.push(`  hint: ${err.hint}`);
  if (verbosity >= 3 && err.stack) lines.push(err.stack);
  return lines.join('\n');
}

/** Closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return bestDist <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** " (did you mean X?)" or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c ? ` (did you mean "${c}"?)` : '';
}
