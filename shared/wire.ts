/**
 * The wire types of the agent API, shared by the agent and the controller: the desired set the controller
 * PUTs (/v1/desired) and the report an agent answers (GET /v1/report). Types only: no code on either side.
 */
/** A mount: a named volume (created on the node, labelled with the stack), a bind of a host path, or a tmpfs. */
export interface MountSpec {
  type: 'volume' | 'bind' | 'tmpfs';
  /** volume name (`<stack>_<key>`, or the external name) or host path; absent for tmpfs */
  source?: string;
  target: string;
  readOnly?: boolean;
}

/** A host device passed into the container (`/dev/ttyUSB0:/dev/ttyUSB0:rwm`). */
export interface DeviceSpec {
  host: string;
  container: string;
  /** cgroup permissions, default `rwm` */
  permissions?: string;
}

/** A network the container joins: the per-stack bridge network `<stack>_<name>` made on the node. */
export interface NetworkAttachment {
  name: string;
  /** names other containers on the network reach it by (the service name at least) */
  aliases?: string[];
}

/**
 * A secret or config file mounted read-only into the container. The content is not in the desired set: it
 * was delivered before with PUT /v1/files/{name}; `digest` (sha256 hex of the content) names the version.
 */
export interface FileMount {
  kind: 'secret' | 'config';
  /** the delivered file's name: `<stack>_<key>.<first 12 hex digits of digest>` */
  name: string;
  digest: string;
  target: string;
  /** octal file mode as a number (0o444 default for configs, 0o400 for secrets) */
  mode?: number;
  uid?: number;
  gid?: number;
}

/** One container the controller wants on this node. */
export interface ContainerSpec {
  /** unique on the node; the controller names replicas `<stack>_<service>.<slot>.<hash8>` (global: slot 0) */
  name: string;
  stack: string;
  service: string;
  replica: number;
  image: string;
  command?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  /** host-mode port publishing */
  ports?: { container: number; host: number; protocol?: 'tcp' | 'udp'; hostIp?: string }[];
  mounts?: MountSpec[];
  devices?: DeviceSpec[];
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  /** `host`, `none` or `bridge`: instead of networks */
  networkMode?: 'host' | 'none' | 'bridge';
  networks?: NetworkAttachment[];
  /** `name:address` lines for /etc/hosts */
  extraHosts?: string[];
  user?: string;
  workingDir?: string;
  /** Docker's log driver and options; default json-file, 10m x 3 */
  logging?: { driver: string; options?: Record<string, string> };
  files?: FileMount[];
  /** bytes */
  memoryLimit?: number;
  memoryReservation?: number;
  /** number of CPUs, e.g. 0.5 */
  cpus?: number;
  pidsLimit?: number;
  restartPolicy?: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  /** whole seconds a stop waits after SIGTERM before SIGKILL (Docker's StopTimeout); absent: the agent's default, 10 */
  stopGraceS?: number;
  healthcheck?: { test: string[]; intervalS?: number; timeoutS?: number; retries?: number; startPeriodS?: number };
  labels?: Record<string, string>;
}

/** The whole set of containers one node must run. `generation` only moves forward. */
export interface DesiredSet {
  generation: number;
  containers: ContainerSpec[];
}

/** A container's state as Docker names it. */
export type ContainerState = 'created' | 'running' | 'restarting' | 'exited' | 'paused' | 'dead' | 'removing';

/** A container's health as its healthcheck says. */
export type ContainerHealth = 'starting' | 'healthy' | 'unhealthy';

// ---- the report: what an agent says about its node (GET /v1/report) ----

/** A memory limit: bytes, or no limit at all. */
export type MemoryLimit = number | 'unlimited';

/** Space on one filesystem, in bytes. */
export interface DiskSpace {
  path: string;
  totalBytes: number;
  freeBytes: number;
  /** what an unprivileged writer may still use */
  availableBytes: number;
}

/** The machine. */
export interface NodeInfo {
  hostname: string;
  /** /etc/os-release PRETTY_NAME */
  os: string | null;
  kernel: string;
  arch: { raw: string; normalised: string | null };
  cpu: { count: number; model: string | null };
  memory: { totalBytes: number; availableBytes: number; swapTotalBytes: number; swapFreeBytes: number } | null;
  /** `/` and the Docker data root */
  disks: DiskSpace[];
  load: [number, number, number] | null;
  uptimeS: number | null;
  piModel: string | null;
  /** from the agent's config, for placement constraints */
  labels: Record<string, string>;
  /** false while paused or drained: the scheduler places nothing new here */
  available: boolean;
  /** active: takes new work; pause: keeps what runs, takes nothing new; drain: its replicas move away */
  availability?: Availability;
}

