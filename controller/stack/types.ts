/**
 * The stack model: a Compose file loaded, interpolated and checked, in the shape the scheduler and the deploy
 * read. Sizes are bytes, durations seconds, every default filled in; positions point back into the file.
 */
import type { Pos } from '../../shared/errors.js';
import type { DeviceSpec, MountSpec } from '../../shared/wire.js';

/** A whole stack file. */
export interface Stack {
  /** `--name`, else the `name:` key, else the file's directory name; [a-z0-9][a-z0-9_-]* */
  name: string;
  /** the file as the user named it (for messages) */
  file: string;
  /** sorted by name */
  services: Service[];
  /** top-level networks by key; `default` is there whenever a service uses it */
  networks: Record<string, NetworkDef>;
  volumes: Record<string, VolumeDef>;
  secrets: Record<string, FileDef>;
  configs: Record<string, FileDef>;
  /** keys muster does not support (an error instead with --strict), and other things to tell */
  warnings: StackWarning[];
}

/** Something the user should read: what, and where. */
export interface StackWarning {
  message: string;
  pos?: Pos;
  /** set when the warning is about muster's own engine only (Swarm and Kubernetes do the thing): their paths leave it out */
  engine?: 'native';
}

/** A top-level network: made on each node as the bridge network `<stack>_<key>` (or used as is when external). */
export interface NetworkDef {
  /** the Docker network name */
  name: string;
  external: boolean;
  labels: Record<string, string>;
}

/** A top-level volume: a node-local named volume `<stack>_<key>` (or `name:`), or an external one. */
export interface VolumeDef {
  /** the Docker volume name */
  name: string;
  external: boolean;
  driver?: string;
  driverOpts: Record<string, string>;
  labels: Record<string, string>;
}

/** A top-level secret or config: its content read on the controller (file, environment, or inline content). */
export interface FileDef {
  key: string;
  /** the content; secrets are never printed (a secret's content is not enumerable: JSON and console.log leave it out) */
  content: Buffer;
  /** sha256 hex of the content */
  digest: string;
  pos?: Pos;
}

/** A service's use of a secret or config. */
export interface FileRef {
  /** the top-level key */
  source: string;
  /** absolute path in the container: /run/secrets/<source> for secrets, /<source> for configs by default */
  target: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

/** A published port: host mode, on the node that runs the replica. */
export interface PortMapping {
  target: number;
  published: number;
  protocol: 'tcp' | 'udp';
  hostIp?: string;
  /** `mode: host` as written (long syntax); absent means ingress, Compose's default, which only Swarm has */
  mode?: 'host';
}

/** A port other services reach on the stack network (`expose:`), not published on the nodes. */
export interface ExposedPort {
  target: number;
  protocol: 'tcp' | 'udp';
}

/** `node.labels.disk == ssd`, parsed. */
export interface Constraint {
  /** `node.hostname`, `node.role`, `node.platform.arch`, `node.platform.os`, `node.labels.<name>` */
  key: string;
  op: '==' | '!=';
  value: string;
  /** as written, for messages */
  text: string;
  pos?: Pos;
}

/** update_config / rollback_config with Swarm's defaults filled in. */
export interface UpdateConfig {
  /** replicas updated at once; 0 means all at once */
  parallelism: number;
  delayS: number;
  order: 'stop-first' | 'start-first';
  failureAction: 'pause' | 'continue' | 'rollback';
  /** how long a new replica is watched after it starts */
  monitorS: number;
  maxFailureRatio: number;
}

/** The `deploy:` section with defaults filled in. */
export interface Deploy {
  mode: 'replicated' | 'global';
  /** 1 by default; ignored for global */
  replicas: number;
  limits: { memoryBytes?: number; cpus?: number; pids?: number };
  reservations: { memoryBytes?: number; cpus?: number };
  constraints: Constraint[];
  /** placement.preferences spread keys, in order (`node.labels.zone`) */
  spread: string[];
  maxReplicasPerNode?: number;
  update: UpdateConfig;
  rollback: UpdateConfig;
  restartPolicy: { condition: 'none' | 'on-failure' | 'any'; delayS: number; maxAttempts?: number; windowS?: number };
  /** `endpoint_mode` as written; absent is vip (a virtual IP in front of the replicas); dnsrr: the name resolves to each replica */
  endpointMode?: 'vip' | 'dnsrr';
  /** service labels (not container labels) */
  labels: Record<string, string>;
}

/** One service, normalised. */
export interface Service {
  name: string;
  /** where its key is in the file */
  pos?: Pos;
  image: string;
  command?: string[];
  entrypoint?: string[];
  /** env_file entries first, then environment */
  env: Record<string, string>;
  ports: PortMapping[];
  /** `expose:`, ranges expanded, each port once, in the order written; absent when none is written */
  expose?: ExposedPort[];
  /** `volumes:` then `tmpfs:`; a named volume's source is its Docker name (`stack.volumes[key].name`), a bind's an absolute node path */
  mounts: MountSpec[];
  /** container labels */
  labels: Record<string, string>;
  healthcheck?: { test: string[]; intervalS?: number; timeoutS?: number; retries?: number; startPeriodS?: number };
  /** as written; absent when not written or when deploy.restart_policy is written too (that one wins) */
  restart?: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  user?: string;
  workingDir?: string;
  devices: DeviceSpec[];
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  networkMode?: 'host' | 'none' | 'bridge';
  /** stack network keys with aliases; `default` when the service names none and has no networkMode */
  networks: { key: string; aliases: string[] }[];
  extraHosts: string[];
  logging?: { driver: string; options: Record<string, string> };
  /** `stop_grace_period` in seconds: how long a stop waits after SIGTERM before it kills; absent: the engine's default (Docker 10 s) */
  stopGraceS?: number;
  secrets: FileRef[];
  configs: FileRef[];
  deploy: Deploy;
}
