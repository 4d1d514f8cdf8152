/**
 * The wire types of the agent API, shared by the agent and the controller: the desired set the controller
 * PUTs (/v1/desired) and the report an agent answers (GET /v1/report). Types only: no code on either side.
 */
/** One container the controller wants on this node. */
export interface ContainerSpec {
  /** unique on the node: `<stack>_<service>.<replica>` */
  name: string;
  stack: string;
  service: string;
  replica: number;
  image: string;
  command?: string[];
  env?: Record<string, string>;
  /** host-mode port publishing */
  ports?: { container: number; host: number; protocol?: 'tcp' | 'udp' }[];
  /** bytes */
  memoryLimit?: number;
  memoryReservation?: number;
  /** number of CPUs, e.g. 0.5 */
  cpus?: number;
  pidsLimit?: number;
  restartPolicy?: 'no' | 'on-failure' | 'always' | 'unless-stopped';
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
  /** false while drained: the scheduler places nothing new here */
  available: boolean;
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
}
