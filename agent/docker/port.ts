/** The narrow interface through which the reconciler and the reporter reach Docker (one adapter implements it). */
import type { Readable } from 'node:stream';
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
  /** removes the networks this agent made that are not in `keep` and no container joins; their names */
  pruneNetworks?(keep: ReadonlySet<string>): Promise<string[]>;

  // ---- what the deploy side needs besides running containers (report, logs, image upload) ----
  /** every volume on the node, whosever it is */
  volumes(): Promise<EngineVolume[]>;
  /** every image: id and repository tags */
  images(): Promise<EngineImage[]>;
  /** an image by id or reference, with its platform; undefined when the engine has no such image */
  inspectImage(ref: string): Promise<EngineImageDetail | undefined>;
  /** host ports published by running containers this agent does not manage */
  foreignPorts(): Promise<HostPort[]>;
  /** a container's log stream: multiplexed (8-byte frame headers) unless the container has a TTY */
  logs(id: string, opts: LogOptions): Promise<{ stream: Readable; tty: boolean }>;
  /** loads a `docker save` tar; what the engine says it loaded (`name:tag` references, or image ids) */
  loadImage(tar: Readable): Promise<string[]>;
  /** removes an image (all its tags); one already gone is not an error */
  removeImage(id: string): Promise<void>;
}

/** A Docker volume. */
export interface EngineVolume {
  name: string;
  labels: Record<string, string>;
}

/** An image in the engine's list. */
export interface EngineImage {
  id: string;
  /** `name:tag` references, without Docker's `<none>:<none>` */
  tags: string[];
}

/** An image with its platform as its config says it (`Architecture` and `Variant` unnormalised). */
export interface EngineImageDetail extends EngineImage {
  os: string;
  architecture: string;
  variant?: string;
}

/** A host port a container publishes. */
export interface HostPort {
  port: number;
  protocol: 'tcp' | 'udp';
}

/** What a log request asks for (Docker's /containers/{id}/logs options). */
export interface LogOptions {
  follow: boolean;
  /** the last N lines only; undefined: all */
  tail?: number;
  /** lines from this UNIX time on */
  since?: number;
  timestamps: boolean;
}
