/** An in-memory container engine behind DockerPort, for loop and app tests (no dockerode, no socket). */
import { PassThrough, type Readable } from 'node:stream';
import type { DockerPort, EngineImage, EngineImageDetail, EngineVolume, HostPort, LogOptions } from '../../../agent/docker/port.js';
import type { ObservedContainer } from '../../../agent/types.js';
import type { ContainerSpec } from '../../../shared/wire.js';

/** One container in the fake engine. */
export interface FakeContainer {
  id: string;
  /** the engine-wide unique name */
  dockerName: string;
  scope: string | null;
  spec: ContainerSpec | null;
  hash: string;
  state: ObservedContainer['state'];
  exitCode?: number;
  startedAt?: number;
  finishedAt?: number;
  pid?: number;
}

/** A fake engine with a clock, calls recorded, failures injectable. */
export class FakeDocker implements DockerPort {
  containers: FakeContainer[] = [];
  calls: string[] = [];
  /** container names whose create fails, with the error message */
  failCreate = new Map<string, string>();
  /** images whose containers exit at once with code 1 when started */
  crashingImages = new Set<string>();
  down = false;
  /** container ids whose start fails with this message (Docker kept a container it cannot start) */
  failStart = new Map<string, string>();
  /** how many times info() was asked */
  infos = 0;
  /** when set, list() fails with this (info() still answers) */
  failList: Error | undefined;
  private seq = 0;

  constructor(
    readonly scope: string,
    public clock: { now: number } = { now: 1_700_000_000_000 },
  ) {}

  /** an unmanaged container (or one of another scope) sitting in the engine */
  addForeign(name: string, scope: string | null = null): FakeContainer {
    const c: FakeContainer = { id: `foreign${++this.seq}`, dockerName: name, scope, spec: null, hash: '', state: 'running', pid: 1000 + this.seq };
    this.containers.push(c);
    return c;
  }

  /** what `docker kill` does */
  kill(id: string): void {
    const c = this.get(id);
    Object.assign(c, { state: 'exited', exitCode: 137, finishedAt: this.clock.now, pid: undefined });
  }

  mine(): FakeContainer[] {
    return this.containers.filter((c) => c.scope === this.scope);
  }

  private get(id: string): FakeContainer {
    const c = this.containers.find((x) => x.id === id);
    if (!c) throw Object.assign(new Error(`No such container: ${id}`), { statusCode: 404 });
    return c;
  }

  private check(): void {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED' });
  }

  async info(): Promise<unknown> {
    this.check();
    this.infos++;
    return { ServerVersion: 'fake', MemoryLimit: true, SwapLimit: true, CgroupDriver: 'cgroupfs', DockerRootDir: '/var/lib/docker' };
  }

  async list(): Promise<ObservedContainer[]> {
    this.check();
    if (this.failList) throw this.failList;
    this.calls.push('list');
    return this.mine().map((c) => ({
      id: c.id,
      name: c.spec?.name ?? c.dockerName,
      specHash: c.hash,
      state: c.state,
      restartCount: 0,
      exitCode: c.exitCode,
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      pid: c.pid,
      image: c.spec?.image,
      stack: c.spec?.stack,
      service: c.spec?.service,
      replica: c.spec?.replica,
      limits: { memory: c.spec?.memoryLimit, memoryReservation: c.spec?.memoryReservation, cpus: c.spec?.cpus, pidsLimit: c.spec?.pidsLimit },
    }));
  }

  async create(spec: ContainerSpec, hash: string): Promise<string> {
    this.check();
    this.calls.push(`create ${spec.name}`);
    const failure = this.failCreate.get(spec.name);
    if (failure) throw new Error(failure);
    if (this.containers.some((c) => c.dockerName === spec.name)) {
      throw Object.assign(new Error(`Conflict. The container name "/${spec.name}" is already in use`), { statusCode: 409 });
    }
    const c: FakeContainer = { id: `c${++this.seq}`, dockerName: spec.name, scope: this.scope, spec, hash, state: 'created' };
    this.containers.push(c);
    return c.id;
  }

