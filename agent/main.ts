/**
 * The agent's entry point (`muster agent`): reads its settings, reloads the saved desired set, wires the
 * reporter, the reconciler and the API together, listens, and stops cleanly on SIGTERM. The only place
 * that listens or holds process-wide state.
 */
import { hostname, machine, release } from 'node:os';
import { mkdir } from 'node:fs/promises';
import { MusterError, renderError } from '../shared/errors.js';
import { readText } from '../shared/yaml.js';
import { agentUsage, loadSettings } from './config/load.js';
import type { AgentSettings } from './config/settings.js';
import { buildAgent } from './api/app.js';
import { MIN_TOKEN_LENGTH } from './api/auth.js';
import { dockerAdapter } from './docker/adapter.js';
import { filesStore } from './state/files-store.js';
import { describeTidy, tidyNode } from './reconcile/tidy.js';
import type { DockerPort } from './docker/port.js';
import { reconciler, type LoopEvent, type Reconciler } from './reconcile/loop.js';
import { reporter, type Reporter } from './report/reporter.js';
import { hardwareCache, type HardwarePort } from './report/hardware.js';
import { systeminformationPort } from './report/hardware-si.js';
import { hostFiles, type HostFiles, type HostIdentity } from './report/collect.js';
import { cgroupRootFiles, checkCgroupRoot } from './report/cgroup-root.js';
import { normaliseArch } from './report/platform.js';
import { desiredStore, loadDesired } from './state/desired-store.js';
import { availabilityStore, loadAvailability } from './state/availability.js';
import { createLog, type Log } from './log.js';
import { heartbeatSender } from './heartbeat/sender.js';
import { AGENT_VERSION } from './version.js';

/** A started agent. */
export interface RunningAgent {
  /** the URL it listens on, e.g. https://127.0.0.1:7443 */
  url: string;
  reconciler: Reconciler;
  reporter: Reporter;
  /** stops listening, lets the action in progress finish */
  stop(): Promise<void>;
}

/** What startAgent can be given instead of the real thing (tests: a fake engine, a fixture tree). */
export interface AgentParts {
  log?: Log;
  docker?: DockerPort;
  files?: HostFiles;
  identity?: HostIdentity;
  /** where hardware facts come from (default: systeminformation); null = none */
  hardware?: HardwarePort | null;
}

/** Reads the API token: one line, 16 characters at least. */
export function readToken(path: string): string {
  const token = readText(path, path).trim();
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new MusterError('E_FILE', `the token in ${path} must be one word of ${MIN_TOKEN_LENGTH} characters or more`, {
      hint: `make one with: openssl rand -hex 32 > ${path}`,
    });
  }
  return token;
}

function describeEvent(e: LoopEvent): { level: 'info' | 'warn'; msg: string } {
  const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  if (e.kind === 'acted') return { level: 'info', msg: `${e.action.kind} ${e.action.name}: ${e.action.reason}` };
  if (e.kind === 'failed')
    return { level: 'warn', msg: `${e.action.kind} ${e.action.name} failed: ${message(e.error)} (retry in ${Math.round(e.retryInMs / 1000)}s)` };
  return { level: 'warn', msg: `cannot observe containers: ${message(e.error)}` };
}

