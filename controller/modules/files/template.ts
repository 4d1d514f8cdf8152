/** template: renders a controller-side template with the host's variables, then places it like copy. */
import type { ArgSpecs, Module } from '../types.js';
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
  newline_sequence: { type: 'str', default: '\n', choices: ['\n', '\r', '\r\n'] },
};

/** Line endings as newline_sequence asks (templates are written with \n). */
export function withNewlines(text: string, sequence: string): string {
  return sequence === '\n' ? text : text.replace(/\r\n|\n/g, sequence);
}

/** The template module. */
export const template: Module = {
  name: 'template',
  args,
  checkMode: true,
  validate: (a) => checkValidate(a.validate),
  async run(a, ctx) {
    const src = String(a.src);
    const local = await ctx.files.read(src, 'templates');
    const text = withNewlines(ctx.render(local.content.toString('utf8'), local.path), String(a.newline_sequence ?? '\n'));
    return copyFrom(a, ctx, { kind: 'content', content: Buffer.from(text, 'utf8'), name: baseName(src), origin: local.path });
  },
};
