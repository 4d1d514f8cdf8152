/** Turns a probe/parse/plan module into a runnable one: probe, decide, then apply unless in check mode. */
import type { Module, ModuleContext, ModuleResult, PlannedModule, Plan, Step, Args } from './types.js';

/** Builds the runner-facing module from a planned one. */
export function planned<S>(m: PlannedModule<S>): Module & { planned: PlannedModule<S> } {
  const { probe, parse, plan, ...rest } = m;
  return {
    ...rest,
    planned: m,
    async run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
      const out = await ctx.exec(probe(args));
      const decision = plan(args, parse(out, args));
      return apply(decision, ctx);
    },
  };
}

/** Carries out a plan (or only reports it, in check mode). */
export async function apply(decision: Plan, ctx: ModuleContext): Promise<ModuleResult> {
  if (decision.kind === 'noop') return { changed: false, msg: decision.reason, data: decision.data };
  if (decision.kind === 'fail') return { changed: false, failed: true, msg: decision.msg, data: decision.data };
  const data = { ...decision.data };
  if (!ctx.check) {
    for (const step of decision.steps) {
      const failure = await runStep(step, ctx, data);
      if (failure) return { changed: true, failed: true, msg: failure, diff: decision.diff, data };
    }
  }
  return { changed: true, msg: decision.msg, diff: decision.diff, data };
}

async function runStep(step: Step, ctx: ModuleContext, data: Record<string, unknown>): Promise<string | undefined> {
  if ('put' in step) {
    const { content, dest, ...opts } = step.put;
    await ctx.put(content, dest, opts);
    return undefined;
  }
  const r = await ctx.exec(step.exec, { stdin: step.stdin });
  if (step.capture) Object.assign(data, { rc: r.rc, stdout: r.stdout, stderr: r.stderr });
  if (r.rc !== 0 && !(step.allowRc ?? []).includes(r.rc)) {
    Object.assign(data, { rc: r.rc, stdout: r.stdout, stderr: r.stderr });
    return (r.stderr.trim() || r.stdout.trim() || `command failed with exit code ${r.rc}`).split('\n').slice(-5).join('\n');
  }
  return undefined;
}
