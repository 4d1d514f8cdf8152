/** wait_for_connection: waits until the host answers a trivial command over its usual transport. */
import { sh } from '../../command.js';
import type { ModuleResult } from '../types.js';
import { isUnreachable, secondsBetween, type ControlModule } from './spec.js';

/** The wait_for_connection module. */
export const waitForConnection: ControlModule = {
  name: 'wait_for_connection',
  summary: 'Waits up to `timeout` seconds until the host runs a command again (after `delay`, polling every `sleep`).',
  args: {
    timeout: { type: 'int', default: 600 },
    delay: { type: 'int', default: 0 },
    sleep: { type: 'int', default: 1 },
    connect_timeout: { type: 'int', default: 5 },
  },
  checkMode: false,
  async run(args, ctx): Promise<ModuleResult> {
    const start = ctx.now();
    const deadline = start + Number(args.timeout ?? 600) * 1000;
    const execMs = Number(args.connect_timeout ?? 5) * 1000;
    await ctx.sleep(Number(args.delay ?? 0) * 1000);
    let last = 'no answer';
    for (;;) {
      try {
        const r = await ctx.exec(sh`true`, { timeoutMs: execMs });
        if (r.rc === 0) return { changed: false, data: { elapsed: secondsBetween(start, ctx.now()) } };
        last = `a trivial command exited with ${r.rc}`;
      } catch (e) {
        if (!isUnreachable(e)) throw e;
        last = e.message;
        try {
          await ctx.reconnect(Math.max(0, Math.min(execMs, deadline - ctx.now())));
          continue;
        } catch (again) {
          if (!isUnreachable(again)) throw again;
          last = again.message;
        }
      }
      if (ctx.now() >= deadline) {
        return { changed: false, failed: true, msg: `timed out waiting for connection: ${last}`, data: { elapsed: secondsBetween(start, ctx.now()) } };
      }
      await ctx.sleep(Number(args.sleep ?? 1) * 1000);
    }
  },
};