/** Starts the agent with `settings`; resolves once it listens. */
export async function startAgent(settings: AgentSettings, parts: AgentParts = {}): Promise<RunningAgent> {
  const log = parts.log ?? createLog((s) => process.stderr.write(s));
  const token = readToken(settings.tokenFile);
  const https = settings.insecureHttp ? undefined : { cert: readText(settings.tlsCert), key: readText(settings.tlsKey) };
  try {
    await mkdir(settings.stateDir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new MusterError('E_FILE', `cannot create the state directory ${settings.stateDir}: ${(e as NodeJS.ErrnoException).code}`, {
      hint: 'set state_dir to a directory the agent may write (systemd: StateDirectory=muster-agent)',
    });
  }

  const loaded = await loadDesired(settings.stateDir);
  let waitingFor: string | undefined;
  if (loaded.kind === 'corrupt') {
    waitingFor = loaded.error.message;
    log.error(renderError(loaded.error));
  }
  const store = desiredStore(settings.stateDir, loaded.kind === 'ok' ? loaded.set : null);
  const availability = availabilityStore(settings.stateDir, await loadAvailability(settings.stateDir));
  // Docker's events wake the reconciler (a container that died is started again within a second or two, not
  // at the next tick) and make the next GET /v1/report collect again instead of serving what was true before.
  const onChange = (): void => {
    loop.poke();
    rep.invalidate();
  };
  const files = filesStore(settings.stateDir); // secrets and configs
  const docker = parts.docker ?? dockerAdapter({ socketPath: settings.dockerSocket, scope: settings.scope, onChange, files });
  const intervalMs = settings.reportIntervalS * 1000;
  // Test only: the cgroup layout comes from a recorded tree (a Pi without the memory controller, say).
  if (settings.cgroupRoot !== undefined) {
    checkCgroupRoot(settings.cgroupRoot);
    log.warn(`cgroup_root is set (${settings.cgroupRoot}): the cgroup layout is read from that recorded tree, not this machine's; for tests only`);
  }
  const realFiles = parts.files ?? hostFiles('/');
  const identity = parts.identity ?? { hostname: hostname(), kernel: release(), machine: machine() };

  let lastObserveError: string | undefined; // Docker down for an hour logs once, not every tick
  const loop = reconciler({
    docker,
    desired: () => store.current(),
    intervalMs,
    parallelism: settings.reconcileParallelism,
    tidy: async (set) => {
      const said = describeTidy(await tidyNode(set, docker, files));
      if (said) log.info(said);
    },
    onEvent: (e) => {
      const { level, msg } = describeEvent(e);
      if (e.kind === 'observe-failed' && msg === lastObserveError) return;
      lastObserveError = e.kind === 'observe-failed' ? msg : undefined;
      log[level](msg);
    },
  });
  const hw =
    parts.hardware === null ? undefined : hardwareCache({ port: parts.hardware ?? systeminformationPort(), onError: (m) => log.warn(`hardware facts: ${m}`) });
  const rep = reporter({
    hardware: hw?.snapshot,
    files: settings.cgroupRoot === undefined ? realFiles : cgroupRootFiles(realFiles, hostFiles(settings.cgroupRoot)),
    cgroupsRecorded: settings.cgroupRoot !== undefined,
    identity,
    docker,
    agentVersion: AGENT_VERSION,
    labels: settings.labels,
    availability: () => availability.get(),
    desired: () => store.current(),
    loop: () => loop.status(),
    waitingFor: () => (store.current() === null ? waitingFor : undefined),
    agentRss: () => process.memoryUsage.rss(),
    maxAgeMs: 2 * intervalMs,
  });
  // UDP heartbeats to the manager that asks for them (PUT /v1/heartbeat), naming the tag GET /v1/report sends.
  const heartbeat = heartbeatSender({ token, report: () => rep.latest(), log });
  const app = buildAgent(
    {
      token,
      heartbeat,
      desired: store,
      availability,
      report: () => rep.latest(),
      files,
      onFileDelivered: () => loop.retryHeld(), // a container held for a missing file starts now, not after its backoff
      engine: docker,
      onImagesLoaded: () => rep.invalidate(),
      platform: { os: 'linux', arch: normaliseArch(identity.machine).normalised ?? identity.machine },
      onDesiredChanged: (set) => {
        log.info(`desired set generation ${set.generation}: ${set.containers.length} container(s)`);
        loop.poke();
      },
      onError: (e) => log.error(`API: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    },
    { https },
  );

  let url: string;
  try {
    url = await app.listen({ host: settings.listen, port: settings.port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MusterError('E_OPTION', `cannot listen on ${settings.listen}:${settings.port}: ${code ?? (e as Error).message}`, {
      hint: code === 'EADDRINUSE' ? 'another process holds the port: change port, or stop the other agent' : 'check listen and port',
    });
  }
  loop.start();
  hw?.start();
  const timer = setInterval(() => void rep.refresh().catch((e: unknown) => log.warn(`report: ${String(e)}`)), intervalMs);
  timer.unref();
  log.info(`muster agent ${AGENT_VERSION} listening on ${url}${loaded.kind === 'ok' ? `, desired generation ${loaded.set.generation}` : ''}`);

  return {
    url,
    reconciler: loop,
    reporter: rep,
    async stop() {
      clearInterval(timer);
      hw?.stop();
      await app.close();
      heartbeat.stop(); // after the API closed: no PUT can start it again
      await loop.stop();
      docker.close?.();
    },
  };
}

/** `muster agent [options]`: runs until SIGTERM or SIGINT; resolves with the exit code. */
export async function agentCommand(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let agent: RunningAgent;
  try {
    const { settings, help, version } = loadSettings(argv, env);
    if (help) {
      out(`usage: ${agentUsage}\n`);
      return 0;
    }
    if (version) {
      out(`muster agent ${AGENT_VERSION}\n`);
      return 0;
    }
    agent = await startAgent(settings, { log: createLog(err, env.JOURNAL_STREAM !== undefined) });
  } catch (e) {
    err(`${renderError(e)}\n`);
    return e instanceof MusterError && e.code === 'E_OPTION' ? 5 : 1;
  }
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  err(`${env.JOURNAL_STREAM !== undefined ? '<6>' : 'info: '}${signal}: stopping\n`);
  await agent.stop();
  return 0;
}
