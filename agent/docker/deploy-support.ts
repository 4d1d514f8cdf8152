/**
 * What the deploy side needs from the engine besides running containers: volumes, images, ports others bind,
 * logs and image loads. Part of the Docker adapter: it uses the dockerode clients adapter.ts made.
 */
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { dockerError, statusOf } from './adapter.js';
import type { DockerPort, EngineImage, EngineImageDetail, HostPort, LogOptions } from './port.js';
// ---- what the deploy side needs besides running containers: volumes, images, others' ports, logs, image loads ----

const tagsOf = (repoTags: string[] | null | undefined): string[] => (repoTags ?? []).filter((t) => t !== '<none>:<none>');

/**
 * The report's and the API's engine calls. `streaming` has no request timeout: a followed log stays quiet
 * for minutes, and an image load answers only once the whole tar is in.
 */
export function deploySupport(
  docker: Docker,
  streaming: Docker,
  managed: string,
  socketPath: string,
): Pick<DockerPort, 'volumes' | 'images' | 'inspectImage' | 'foreignPorts' | 'logs' | 'loadImage' | 'removeImage'> {
  const wrap = <T>(what: string, p: Promise<T>): Promise<T> => p.catch((e: unknown) => Promise.reject(dockerError(what, e, socketPath)));
  const [managedKey, scope] = [managed.slice(0, managed.indexOf('=')), managed.slice(managed.indexOf('=') + 1)];
  return {
    volumes: () =>
      wrap(
        'list volumes',
        docker.listVolumes().then((r) => (r.Volumes ?? []).map((v) => ({ name: v.Name, labels: (v.Labels as Record<string, string> | null) ?? {} }))),
      ),

    images: () =>
      wrap(
        'list images',
        docker.listImages().then((list) => list.map((i): EngineImage => ({ id: i.Id, tags: tagsOf(i.RepoTags) }))),
      ),

    inspectImage: (ref) =>
      wrap(
        `inspect image ${ref}`,
        docker
          .getImage(ref)
          .inspect()
          .then(
            (i): EngineImageDetail => ({
              id: i.Id,
              tags: tagsOf(i.RepoTags),
              os: i.Os,
              architecture: i.Architecture,
              ...((i as { Variant?: string }).Variant ? { variant: (i as { Variant?: string }).Variant } : {}),
            }),
          )
          .catch((e: unknown) => (statusOf(e) === 404 ? undefined : Promise.reject(e))),
      ),

    foreignPorts: () =>
      wrap(
        'list containers',
        docker.listContainers().then((list) => {
          const seen = new Map<string, HostPort>();
          for (const c of list) {
            if (c.Labels?.[managedKey] === scope) continue;
            for (const p of c.Ports ?? []) {
              if (!p.PublicPort || (p.Type !== 'tcp' && p.Type !== 'udp')) continue;
              seen.set(`${p.PublicPort}/${p.Type}`, { port: p.PublicPort, protocol: p.Type });
            }
          }
          return [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
        }),
      ),

    logs: (id, o: LogOptions) =>
      wrap(
        `read the logs of ${id.slice(0, 12)}`,
        (async () => {
          const tty = (await docker.getContainer(id).inspect()).Config?.Tty === true;
          const options: Record<string, unknown> = { follow: o.follow, stdout: true, stderr: true, timestamps: o.timestamps, tail: o.tail ?? 'all' };
          // Docker reads `SECONDS.NANOSECONDS`: 0.5 s must be written out as .500000000, not .5 (5 ns).
          if (o.since !== undefined) options.since = Number.isInteger(o.since) ? String(o.since) : o.since.toFixed(9);
          // Straight through the modem: dockerode buffers a log that is not followed, whatever its size.
          const stream = await new Promise<Readable>((resolve, reject) =>
            streaming.modem.dial(
              {
                path: `/containers/${encodeURIComponent(id)}/logs?`,
                method: 'GET',
                options,
                isStream: true,
                statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
              },
              (err: unknown, res: unknown) => (err ? reject(err) : resolve(res as Readable)),
            ),
          );
          return { stream, tty };
        })(),
      ),

    loadImage: async (tar) => {
      try {
        const res = (await streaming.loadImage(tar, { quiet: true })) as unknown as Readable;
        let text = '';
        for await (const chunk of res) text += String(chunk);
        return loadedRefs(text);
      } catch (e) {
        throw loadError(e, socketPath);
      }
    },

    removeImage: (id) =>
      wrap(
        `remove image ${id.slice(0, 19)}`,
        docker
          .getImage(id)
          .remove({ force: true })
          .then(() => undefined)
          .catch((e: unknown) => (statusOf(e) === 404 ? undefined : Promise.reject(e))),
      ),
  };
}

/**
 * A failed load -> what the API should say: the upload's own size limit (statusCode 413) as it is; a Docker
 * that answered (a tar that is not an image: 500 "Error processing tar file", or an error line) as a client
 * error (statusCode 400) with Docker's words; a Docker that did not answer as dockerError says.
 */
export function loadError(e: unknown, socketPath: string): unknown {
  const status = statusOf(e);
  if (status === 413) return e;
  if (status !== undefined) {
    const said = (e as { json?: { message?: string } }).json?.message ?? (e as Error).message ?? String(e);
    return Object.assign(new Error(said.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim(), { cause: e }), { statusCode: 400 });
  }
  return dockerError('load the image', e, socketPath);
}

/**
 * The JSON lines `POST /images/load` answers -> what was loaded (`Loaded image: NAME:TAG` or
 * `Loaded image ID: sha256:...`). A line with an error (a tar that is not an image) throws it.
 */
export function loadedRefs(answer: string): string[] {
  const out: string[] = [];
  for (const line of answer.split('\n')) {
    if (line.trim() === '') continue;
    let msg: { stream?: string; error?: string; errorDetail?: { message?: string } };
    try {
      msg = JSON.parse(line);
    } catch {
      continue;
    }
    const error = msg.errorDetail?.message ?? msg.error;
    if (error) throw Object.assign(new Error(error.trim()), { statusCode: 400 });
    const m = /^Loaded image(?: ID)?: (\S+)/.exec((msg.stream ?? '').trim());
    if (m) out.push(m[1]);
  }
  return out;
}
