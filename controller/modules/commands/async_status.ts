/**
 * `async_status`: reads (mode=status) or removes (mode=cleanup) a background job that an `async:` task with
 * `poll: 0` started on the host (commands/job.ts). Jobs muster ran inside its own process instead (modules
 * that cannot run detached) are answered by the runner before this module is reached.
 */
import type { ArgSpecs, Module } from '../types.js';
import { cleanupScript, parseStatus, statusResult, statusScript, validJid } from './job.js';

const args: ArgSpecs = {
  jid: { type: 'str', required: true },
  mode: { type: 'str', default: 'status', choices: ['status', 'cleanup'] },
};

/** The `async_status` module. */
export const asyncStatus: Module = {
  name: 'async_status',
  args,
  checkMode: true,
  async run(a, ctx) {
    const jid = String(a.jid);
    if (!validJid(jid)) return { changed: false, failed: true, msg: `"${jid}" is not a job id (give the ansible_job_id an async task registered)` };
    if (a.mode === 'cleanup') {
      const r = await ctx.exec(cleanupScript(jid));
      const erased = /^@@muster:file (.*)$/m.exec(r.stdout)?.[1] ?? '';
      if (r.rc !== 0) return { changed: false, failed: true, msg: `could not remove the job's files: ${r.stderr.trim()}`, data: { ansible_job_id: jid } };
      return { changed: false, data: { ansible_job_id: jid, erased, started: 0, finished: 0 } };
    }
    const r = await ctx.exec(statusScript(jid));
    if (r.rc !== 0) return { changed: false, failed: true, msg: `could not read the job: ${r.stderr.trim()}`, data: { ansible_job_id: jid } };
    return statusResult(jid, parseStatus(r.stdout));
  },
};
