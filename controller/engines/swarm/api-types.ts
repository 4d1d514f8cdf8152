/**
 * The parts of the Docker Engine API (v1.41+) that a stack becomes on Swarm: service, network, secret and
 * config specs, in the API's own field names and units (nanoseconds, bytes, NanoCPUs), as sent to and read
 * back from `/services/create`, `/networks/create`, `/secrets/create` and `/configs/create`.
 */

/** `Annotations` plus the spec of a service (`ServiceSpec`). */
export interface ServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: TaskSpec;
  Mode: { Replicated: { Replicas: number } } | { Global: Record<string, never> };
  UpdateConfig: UpdateConfig;
  RollbackConfig: UpdateConfig;
  EndpointSpec: { Mode: 'vip' | 'dnsrr'; Ports?: PortConfig[] };
}

/** `TaskSpec`: what each replica (task) runs and where. */
export interface TaskSpec {
  ContainerSpec: ContainerSpec;
  Resources: { Limits?: Resources & { Pids?: number }; Reservations?: Resources };
  RestartPolicy: { Condition: 'none' | 'on-failure' | 'any'; Delay: number; MaxAttempts: number; Window?: number };
  Placement: { Constraints?: string[]; Preferences?: { Spread: { SpreadDescriptor: string } }[]; MaxReplicas?: number };
  Networks?: { Target: string; Aliases?: string[] }[];
  LogDriver?: { Name: string; Options?: Record<string, string> };
}

/** NanoCPUs (1e9 = one CPU) and bytes. */
export interface Resources {
  NanoCPUs?: number;
  MemoryBytes?: number;
}

/** `ContainerSpec`. */
export interface ContainerSpec {
  Image: string;
  Labels: Record<string, string>;
  /** the entrypoint */
  Command?: string[];
  /** the command */
  Args?: string[];
  /** `KEY=value`, sorted */
  Env?: string[];
  Dir?: string;
  User?: string;
  Mounts?: Mount[];
  /** `IP hostname` lines (the reverse of Compose's `hostname:IP`) */
  Hosts?: string[];
  CapabilityAdd?: string[];
  CapabilityDrop?: string[];
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  /** ns between SIGTERM and SIGKILL when a task stops */
  StopGracePeriod?: number;
  Secrets?: FileReference[];
  Configs?: FileReference[];
}

/** A mount of a task's container. */
export interface Mount {
  Type: 'volume' | 'bind' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  VolumeOptions?: { Labels: Record<string, string> };
}

/** A secret or config given to a container; the ID is filled in when it exists on the swarm. */
export interface FileReference {
  File: { Name: string; UID: string; GID: string; Mode: number };
  SecretName?: string;
  SecretID?: string;
  ConfigName?: string;
  ConfigID?: string;
}

/** A published port: ingress (the routing mesh) as `docker stack deploy` makes the short syntax. */
export interface PortConfig {
  Protocol: 'tcp' | 'udp';
  TargetPort: number;
  PublishedPort: number;
  PublishMode: 'ingress' | 'host';
}

/** `UpdateConfig` / `RollbackConfig`. */
export interface UpdateConfig {
  Parallelism: number;
  /** ns */
  Delay: number;
  FailureAction: 'pause' | 'continue' | 'rollback';
  /** ns */
  Monitor: number;
  MaxFailureRatio: number;
  Order: 'stop-first' | 'start-first';
}

/** `/networks/create` body for a stack network. */
export interface NetworkSpec {
  Name: string;
  Driver: 'overlay';
  Labels: Record<string, string>;
  Attachable: boolean;
}

/** `/secrets/create` and `/configs/create` body: Data is base64. */
export interface FileSpec {
  Name: string;
  Labels: Record<string, string>;
  Data: string;
}
