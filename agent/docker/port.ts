/** The narrow interface through which the reconciler and the reporter reach Docker (one adapter implements it). */
import type { ObservedContainer } from '../types.js';
import type { ContainerSpec } from '../../shared/wire.js';

/** What the agent asks of a container engine. */
export interface DockerPort {
  /** the engine's `/info` object, unparsed */
  info(): Promise<unknown>;
  /** the containers that carry this agent's managed label (and only those), inspected */
  list(): Promise<ObservedContainer[]>;
  /** creates the container (pulling a missing image first); returns its id */
  create(spec: ContainerSpec, hash: string): Promise<string>;
  start(id: string): Promise<void>;
  /** stop (with the grace period) then start */
  restart(id: string): Promise<void>;
  /** stop (with the grace period) then remove; a container already gone is not an error */
  remove(id: string): Promise<void>;
  /** lets go of what the adapter holds open (the event stream) */
  close?(): void;
}
