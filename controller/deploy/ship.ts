/**
 * `muster deploy --ship-images`: the images the nodes lack go from the controller's own Docker to them,
 * `docker save IMAGE` streamed to each agent's POST /v1/images (never held whole), with the node's platform
 * for the agent to check. Once per node and image; nodes in parallel (bounded), one image at a time per node.
 */
import { execFile, spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { MusterError } from '../../shared/errors.js';
import type { AgentFailure } from '../fleet/agent-request.js';
import { type ImagesLoaded, postImages } from '../fleet/agent-streams.js';
import { mapLimit } from '../runner/limit.js';
import type { Plan } from '../scheduler/types.js';
import type { FleetNode } from './fleet.js';
import { imagesOf, missingNotes, type ShipJob, shipJobs, shipLines } from './ship-plan.js';
import type { SpecBook } from './specs.js';

/** What shipping needs: the controller's Docker and the agents (tests give their own). */
export interface ShipPort {
  /** the local image's `os/arch`, or undefined when the controller's Docker does not have it */
  localImage(image: string): Promise<string | undefined>;
  /** `docker save IMAGE` as a stream that errors if the save fails */
  save(image: string): Readable;
  upload(node: string, tar: Readable, platform: string | undefined): Promise<ImagesLoaded | AgentFailure>;
}

/** One job's outcome. */
export type ShipOutcome = { job: ShipJob; ok: true; bytes: number; ms: number } | { job: ShipJob; ok: false; failure: AgentFailure };

/** Nodes receiving images at once. */
export const SHIP_PARALLEL = 4;

/** Throws, naming the images and what to do, when the controller's Docker lacks any of the jobs' images. */
export async function checkLocalImages(jobs: ShipJob[], port: Pick<ShipPort, 'localImage'>): Promise<void> {
  const images = imagesOf(jobs);
  const found = await Promise.all(images.map((i) => port.localImage(i)));
  const missing = images.filter((_, k) => found[k] === undefined);
  if (missing.length)
    throw new MusterError('E_OPTION', `--ship-images: this controller's Docker has no image ${missing.join(', ')}`, {
      hint: `docker pull ${missing[0]} (or build it) on the controller first, or drop --ship-images to let the nodes pull it`,
    });
}

/** Ships every job; never throws for an agent's failure (it is in the outcome). */
export async function shipImages(
  jobs: ShipJob[],
  port: ShipPort,
  clock: { now(): number },
  onDone: (o: ShipOutcome) => void = () => {},
  parallel = SHIP_PARALLEL,
): Promise<ShipOutcome[]> {
  const byNode = new Map<string, ShipJob[]>();
  for (const j of jobs) byNode.set(j.node, [...(byNode.get(j.node) ?? []), j]);
  const local = new Map<string, Promise<string | undefined>>();
  const localOf = (image: string) => local.get(image) ?? local.set(image, port.localImage(image)).get(image);
  const perNode = await mapLimit([...byNode.values()], parallel, async (list) => {
    const out: ShipOutcome[] = [];
    for (const job of list) {
      const started = clock.now();
      const mismatch = platformMismatch(job, await localOf(job.image));
      const r = mismatch ?? (await port.upload(job.node, port.save(job.image), job.platform));
      const o: ShipOutcome = r.ok ? { job, ok: true, bytes: r.bytes, ms: clock.now() - started } : { job, ok: false, failure: r };
      onDone(o);
      out.push(o);
    }
    return out;
  });
  return perNode.flat();
}

/** Pure: why the controller's image cannot go to the job's node (another platform), or undefined when it can or either is unknown. */
export function platformMismatch(job: ShipJob, local: string | undefined): AgentFailure | undefined {
  if (!local || !job.platform || local === job.platform) return undefined;
  return {
    ok: false,
    kind: 'bad-answer',
    message: `the controller's ${job.image} is ${local}, and ${job.node} is ${job.platform}`,
    hint: `docker pull --platform ${job.platform} ${job.image} (or build it for ${job.platform}) on the controller, or drop --ship-images to let the node pull it`,
  };
}

/** Pure: `docker image inspect`'s `os/arch[/variant]` as the report names platforms: the variant only for 32-bit ARM. */
export function localPlatform(text: string): string | undefined {
  const [os, arch, variant] = text.split('/');
  if (!os || !arch) return undefined;
  return arch === 'arm' && variant ? `${os}/arm/${variant}` : `${os}/${arch}`;
}

/** `docker image inspect`: the image's `os/arch`, or undefined when the local Docker lacks it. */
export function localImageOf(image: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('docker', ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}{{if .Variant}}/{{.Variant}}{{end}}', image], (err, stdout) =>
      resolve(err ? undefined : localPlatform(stdout.trim())),
    );
  });
}

