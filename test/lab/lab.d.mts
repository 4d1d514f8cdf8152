// Types for lab.mjs, so TypeScript tests can import '../lab/lab.mjs'.

export interface LabHost {
  /** h01, h02, ... also the container's hostname */
  name: string;
  /** muster-lab-<lab>-<host> */
  container: string;
  /** sshd's port on 127.0.0.1; stays the same across stopHost/startHost and reboots */
  port: number;
  address: '127.0.0.1';
  /** container port -> port on 127.0.0.1 (22 and any `ports` asked for) */
  ports: Record<number, number>;
}

export interface Lab {
  name: string;
  /** .lab/<name>/ */
  dir: string;
  /** started with the Docker-in-host flags */
  docker: boolean;
  /** Debian release of the hosts ('trixie' unless startLab was given another) */
  suite?: LabSuite;
  hosts: LabHost[];
  /** absolute path of the lab's private key (authorized for muster and pwuser) */
  keyPath: string;
  /** Ansible YAML inventory: group `lab` */
  inventoryPath: string;
  /** OpenSSH known_hosts: `[127.0.0.1]:PORT keytype base64` */
  knownHostsPath: string;
  /** removes the containers */
  stop(): Promise<void>;
}

export interface StartLabOptions {
  /** lab name, used in container names and .lab/<name>/ (default 'default') */
  name?: string;
  /** number of hosts (default 1) */
  count?: number;
  /** start hosts able to run Docker inside (default false) */
  docker?: boolean;
  /** extra container ports to publish on 127.0.0.1, e.g. an agent's port */
  ports?: number[];
  /** how long each host may take to accept SSH (default 60000) */
  timeoutMs?: number;
  /** Debian release of the hosts (default 'trixie'; 'bookworm' ships Node 18) */
  suite?: LabSuite;
}

/** Debian releases a lab image can be built from. */
export type LabSuite = 'trixie' | 'bookworm';

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

export const IMAGE: string;
export const ROOT: string;
export const LAB_DIR: string;
export const KEY_PATH: string;

export function containerName(lab: string, host: string): string;
export function debianMirror(): string;
export function ensureDocker(): Promise<void>;
/** Builds the suite's image (default trixie) unless it exists with the current recipe; resolves true if it built. */
export function buildImage(opts?: { force?: boolean; log?: (msg: string) => void; suite?: LabSuite }): Promise<boolean>;
/** The image tag of a suite: IMAGE for trixie, muster-lab:SUITE otherwise. */
export function imageOf(suite?: LabSuite): string;
export function ensureKey(): Promise<string>;

/**
 * Builds the image if needed, then starts hosts h01..hNN and resolves once every sshd answers.
 * Removes leftover containers of a lab with the same name, but rejects if the process that
 * started them still runs (two test runs picked one name).
 */
export function startLab(opts?: StartLabOptions): Promise<Lab>;
/** Removes the lab's containers, volumes and .lab/<name>/. */
export function stopLab(name: string): Promise<void>;
/** Attaches to a lab left running by startLab or `cli.mjs up` (reads .lab/<name>/lab.json). */
export function loadLab(name?: string): Promise<Lab>;
export function listLabs(): Promise<{ name: string; hosts: { name: string; container: string; status: string; ports: string }[] }[]>;

/** New SSH host keys + sshd restart; known_hosts is left unchanged. Resolves to the new known_hosts lines. */
export function restartHostKey(lab: Lab, host: string | LabHost): Promise<string[]>;
export function stopHost(lab: Lab, host: string | LabHost): Promise<void>;
export function startHost(lab: Lab, host: string | LabHost, opts?: { timeoutMs?: number }): Promise<void>;
export function waitForHost(lab: Lab, host: string | LabHost, opts?: { timeoutMs?: number }): Promise<void>;

/** docker exec as root (string: run by sh -c; array: argv). Never rejects on a non-zero exit. */
export function exec(lab: Lab, host: string | LabHost, cmd: string | string[]): Promise<ExecResult>;
/** Real SSH with strict host key checking against the lab's known_hosts. Never rejects on a non-zero exit. */
export function ssh(lab: Lab, host: string | LabHost, cmd: string, opts?: { user?: string }): Promise<ExecResult>;
