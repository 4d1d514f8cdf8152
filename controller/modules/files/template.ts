/** template: renders a controller-side template with the host's variables, then places it like copy. */
import { hostname, userInfo } from 'node:os';
import type { ArgSpecs, Module, Vars } from '../types.js';
import { baseName, copyFrom } from './copy.js';
import { checkValidate } from './writes.js';

const args: ArgSpecs = {
  src: { type: 'path', required: true },
  dest: { type: 'path', required: true },
  mode: { type: 'mode' },
  owner: { type: 'str' },
  group: { type: 'str' },
  backup: { type: 'bool', default: false },
  force: { type: 'bool', default: true },
  validate: { type: 'str' },
  newline_sequence: { type: 'str', default: '\n' },
};

// single-quoted YAML gives the escapes as written; Ansible accepts both forms
const SEQUENCES: Record<string, string> = { '\n': '\n', '\r': '\r', '\r\n': '\r\n', '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n' };

/** The line ending newline_sequence names, or undefined when it names none. */
export function newlineSequence(v: unknown): string | undefined {
  return v === undefined || v === null ? '\n' : SEQUENCES[String(v)];
}

/** Line endings as newline_sequence asks (templates are written with \n). */
export function withNewlines(text: string, sequence: string): string {
  return sequence === '\n' ? text : text.replace(/\r\n|\n/g, sequence);
}

/**
 * The variables Ansible's template action adds for the template itself: `ansible_managed` (Ansible's
 * default text) and where the template came from and goes.
 */
export function templateVars(src: string, path: string, dest: unknown, at: { now: number; host: string; user: string }): Vars {
  return {
    ansible_managed: 'Ansible managed',
    template_host: at.host,
    template_path: src,
    template_fullpath: path,
    template_destpath: typeof dest === 'string' ? dest : null,
    template_uid: at.user,
    template_run_date: new Date(at.now)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ''),
  };
}

/** The template module. */
export const template: Module = {
  name: 'template',
  args,
  checkMode: true,
  validate: (a) =>
    checkValidate(a.validate) ?? (newlineSequence(a.newline_sequence) === undefined ? 'newline_sequence must be one of \\n, \\r, \\r\\n' : undefined),
  async run(a, ctx) {
    const src = String(a.src);
    const local = await ctx.files.read(src, 'templates');
    const text = withNewlines(
      ctx.render(
        local.content.toString('utf8'),
        local.path,
        templateVars(src, local.path, a.dest, { now: ctx.now(), host: hostname(), user: userInfo().username }),
      ),
      newlineSequence(a.newline_sequence) ?? '\n',
    );
    return copyFrom(a, ctx, { kind: 'content', content: Buffer.from(text, 'utf8'), name: baseName(src), origin: local.path });
  },
};
