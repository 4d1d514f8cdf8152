/** A ModuleContext for tests: a scripted host, a fake clock that sleeps advance, and a record of every call. */
import type { Script } from '../../../../controller/command.js';
import type { ModuleContext, Vars } from '../../../../controller/modules/types.js';
import type { ExecOptions, ExecResult } from '../../../../controller/transport/types.js';

export interface FakeHost {
  /** answers an exec; may throw (a MusterError E_UNREACHABLE for a host that is down) */
  exec?(script: Script, opts: ExecOptions | undefined, ctx: FakeContext): Promise<ExecResult> | ExecResult;
  reconnect?(timeoutMs: number, ctx: FakeContext): Promise<void> | void;
  gatherFacts?(): Promise<Vars> | Vars;
}

export interface FakeContext extends ModuleContext {
  clock: number;
  execs: { script: Script; opts?: ExecOptions }[];
  sleeps: number[];
  reconnects: number[];
}

/** A fake context; `host` decides what execs return. */
export function fakeContext(host: FakeHost = {}, opts: { vars?: Vars; check?: boolean } = {}): FakeContext {
  const ctx: FakeContext = {
    host: 'h1',
    check: opts.check ?? false,
    diff: false,
    vars: opts.vars ?? {},
    clock: 1_700_000_000_000,
    execs: [],
    sleeps: [],
    reconnects: [],
    async exec(script, o) {
      ctx.execs.push({ script, opts: o });
      return host.exec ? host.exec(script, o, ctx) : { rc: 0, stdout: '', stderr: '' };
    },
    async put() {
      throw new Error('put not expected');
    },
    async get() {
      throw new Error('get not expected');
    },
    render(template) {
      return template;
    },
    files: {
      async read() {
        throw new Error('files.read not expected');
      },
      async write() {
        throw new Error('files.write not expected');
      },
    },
    async reconnect(ms) {
      ctx.reconnects.push(ms);
      if (host.reconnect) await host.reconnect(ms, ctx);
    },
    async gatherFacts() {
      if (!host.gatherFacts) throw new Error('gatherFacts not expected');
      return host.gatherFacts();
    },
    async sleep(ms) {
      ctx.sleeps.push(ms);
      ctx.clock += ms;
    },
    now() {
      return ctx.clock;
    },
  };
  return ctx;
}