/** `docker save IMAGE` as a stream: it ends only when the save exited 0, and errors with its stderr otherwise. */
export function dockerSave(image: string): Readable {
  const out = new PassThrough();
  const child = spawn('docker', ['save', image], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 4096) stderr += c.toString('utf8');
  });
  child.stdout.pipe(out, { end: false });
  child.on('error', (e) => out.destroy(new Error(`docker save ${image}: ${e.message}`)));
  child.on('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(new Error(`docker save ${image} exited ${code}: ${stderr.trim()}`));
  });
  // the consumer gave up (the agent refused early): stop the save
  out.on('close', () => {
    if (child.exitCode === null) child.kill();
  });
  return out;
}

/** Pure: an outcome for people: `shipped app:1 to pi-1: 4.2 MB in 1.3s` or the failure with its fix. */
export function shipOutcomeLine(o: ShipOutcome): string {
  if (o.ok) return `shipped ${o.job.image} to ${o.job.node}: ${(o.bytes / 1e6).toFixed(1)} MB in ${(o.ms / 1000).toFixed(1)}s\n`;
  return `[FAILED] ship ${o.job.image} to ${o.job.node}: ${o.failure.message}\n  fix: ${o.failure.hint}\n`;
}

/** How long an upload may stay silent (sending, or the agent loading) before it fails. */
export const SHIP_IDLE_MS = 120_000;

/** The platform (`os/arch`) of each image the controller's Docker has, by reference; missing ones left out. */
export async function localPlatforms(
  images: string[],
  local: (image: string) => Promise<string | undefined> = localImageOf,
): Promise<Record<string, string[]>> {
  const unique = [...new Set(images)];
  const found = await Promise.all(unique.map(local));
  return Object.fromEntries(unique.flatMap((image, k) => (found[k] ? [[image, [found[k]]]] : [])));
}

/** The controller's Docker and the fleet's agents over HTTPS. */
export function httpsShipPort(fleet: FleetNode[], idleMs = SHIP_IDLE_MS): ShipPort {
  return {
    localImage: localImageOf,
    save: dockerSave,
    upload: async (node, tar, platform) => {
      const target = fleet.find((n) => n.name === node)?.target;
      if (target) return postImages(target, tar, platform, idleMs);
      tar.destroy();
      return { ok: false, kind: 'bad-answer', message: `no credentials for ${node}`, hint: 'run `muster play -i INVENTORY agent` for this host' };
    },
  };
}

/**
 * Deploy's hook: says right away which nodes lack which images (notes without --ship-images, what will be
 * shipped with it); `check()` fails when the controller's Docker lacks one (for --dry-run); `run()` checks,
 * ships, prints each outcome and resolves false when any failed (nothing is written to the agents then).
 */
export function shipStep(
  plan: Plan,
  fleet: FleetNode[],
  book: Pick<SpecBook, 'spec'>,
  enabled: boolean,
  io: { out(s: string): void; now(): number },
  port: ShipPort = httpsShipPort(fleet),
): { check(): Promise<void>; run(): Promise<boolean> } {
  const jobs = shipJobs(plan.assignments, (a) => book.spec(a).image, new Map(fleet.map((n) => [n.name, n.report])));
  if (!enabled) for (const n of missingNotes(jobs)) io.out(`[NOTE] ${n}\n`);
  else for (const l of shipLines(jobs)) io.out(`${l}\n`);
  const check = async (): Promise<void> => {
    if (enabled) await checkLocalImages(jobs, port);
  };
  return {
    check,
    run: async () => {
      if (!enabled || !jobs.length) return true;
      await check();
      const outcomes = await shipImages(jobs, port, io, (o) => io.out(shipOutcomeLine(o)));
      const failed = outcomes.filter((o) => !o.ok).length;
      if (failed) io.out(`${failed} image upload(s) failed: nothing was written to the agents\n`);
      return failed === 0;
    },
  };
}
