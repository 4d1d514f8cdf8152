/** reboot: reboots the target and waits until it is back on a new boot. */
import { raw, sh, type Script } from '../../command.js';
import type { Args, ModuleContext, ModuleResult } from '../types.js';
import { hasRebooted, markersScript, parseMarkers, type BootMarkers } from './reboot_markers.js';
import { isUnreachable, secondsBetween, type ControlModule } from './spec.js';

const NOT_ROOT = 'muster-reboot: not root';

/**
 * Starts the reboot in the background after a short sleep, so that this exec returns before the host goes
 * down; `trap '' HUP` keeps it alive when the SSH session closes. `reboot_command` is the user's own shell text.
 */
export function triggerScript(args: Args): Script {
  const delay = Math.max(1, Number(args.pre_reboot_delay ?? 0));
  const msg = String(args.msg ?? 'Reboot initiated by muster');
  const command =
    typeof args.reboot_command === 'string'
      ? raw(args.reboot_command)
      : sh`if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl reboot; elif command -v shutdown >/dev/null 2>&1; then shutdown -r now ${msg}; else reboot; fi`;
  const rootCheck = typeof args.reboot_command === 'string' ? raw(':') : sh`[ "$(id -u)" -eq 0 ] || { echo ${NOT_ROOT}; exit 1; }`;
  return sh`${rootCheck}
( trap '' HUP; sleep ${delay}; ${command} ) </dev/null >/dev/null 2>&1 &
echo muster-reboot: scheduled`;
}

/** Reads the markers, or undefined when the host did not answer in full. */
async function readMarkers(ctx: ModuleContext, script: Script, timeoutMs: number): Promise<BootMarkers | undefined> {
  const r = await ctx.exec(script, { timeoutMs });
  return r.rc === 0 ? parseMarkers(r.stdout) : undefined;
}

/** Waits until the host answers on a new boot; false when the deadline passes first. */
async function waitForNewBoot(ctx: ModuleContext, before: BootMarkers, script: Script, deadline: number, execMs: number): Promise<boolean> {
  let sawDown = false;
  while (ctx.now() < deadline) {
    try {
      const after = await readMarkers(ctx, script, execMs);
      if (after && hasRebooted(before, after, sawDown)) return true;
      await ctx.sleep(1000);
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      sawDown = true;
      try {
        await ctx.reconnect(Math.max(0, deadline - ctx.now()));
      } catch (again) {
        if (!isUnreachable(again)) throw again;
      }
    }
  }
  return false;
}

/** Runs test_command until it succeeds; its last failure, or undefined on success. */
async function waitForTestCommand(ctx: ModuleContext, command: string, deadline: number, execMs: number): Promise<string | undefined> {
  let last = 'the host did not answer';
  do {
    try {
      // test_command is shell text the user wrote to run on the host
      const r = await ctx.exec(sh`${raw(command)}`, { timeoutMs: execMs });
      if (r.rc === 0) return undefined;
      last = (r.stderr.trim() || r.stdout.trim() || `exit code ${r.rc}`).split('\n').slice(-3).join('\n');
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      last = e.message;
    }
    await ctx.sleep(1000);
  } while (ctx.now() < deadline);
  return last;
}

/** The reboot module. */
export const reboot: ControlModule = {
  name: 'reboot',
  summary: 'Reboots the host (needs become) and waits until it answers on a new boot and `test_command` succeeds.',
  args: {
    reboot_timeout: { type: 'int', default: 600 },
    connect_timeout: { type: 'int', default: 10 },
    pre_reboot_delay: { type: 'int', default: 0 },
    post_reboot_delay: { type: 'int', default: 0 },
    msg: { type: 'str', default: 'Reboot initiated by muster' },
    test_command: { type: 'str', default: 'true' },
    reboot_command: { type: 'str' },
    boot_time_command: { type: 'str' },
  },
  checkMode: true,
  async run(args, ctx) {
    if (ctx.check) return { changed: true, data: { rebooted: true, elapsed: 0 } };
    const start = ctx.now();
    const execMs = Number(args.connect_timeout ?? 10) * 1000;
    const deadline = start + Number(args.reboot_timeout ?? 600) * 1000;
    const markers = markersScript(typeof args.boot_time_command === 'string' ? args.boot_time_command : undefined);
    const before = await readMarkers(ctx, markers, execMs);
    if (!before) return { changed: false, failed: true, msg: 'could not read the boot id before rebooting' };
    try {
      const r = await ctx.exec(triggerScript(args), { timeoutMs: execMs });
      if (r.stdout.includes(NOT_ROOT)) return { changed: false, failed: true, msg: 'reboot needs root on the host: add `become: true` to the task or play' };
      if (r.rc !== 0) return { changed: false, failed: true, msg: `the reboot command failed: ${(r.stderr || r.stdout).trim()}`, data: { rc: r.rc } };
    } catch (e) {
      // the host may go down before the exec's reply arrives
      if (!isUnreachable(e)) throw e;
    }
    const result = (failed: boolean, msg?: string): ModuleResult => ({
      changed: true,
      failed: failed || undefined,
      msg,
      data: { rebooted: !failed, elapsed: secondsBetween(start, ctx.now()) },
    });
    if (!(await waitForNewBoot(ctx, before, markers, deadline, execMs))) {
      return result(true, `timed out waiting for ${ctx.host} to come back on a new boot (reboot_timeout ${args.reboot_timeout ?? 600} s)`);
    }
    await ctx.sleep(Number(args.post_reboot_delay ?? 0) * 1000);
    const failure = await waitForTestCommand(ctx, String(args.test_command ?? 'true'), deadline, execMs);
    return failure === undefined ? result(false) : result(true, `test_command failed after the reboot: ${failure}`);
  },
};
