/**
 * Helpers of deploy-support.test.ts: a logging container, the agent's report and text answers, a proxy in
 * front of dockerd that counts followed log streams, a foreign-platform image tar, image uploads, free ports.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { ContainerSpec, NodeReport } from '../../../shared/wire.js';
import { api, IMAGE, TOKEN, type AgentProcess } from './lab.js';

/** The machine's dockerd. */
export const SOCKET = '/var/run/docker.sock';

// A container that writes a numbered line to stdout and one to stderr five times a second.
export const LOGGER = ['sh', '-c', 'trap "exit 0" TERM; i=0; while true; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.2; done'];
/** A logger container spec of a stack (with a memory limit when given). */
export const logger = (stack: string, memoryLimit?: number): ContainerSpec => ({
  name: `${stack}_logger.1.0000abcd`,
  stack,
  service: 'logger',
  replica: 1,
  image: IMAGE,
  command: LOGGER,
  ...(memoryLimit ? { memoryLimit } : {}),
});

/** The agent's report. */
export const report = async (agent: AgentProcess): Promise<NodeReport> => (await api(agent.url, 'GET', '/v1/report')).json as NodeReport;

/** GET with the token, the body as text. */
export async function text(agent: AgentProcess, path: string): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(new URL(path, agent.url), { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

/** A unix socket in front of dockerd that knows which of its connections carry a followed log stream. */
export async function logCountingProxy(path: string) {
  const logStreams = new Set<Socket>();
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const up = createConnection(SOCKET);
    open.add(client);
    // A connection's latest request decides (keep-alive connections carry one request after another).
    client.on('data', (d) => {
      const line = /^(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.1\r$/m.exec(d.toString('latin1'));
      if (!line) return;
      if (/\/containers\/[^/]+\/logs\?.*follow=(true|1)/.test(line[2])) logStreams.add(client);
      else logStreams.delete(client);
    });
    const end = (): void => {
      open.delete(client);
      logStreams.delete(client);
      client.destroy();
      up.destroy();
    };
    client.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
    client.pipe(up);
    up.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    openLogStreams: () => logStreams.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A `docker save` tar of `image` whose config says another architecture, re-tagged as `as`. */
export function foreignPlatformTar(dir: string, image: string, arch: string, as: string): string {
  const tree = join(dir, 'foreign');
  mkdirSync(tree);
  execFileSync('sh', ['-c', `docker -H unix://${SOCKET} save ${image} | tar -C "${tree}" -x`]);
  const manifest = JSON.parse(readFileSync(join(tree, 'manifest.json'), 'utf8')) as { Config: string; RepoTags: string[] | null; Layers: string[] }[];
  const config = JSON.parse(readFileSync(join(tree, manifest[0].Config), 'utf8')) as Record<string, unknown>;
  config.architecture = arch;
  delete config.variant;
  const bytes = Buffer.from(JSON.stringify(config));
  const digest = createHash('sha256').update(bytes).digest('hex');
  rmSync(join(tree, manifest[0].Config));
  // Legacy layout (Docker < 25) names configs <digest>.json; the OCI layout keeps blobs/sha256/<digest>.
  const name = manifest[0].Config.startsWith('blobs/') ? `blobs/sha256/${digest}` : `${digest}.json`;
  writeFileSync(join(tree, name), bytes);
  manifest[0].Config = name;
  manifest[0].RepoTags = [as];
  writeFileSync(join(tree, 'manifest.json'), JSON.stringify(manifest));
  for (const f of ['repositories', 'index.json', 'oci-layout']) rmSync(join(tree, f), { force: true }); // manifest.json alone says what to load
  const out = join(dir, 'foreign.tar');
  execFileSync('tar', ['-C', tree, '-cf', out, ...readdirSync(tree)]);
  return out;
}

/** POSTs an image tar to the agent: the status and the JSON answer. */
export async function upload(agent: AgentProcess, file: string, query = ''): Promise<{ status: number; json: any }> {
  const res = await fetch(new URL(`/v1/images${query}`, agent.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-tar' },
    body: readFileSync(file),
  });
  return { status: res.status, json: await res.json() };
}

/** A TCP port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
