/**
 * `--strict` on another engine: what the engine would ignore or do differently than the stack says (its
 * translation's warnings) is refused instead of warned about, as unsupported keys are on muster's own. Pure.
 */
import { MusterError } from '../../shared/errors.js';

/** Throws when `strict` and the translation left warnings; names each. */
export function refuseWhenStrict(strict: boolean | undefined, engine: 'Swarm' | 'Kubernetes', stack: string, warnings: string[]): void {
  if (!strict || warnings.length === 0) return;
  throw new MusterError(
    'E_SCHEMA',
    `stack ${stack}: ${warnings.length} setting(s) ${engine} would ignore or run differently (refused with --strict):\n  - ${warnings.join('\n  - ')}`,
    { hint: 'change what is named above, or deploy without --strict to go on with these as warnings' },
  );
}
