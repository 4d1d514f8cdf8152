/** How `docker stack deploy` names and labels what a stack makes on Swarm: `STACK_name` and the namespace label. */

/** The label every object of a stack carries, with the stack's name. */
export const NAMESPACE_LABEL = 'com.docker.stack.namespace';
/** The service label with the image as written in the stack file. */
export const IMAGE_LABEL = 'com.docker.stack.image';
/** The label muster adds to secrets and configs: the sha256 of their content, to tell a changed one. */
export const DIGEST_LABEL = 'io.muster.digest';

/** `STACK_name`. */
export const scoped = (stack: string, name: string): string => `${stack}_${name}`;

/** `labels` with the stack's namespace label added (a copy). */
export const withStack = (stack: string, labels: Record<string, string> = {}): Record<string, string> => ({ ...labels, [NAMESPACE_LABEL]: stack });

/** Seconds to the API's nanoseconds. */
export const ns = (seconds: number): number => Math.round(seconds * 1e9);
