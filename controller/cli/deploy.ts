/**
 * `muster deploy`: which engine runs it (--engine, or the stack's record: controller/cli/engine.ts), then that
 * engine's command, loaded only when chosen (muster's own in deploy-native.ts, Swarm's, or k3s's).
 */
import { engineOf } from './engine.js';

/** Exit codes of deploy. */
export const DEPLOY_EXIT = { ok: 0, failed: 2, unreachable: 4 } as const;

/** What deploy needs from its surroundings (tests give their own). */
export interface DeployIo {
  out(s: string): void;
  env: Record<string, string | undefined>;
  tty: boolean;
  now(): number;
  sleep(ms: number): Promise<void>;
}

const defaultIo = (out: (s: string) => void): DeployIo => ({
  out,
  env: process.env,
  tty: process.stdout.isTTY === true,
  now: Date.now,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
});

/** Runs `muster deploy`; resolves with the exit code. */
export async function deployCommand(given: string[], out: (s: string) => void, io: DeployIo = defaultIo(out)): Promise<number> {
  const { engine, argv } = engineOf(given, io.env);
  if (engine === 'swarm') return (await import('../engines/swarm/cli.js')).swarmDeploy(argv, io);
  if (engine === 'k3s') return (await import('../engines/k8s/deploy-command.js')).k3sDeploy(argv, io);
  return (await import('./deploy-native.js')).nativeDeploy(argv, io);
}
