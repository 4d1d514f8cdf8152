/** Where a template or expression is being evaluated, for error messages. */
import { MusterError, type ErrorCode, type Pos } from '../../shared/errors.js';

/** The host, the task, the YAML position of the value, and the template file (for `template:` sources). */
export interface Where {
  host?: string;
  task?: string;
  pos?: Pos;
  source?: string;
}

/** A MusterError located at `where`. */
export function errorAt(code: ErrorCode, message: string, where: Where, hint?: string): MusterError {
  return new MusterError(code, message, { pos: where.pos, host: where.host, task: where.task, hint });
}
