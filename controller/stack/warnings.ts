/** Which of a stack file's warnings hold on an engine: those about muster's own engine only are left out elsewhere. */
import type { Stack, StackWarning } from './types.js';

/** The engines a stack goes to: muster's own, Docker Swarm, Kubernetes (k3s). */
export type StackEngine = 'native' | 'swarm' | 'k8s';

/** The warnings of `stack` that hold when it goes to `engine`. */
export function warningsFor(stack: Pick<Stack, 'warnings'>, engine: StackEngine): StackWarning[] {
  return engine === 'native' ? stack.warnings : stack.warnings.filter((w) => w.engine !== 'native');
}
