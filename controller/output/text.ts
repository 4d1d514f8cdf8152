/** The ansible-playbook-like reporter: banners, per-host lines, a live progress line on a TTY, the recap. */
import { createTwoFilesPatch } from 'diff';
import { maskSecrets } from '../command.js';
import type { Diff } from '../modules/types.js';
import type { HostStats, RunEvent } from '../runner/events.js';

export interface TextOptions {
  out: (s: string) => void;
  /** where the live progress line goes; undefined = no progress line (not a TTY) */
  progress?: (s: string) => void;
  color: boolean;
  verbosity: number;
  diff: boolean;
  secrets: Iterable<string>;
}

const colors = { ok: 32, changed: 33, failed: 31, unreachable: 31, skipped: 36, warning: 35, ignored: 36 } as const;

/** A stateful text reporter: feed it events, it writes lines. */
export function textReporter(o: TextOptions): { emit(e: RunEvent): void; close(): void } {
  const running = new Map<string, number>();
  let taskStart = Date.now();
  let drawn = false;
  const paint = (kind: keyof typeof colors, s: string) => (o.color ? `\x1b[${colors[kind]}m${s}\x1b[0m` : s);
  const clearProgress = () => {
    if (drawn && o.progress) o.progress('\r\x1b[2K');
    drawn = false;
  };
  const line = (s: string) => {
    clearProgress();
    o.out(`${maskSecrets(s, o.secrets)}\n`);
  };
  const drawProgress = () => {
    if (!o.progress || !running.size) return;
    const names = [...running.keys()];
    const shown = names.slice(0, 6).join(' ') + (names.length > 6 ? ` +${names.length - 6}` : '');
    o.progress(`\r\x1b[2K  running on ${names.length} host${names.length > 1 ? 's' : ''}: ${shown} (${((Date.now() - taskStart) / 1000).toFixed(1)}s)`);
    drawn = true;
  };
  const timer = o.progress ? setInterval(drawProgress, 250) : undefined;
  timer?.unref();

  return {
    emit(e: RunEvent) {
      switch (e.type) {
        case 'play':
          line(`\n${banner(`PLAY [${e.name}]`)}${e.check ? ' (check mode)' : ''}`);
          break;
        case 'no_hosts':
          line('skipping: no hosts matched');
          for (const name of e.unknown) {
            line(
              paint(
                'warning',
                `[WARNING]: the inventory has no group or host named "${name}": add it (the builtin playbooks' groups are in inventory/home.yml) or fix the play's hosts:`,
              ),
            );
          }
          break;
        case 'task':
          running.clear();
          taskStart = Date.now();
          line(`\n${banner(e.kind === 'handler' ? `RUNNING HANDLER [${e.name}]` : `TASK [${e.name}]`)}`);
          break;
        case 'host_start':
          running.set(e.host, Date.now());
          break;
        case 'result':
          if (!e.item) running.delete(e.host);
          for (const l of resultLines(e, o.verbosity)) line(l.kind ? paint(l.kind, l.text) : l.text);
          if (o.diff && e.diff?.length) for (const d of e.diff) line(renderDiff(d));
          if (!e.item) drawProgress();
          break;
        case 'warning':
          line(paint('warning', `[WARNING]: ${e.msg}`));
          break;
        case 'recap':
          line(`\n${banner('PLAY RECAP')}`);
          for (const [host, s] of Object.entries(e.stats)) line(recapLine(host, s, paint));
          if (o.verbosity > 0) line(`\nfinished in ${(e.elapsedMs / 1000).toFixed(2)}s`);
          break;
      }
    },
    close() {
      if (timer) clearInterval(timer);
      clearProgress();
    },
  };
}

function banner(title: string): string {
  return `${title} ${'*'.repeat(Math.max(3, 79 - title.length))}`;
}

type Line = { text: string; kind?: keyof typeof colors };

/** The lines for one result event, as ansible-playbook prints them. */
export function resultLines(e: Extract<RunEvent, { type: 'result' }>, verbosity: number): Line[] {
  const item = e.item !== undefined ? ` => (item=${e.item})` : '';
  const host = e.delegatedTo === undefined ? e.host : `${e.host} -> ${e.delegatedTo}`;
  const json = JSON.stringify(e.result);
  if (e.retry) return [{ text: `FAILED - RETRYING: [${host}]: (${e.retry.of - e.retry.attempt + 1} retries left).`, kind: 'failed' }];
  switch (e.status) {
    case 'ok':
    case 'changed': {
      const extra = verbosity > 0 || e.show ? ` => ${shown(e.result, e.show)}` : '';
      return [{ text: `${e.status}: [${host}]${item}${extra}`, kind: e.status }];
    }
    case 'skipped':
      return [{ text: `skipping: [${host}]${item}${verbosity > 0 ? ` => ${json}` : ''}`, kind: 'skipped' }];
    case 'unreachable':
      return [{ text: `fatal: [${host}]: UNREACHABLE! => ${json}`, kind: 'unreachable' }];
    case 'failed': {
      const out: Line[] = [{ text: e.item !== undefined ? `failed: [${host}]${item} => ${json}` : `fatal: [${host}]: FAILED! => ${json}`, kind: 'failed' }];
      if (e.ignored) out.push({ text: '...ignoring', kind: 'ignored' });
      return out;
    }
  }
}

/** The result as printed after `=>`; debug's output is pretty-printed without the bookkeeping keys, like Ansible. */
function shown(result: Record<string, unknown>, pretty?: boolean): string {
  if (!pretty) return JSON.stringify(result);
  const { changed: _c, failed: _f, ...rest } = result;
  return JSON.stringify(rest, null, 4);
}

function recapLine(host: string, s: HostStats, paint: (k: keyof typeof colors, s: string) => string): string {
  const name = s.failed || s.unreachable ? paint('failed', host) : s.changed ? paint('changed', host) : paint('ok', host);
  const pad = ' '.repeat(Math.max(1, 26 - host.length));
  const f = (k: string, v: number) => `${k}=${v}`.padEnd(k.length + 5);
  return `${name}${pad}: ${f('ok', s.ok)}${f('changed', s.changed)}${f('unreachable', s.unreachable)}${f('failed', s.failed)}${f('skipped', s.skipped)}${f('rescued', s.rescued)}ignored=${s.ignored}`;
}

function renderDiff(d: Diff): string {
  const p = d.path ?? 'file';
  return createTwoFilesPatch(`before: ${p}`, `after: ${p}`, d.before, d.after, undefined, undefined, { context: 3 }).replace(/^=+\n/, '').trimEnd();
}