/** The cgroup layout and what it enforces. */
export interface CgroupReport {
  version: 'v1' | 'v2' | 'hybrid' | null;
  memory: { enabled: boolean; enforced: boolean; reason?: string };
  /** the agent's own memory cgroup */
  agent: { dir: string | null; limit: MemoryLimit | null; usageBytes: number | null };
}

/** What the report keeps of Docker's info. */
export interface DockerInfo {
  version: string | null;
  cgroupDriver: string | null;
  cgroupVersion: string | null;
  /** Docker can set memory limits (false on a kernel without the memory controller) */
  memoryLimit: boolean;
  swapLimit: boolean;
  warnings: string[];
  dataRoot: string | null;
}

/** The Docker engine. */
export interface DockerReport extends DockerInfo {
  reachable: boolean;
  error?: string;
}

/** Where a container's enforced limit was read, or why it could not be. */
export type EnforcedSource = 'cgroup' | 'not-running' | 'no-memory-cgroup';

/** One managed container: what was asked, what the kernel enforces, what it uses. */
export interface ContainerReport {
  name: string;
  id: string;
  stack: string | null;
  service: string | null;
  replica: number | null;
  image: string;
  state: ContainerState;
  health: ContainerHealth | null;
  restarts: number;
  exitCode: number | null;
  /** ISO time of its last start (absent from older agents), for `muster ps` */
  startedAt?: string;
  asked: { memoryLimit: number | null; memoryReservation: number | null; cpus: number | null; pidsLimit: number | null };
  /** what the container's cgroup files say: memory in bytes, CPUs as the CFS quota over its period, pids.max */
  enforced: {
    memoryLimit: MemoryLimit | null;
    cpus: number | 'unlimited' | null;
    pidsLimit: number | 'unlimited' | null;
    source: EnforcedSource;
    cgroupDir: string | null;
  };
  usageBytes: number | null;
  oomKills: number | null;
  /** asked and enforced memory limits differ (or a limit was asked and nothing enforces it) */
  limitMismatch: boolean;
  /** the same for the CPU limit (a kernel without CFS bandwidth control accepts --cpus and enforces nothing) */
  cpuMismatch: boolean;
  /** the same for the pids limit */
  pidsMismatch: boolean;
}

/** Memory the system takes before any managed container runs. */
export interface BaselineReport {
  dockerdBytes: number | null;
  containerdBytes: number | null;
  k3sBytes: number | null;
  agentBytes: number;
  totalBytes: number;
}

/** Where the reconciler stands. */
export interface ReconcileStatus {
  generation: number | null;
  desiredCount: number;
  converged: boolean;
  lastAction: string | null;
  lastError: string | null;
  /** why no desired set is being converged to (none received, or a corrupt file kept aside) */
  waitingFor?: string;
}

/** A node's availability, as `muster node update --availability` sets it. */
export type Availability = 'active' | 'pause' | 'drain';

/** A Docker volume on the node (named volumes hold data: the scheduler keeps their replicas here). */
export interface VolumeReport {
  name: string;
  /** the stack that made it (its io.muster.stack label), if muster made it */
  stack: string | null;
}

/** An image the node's engine has, with its platform. */
export interface ImageReport {
  id: string;
  tags: string[];
  os: string;
  /** normalised: amd64, arm64, arm/v7... */
  arch: string;
}

/** Everything GET /v1/report answers. */
export interface NodeReport {
  agentVersion: string;
  collectedAt: string;
  node: NodeInfo;
  cgroups: CgroupReport;
  docker: DockerReport;
  containers: ContainerReport[];
  baseline: BaselineReport;
  reconcile: ReconcileStatus;
  /** volumes and images on the node (absent from agents older than the deploy side) */
  volumes?: VolumeReport[];
  images?: ImageReport[];
  /** host ports published by running containers the agent does not manage (absent from older agents) */
  portsInUse?: { port: number; protocol: 'tcp' | 'udp' }[];
}
