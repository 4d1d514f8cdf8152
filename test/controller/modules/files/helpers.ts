/** Test helpers for the files modules: fake probe output, plan summaries, and a local ModuleContext. */
import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Script } from '../../../../controller/command.js';
import type { ModuleContext, Plan } from '../../../../controller/modules/types.js';
import type { ExecResult } from '../../../../controller/transport/types.js';

const KIND_BITS: Record<string, number> = { file: 0o100000, directory: 0o040000, link: 0o120000, fifo: 0o010000 };

/** A `stat -c` line as the probes print it. */
export function st(
  kind: 'file' | 'directory' | 'link' | 'fifo',
  mode: number,
  o: { uid?: number; gid?: number; owner?: string; group?: string; size?: number; inode?: number; nlink?: number } = {},
): string {
  const raw = (KIND_BITS[kind] | mode).toString(16);
  return [
    raw,
    o.uid ?? 0,
    o.gid ?? 0,
    o.owner ?? 'root',
    o.group ?? 'root',
    o.size ?? 10,
    1700000000,
    1700000001,
    1700000002,
    o.inode ?? 100,
    2049,
    o.nlink ?? 1,
  ].join('|');
}

/** Probe output from lines (context lines added unless given). */
export function out(lines: string[], rc = 0): ExecResult {
  const all = [...lines];
  if (!all.some((l) => l.startsWith('umask '))) all.push('umask 0022');
  if (!all.some((l) => l.startsWith('uid '))) all.push('uid 0');
  if (!all.some((l) => l.startsWith('stamp '))) all.push('stamp 4242.2024-05-01@10:00:00');
  return { rc, stdout: all.join('\n') + '\n', stderr: '' };
}

/** base64 of a string, for `content` lines. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** A plan in a comparable form: steps as their shown text (puts as `put DEST mode=...`), or the reason. */
export function summary(plan: Plan): string[] | string {
  if (plan.kind === 'noop') return `noop: ${plan.reason}`;
  if (plan.kind === 'fail') return `fail: ${plan.msg}`;
  return plan.steps.map((s) =>
    'put' in s
      ? `put ${s.put.dest} mode=${s.put.mode ?? '-'}${s.put.owner ? ` owner=${s.put.owner}` : ''}${s.put.group ? ` group=${s.put.group}` : ''}`
      : s.exec.shown,
  );
}

/** The text a plan's first put writes. */
export function putText(plan: Plan): string | undefined {
  if (plan.kind !== 'change') return undefined;
  for (const s of plan.steps) if ('put' in s) return s.put.content.toString();
  return undefined;
}

/** dash when present (catches bash-isms), else sh. */
export const SHELL = spawnSync('dash', ['-c', 'true']).status === 0 ? 'dash' : 'sh';

/** Runs a script with the POSIX shell. */
export function runSh(script: Script, stdin?: string | Buffer, cwd?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(SHELL, ['-c', script.text], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // a script that never reads stdin may exit before we finish writing
    child.on('close', (rc) => resolve({ rc: rc ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** A ModuleContext on this machine: scripts run under the POSIX shell, puts write files directly. */
export function localContext(
  o: { check?: boolean; files?: Record<string, Buffer | string>; vars?: Record<string, unknown>; cwd?: string } = {},
): ModuleContext & {
  execs: Script[];
  written: Record<string, Buffer>;
} {
  const execs: Script[] = [];
  const written: Record<string, Buffer> = {};
  return {
    host: 'local',
    check: o.check ?? false,
    diff: true,
    vars: { inventory_hostname: 'local', ...o.vars },
    execs,
    written,
    exec(script, opts) {
      execs.push(script);
      return runSh(script, opts?.stdin, o.cwd);
    },
    async put(content, dest, opts = {}) {
      await writeFile(dest, content);
      if (opts.mode) await chmod(dest, parseInt(opts.mode, 8));
      if (opts.owner && /^\d+$/.test(opts.owner)) await chown(dest, Number(opts.owner), opts.group && /^\d+$/.test(opts.group) ? Number(opts.group) : -1);
    },
    async get(path) {
      return readFile(path);
    },
    render: (text) => text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(o.vars?.[k] ?? '')),
    files: {
      async read(path) {
        const f = o.files?.[path];
        if (f !== undefined) return { path: `/controller/files/${path}`, content: Buffer.from(f) };
        return { path, content: await readFile(path) };
      },
      async write(path, content) {
        written[path] = content;
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, content);
      },
    },
    reconnect: async () => undefined,
    gatherFacts: async () => ({}),
    sleep: async () => undefined,
    now: () => 0,
  };
}