  async start(id: string): Promise<void> {
    this.check();
    this.calls.push(`start ${id}`);
    const c = this.get(id);
    const failure = this.failStart.get(id);
    if (failure) throw Object.assign(new Error(failure), { statusCode: 500 });
    if (c.spec && this.crashingImages.has(c.spec.image)) {
      Object.assign(c, { state: 'exited', exitCode: 1, startedAt: this.clock.now, finishedAt: this.clock.now, pid: undefined });
      return;
    }
    Object.assign(c, { state: 'running', startedAt: this.clock.now, pid: 2000 + this.seq++ });
  }

  async restart(id: string): Promise<void> {
    this.check();
    this.calls.push(`restart ${id}`);
    Object.assign(this.get(id), { state: 'running', startedAt: this.clock.now });
  }

  async remove(id: string): Promise<void> {
    this.check();
    this.calls.push(`remove ${id}`);
    this.containers = this.containers.filter((c) => c.id !== id);
  }

  // ---- deploy support: volumes, images, others' ports, logs, image loads ----
  volumeList: EngineVolume[] = [];
  imageList: EngineImageDetail[] = [];
  foreignPortList: HostPort[] = [];
  /** image refs inspected, in order */
  inspected: string[] = [];
  /** log bytes per container id (Docker's framed form unless the container is in `ttys`) */
  logBytes = new Map<string, Buffer>();
  ttys = new Set<string>();
  /** every log stream handed out, to check none is left open */
  logStreams: { id: string; opts: LogOptions; stream: PassThrough }[] = [];
  /** what the next loadImage adds to the engine (after reading the whole tar) */
  nextLoad: EngineImageDetail[] = [];
  /** when set, loadImage fails with it (after reading the tar) */
  failLoad: Error | undefined;
  /** bytes loadImage read */
  loadedBytes = 0;

  async volumes(): Promise<EngineVolume[]> {
    this.check();
    this.calls.push('volumes');
    return this.volumeList.map((v) => ({ ...v }));
  }

  async images(): Promise<EngineImage[]> {
    this.check();
    this.calls.push('images');
    return this.imageList.map((i) => ({ id: i.id, tags: [...i.tags] }));
  }

  async inspectImage(ref: string): Promise<EngineImageDetail | undefined> {
    this.check();
    this.inspected.push(ref);
    const i = this.imageList.find((x) => x.id === ref || x.tags.includes(ref));
    return i ? { ...i, tags: [...i.tags] } : undefined;
  }

  async foreignPorts(): Promise<HostPort[]> {
    this.check();
    return [...this.foreignPortList];
  }

  async logs(id: string, opts: LogOptions): Promise<{ stream: Readable; tty: boolean }> {
    this.check();
    this.get(id);
    const stream = new PassThrough();
    this.logStreams.push({ id, opts, stream });
    const bytes = this.logBytes.get(id);
    if (bytes) stream.write(bytes);
    if (!opts.follow) stream.end();
    return { stream, tty: this.ttys.has(id) };
  }

  async loadImage(tar: Readable): Promise<string[]> {
    this.check();
    for await (const chunk of tar) this.loadedBytes += (chunk as Buffer).length;
    if (this.failLoad) throw this.failLoad;
    const loaded = this.nextLoad;
    this.nextLoad = [];
    for (const i of loaded) {
      this.imageList = this.imageList.filter((x) => x.id !== i.id);
      this.imageList.push(i);
    }
    return loaded.map((i) => i.tags[0] ?? i.id);
  }

  async removeImage(id: string): Promise<void> {
    this.check();
    this.calls.push(`rmi ${id}`);
    this.imageList = this.imageList.filter((i) => i.id !== id);
  }
}
