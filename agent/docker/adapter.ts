/** The Docker adapter: DockerPort over the engine's socket (with deploy-support.ts, the only code that uses dockerode). */
import Docker from 'dockerode';
import { MusterError } from '../../shared/errors.js';
import { LABELS, type ObservedContainer } from '../types.js';
import type { ContainerSpec } from '../../shared/wire.js';
import { DEFAULT_STOP_GRACE_S } from '../../shared/spec-hash.js';
import type { DockerPort } from './port.js';
import { createBody, laterNetworks, namedVolumes, observedFromInspect, resourceLabels, type InspectAnswer } from './mapping.js';
import type { FilesStore } from '../state/files-store.js';
import { InspectCache } from './inspect-cache.js';
import { burst, eventWatch } from './watch.js';
import { deploySupport } from './deploy-support.js';

/** How the adapter reaches and treats the engine. */
export interface DockerOptions {
  socketPath: string;
  /** value of the managed label: this agent owns exactly the containers carrying it */
  scope: string;
  /** seconds a container whose spec names no stopGraceS gets between SIGTERM and SIGKILL when stopped (default 10) */
  stopGraceS?: number;
  /** per-request timeout (ms); image pulls and the event stream are not bounded by it */
  timeoutMs?: number;
  /**
   * called when Docker reported changes to this agent's containers (died, started, removed...): once per
   * burst, `changeDelayMs` after its first event
   */
  onChange?: () => void;
  /**
   * how long a burst of events may gather before onChange (default 1 s). It also keeps the reconciler from
   * acting in the middle of a dockerd shutdown, whose containers all die at once: a start sent to a
   * stopping dockerd can leave a half-made task behind that fails every later start ("task already exists").
   */
  changeDelayMs?: number;
  /** inspect answers are used again for at most this long, even when no event came (default 5 min) */
  cacheMaxAgeMs?: number;
  /** where containers' secrets and configs come from (a spec with files fails to create without it) */
  files?: Pick<FilesStore, 'materialise'>;
}

/** How long a stop request may take: the grace period, then the usual request timeout (within what a timer can wait). */
export const stopBoundMs = (graceS: number, requestMs: number): number => Math.min(graceS * 1000 + requestMs, 2_147_483_647);

/** The HTTP status of a Docker API error, if it has one. */
export const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number })?.statusCode;

