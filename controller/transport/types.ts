/** The one narrow interface through which commands reach a host (SSH, local, or a fake in tests). */
import type { Script, Secret } from '../command.js';

/** Run as another user through sudo. */
export interface Become {
  user: string; // default root
  password?: Secret; // from -K or ansible_become_password; passwordless sudo when absent
}

export interface ExecOptions {
  stdin?: string | Buffer;
  become?: Become;
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
}

/** What a fresh login offering keys only (key files, ssh-agent; never a password) came to. */
export type KeyLogin = { ok: true; user: string /** the key or agent that was accepted */; via: string } | { ok: false; user: string; reason: string };

export interface Transport {
  /** The inventory name of the host this transport reaches. */
  readonly host: string;
  /** Opens the connection (once; later calls reuse it). Throws MusterError E_UNREACHABLE / E_HOSTKEY. */
  connect(): Promise<void>;
  /**
   * Runs a POSIX sh script; resolves with its exit code and output (a non-zero rc is not an exception;
   * rc 124 means muster's own timeout). Throws MusterError E_UNREACHABLE, E_HOSTKEY or E_BECOME.
   */
  exec(script: Script, opts?: ExecOptions): Promise<ExecResult>;
  /**
   * Opens a second, separate connection with the same settings but keys only, then hangs it up
   * (the guard before SSH hardening). Absent on transports that do not log in (local).
   */
  tryKeyLogin?(): Promise<KeyLogin>;
  /** Drops the connection; the next exec reconnects (reboot, meta: reset_connection). */
  reset(): Promise<void>;
  close(): Promise<void>;
}
