/** An in-memory container engine behind DockerPort, for loop and app tests (no dockerode, no socket). */
import type { DockerPort } from '../../../agent/docker/port.js';
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
}