/** A DockerPort over dockerode. */
export function dockerAdapter(opts: DockerOptions): DockerPort {
  const docker = new Docker({ socketPath: opts.socketPath, timeout: opts.timeoutMs ?? 30_000 });
  const managed = `${LABELS.managed}=${opts.scope}`;
  const grace = opts.stopGraceS ?? DEFAULT_STOP_GRACE_S;
  const cache = new InspectCache(opts.cacheMaxAgeMs ?? 5 * 60_000);
  const notify = burst(() => opts.onChange?.(), opts.changeDelayMs ?? 1000);
  const watch = eventWatch({
    client: new Docker({ socketPath: opts.socketPath }),
    label: managed,
    onChange(id) {
      cache.invalidate(id);
      if (opts.onChange) notify.trigger();
    },
    onLost: () => cache.invalidate(),
  });
  const wrap = <T>(what: string, p: Promise<T>): Promise<T> => p.catch((e: unknown) => Promise.reject(dockerError(what, e, opts.socketPath)));

  // A stop lasts up to the container's grace period (its StopTimeout, set at create from the spec), which may be
  // longer than the request timeout: it goes through a client without one, bounded by the grace plus that timeout.
  const stopper = new Docker({ socketPath: opts.socketPath });
  const requestMs = opts.timeoutMs ?? 30_000;
  const stop = async (id: string): Promise<void> => {
    try {
      const inspected = (await docker.getContainer(id).inspect()) as { Config?: { StopTimeout?: number } };
      const graceS = inspected.Config?.StopTimeout ?? DEFAULT_STOP_GRACE_S;
      // No timeout of its own: Docker waits the container's StopTimeout.
      await stopper.getContainer(id).stop({ abortSignal: AbortSignal.timeout(stopBoundMs(graceS, requestMs)) });
    } catch (e) {
      // 304: already stopped; 404: already gone.
      if (statusOf(e) !== 304 && statusOf(e) !== 404) throw e;
    }
  };

  const ensureImage = async (image: string): Promise<void> => {
    try {
      await docker.getImage(image).inspect();
      return;
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  };

  const stackResources = stackSupport(docker, opts.scope, wrap);

  return {
    info: () => wrap('read the engine info', docker.info()),

    pruneNetworks: (keep) => stackResources.prune(keep),

    list: () =>
      wrap(
        'list containers',
        (async (): Promise<ObservedContainer[]> => {
          // Subscribed before listing: no change can fall between the list and the stream.
          const watching = await watch.ensure();
          const epoch = cache.epoch();
          const summaries = await docker.listContainers({ all: true, filters: { label: [managed] } });
          const now = Date.now();
          const fresh: ObservedContainer[] = [];
          const inspect = async (id: string): Promise<ObservedContainer | undefined> => {
            try {
              const c = observedFromInspect((await docker.getContainer(id).inspect()) as unknown as InspectAnswer);
              fresh.push(c);
              return c;
            } catch (e) {
              if (statusOf(e) === 404) return undefined; // removed between the list and its inspect: not there
              throw e;
            }
          };
          const seen = await Promise.all(summaries.map((s) => (watching ? cache.get(s.Id, s.State, now) : undefined) ?? inspect(s.Id)));
          cache.store(epoch, fresh, new Set(summaries.map((s) => s.Id)), now);
          return seen.filter((c) => c !== undefined);
        })(),
      ),

    create: async (spec: ContainerSpec, hash: string) => {
      // Secrets and configs first: a missing one is the controller's to fix, said plainly (not as Docker's).
      const files = spec.files && spec.files.length > 0 ? await requireFiles(opts.files).materialise(spec.name, spec.files) : new Map<string, string>();
      return wrap(
        `create ${spec.name}`,
        (async () => {
          await ensureImage(spec.image);
          await stackResources.ensure(spec);
          const withGrace = spec.stopGraceS === undefined ? { ...spec, stopGraceS: grace } : spec;
          const c = await docker.createContainer(createBody(withGrace, hash, opts.scope, files) as unknown as Docker.ContainerCreateOptions);
          await stackResources.connect(spec, c.id);
          return c.id;
        })(),
      );
    },

    start: (id) =>
      wrap(
        `start ${id.slice(0, 12)}`,
        docker
          .getContainer(id)
          .start()
          .then(() => undefined)
          .catch((e: unknown) => (statusOf(e) === 304 ? undefined : Promise.reject(e))),
      ),

    restart: (id) =>
      wrap(
        `restart ${id.slice(0, 12)}`,
        stop(id).then(() =>
          docker
            .getContainer(id)
            .start()
            .then(() => undefined),
        ),
      ),

    remove: (id) =>
      wrap(
        `remove ${id.slice(0, 12)}`,
        (async () => {
          await stop(id);
          try {
            await docker.getContainer(id).remove({ force: true });
          } catch (e) {
            // 404: gone already; 409: removal already in progress.
            if (statusOf(e) !== 404 && statusOf(e) !== 409) throw e;
          }
        })(),
      ),

    close() {
      notify.cancel();
      watch.close();
    },

    ...deploySupport(docker, new Docker({ socketPath: opts.socketPath }), managed, opts.socketPath),
  };
}

// ---- the create path's companions: a stack's networks and named volumes, secrets and configs ----

function requireFiles(files: DockerOptions['files']): Pick<FilesStore, 'materialise'> {
  if (!files) throw new MusterError('E_INTERNAL', 'this agent has no files store: secrets and configs cannot be mounted');
  return files;
}

/**
 * Networks and volumes a container needs, made before it is (labelled with the managed label and the
 * stack, so that they are told apart from the node's own); networks beyond the first joined before start;
 * networks this agent made and nothing uses removed. Volumes are never removed: they hold data.
 */
function stackSupport(docker: Docker, scope: string, wrap: <T>(what: string, p: Promise<T>) => Promise<T>) {
  const ensureNetwork = async (name: string, stack: string): Promise<void> => {
    try {
      await docker.getNetwork(name).inspect();
      return; // there already (made by us, or by someone else: then it is used, never removed)
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
    try {
      await docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: resourceLabels(scope, stack) });
    } catch (e) {
      if (statusOf(e) !== 409) throw e; // made meanwhile
    }
  };
  const ensureVolume = async (name: string, stack: string): Promise<void> => {
    try {
      await docker.getVolume(name).inspect();
      return;
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
    await docker.createVolume({ Name: name, Labels: resourceLabels(scope, stack) });
  };
  // The reconciler creates containers side by side, and dockerd makes a second network of the same name when two
  // creates race (CheckDuplicate is checked apart from the creation: 8 at once made 8 here): one at a time per name.
  const pending = new Map<string, Promise<void>>();
  const once = (key: string, make: () => Promise<void>): Promise<void> => {
    let p = pending.get(key);
    if (!p) {
      p = make().finally(() => pending.delete(key));
      pending.set(key, p);
    }
    return p;
  };
  return {
    async ensure(spec: ContainerSpec): Promise<void> {
      for (const v of namedVolumes(spec)) await once(`volume ${v}`, () => ensureVolume(v, spec.stack));
      if (!spec.networkMode) for (const n of spec.networks ?? []) await once(`network ${n.name}`, () => ensureNetwork(n.name, spec.stack));
    },
    /** joins the later networks; a container that cannot join them all is removed again (never started half-wired) */
    async connect(spec: ContainerSpec, id: string): Promise<void> {
      try {
        for (const n of laterNetworks(spec)) {
          await docker.getNetwork(n.name).connect({ Container: id, EndpointConfig: n.aliases ? { Aliases: n.aliases } : {} });
        }
      } catch (e) {
        await docker
          .getContainer(id)
          .remove({ force: true })
          .catch(() => undefined);
        throw e;
      }
    },
    prune: (keep: ReadonlySet<string>): Promise<string[]> =>
      wrap(
        'remove unused networks',
        (async () => {
          const removed: string[] = [];
          const mine = await docker.listNetworks({ filters: { label: [`${LABELS.managed}=${scope}`] } });
          for (const n of mine) {
            if (keep.has(n.Name)) continue;
            const detail = (await docker.getNetwork(n.Id).inspect()) as { Containers?: Record<string, unknown> | null };
            if (Object.keys(detail.Containers ?? {}).length > 0) continue; // still joined by a container
            try {
              await docker.getNetwork(n.Id).remove();
              removed.push(n.Name);
            } catch (e) {
              // 404: gone already; 403/409: a container joined it meanwhile.
              if (![403, 404, 409].includes(statusOf(e) ?? 0)) throw e;
            }
          }
          return removed;
        })(),
      ),
  };
}

/** A Docker failure as a MusterError saying what was attempted and, for a dead socket, what to check. */
export function dockerError(what: string, e: unknown, socketPath: string): MusterError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const status = statusOf(e);
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'EACCES') {
    return new MusterError('E_UNREACHABLE', `cannot ${what}: the Docker engine at ${socketPath} does not answer (${code})`, {
      hint: code === 'EACCES' ? 'the agent user needs the docker group' : 'is dockerd running? (systemctl status docker)',
      cause: e,
    });
  }
  const detail = (e as { json?: { message?: string } })?.json?.message ?? (e as Error)?.message ?? String(e);
  return new MusterError('E_INTERNAL', `cannot ${what}: ${status ? `Docker answered ${status}: ` : ''}${detail.trim()}`, { cause: e });
}
