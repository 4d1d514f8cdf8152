/**
 * A template's `#jinja2:` first line (`#jinja2: trim_blocks: False, lstrip_blocks: True`): environment
 * options for this template only, as Ansible reads them. The line itself is not part of the output.
 */
import { ANSIBLE_DEFAULTS, type JinjaOptions } from './lexer.js';

const KEYS: Record<string, keyof JinjaOptions> = {
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  keep_trailing_newline: 'keepTrailingNewline',
};

/** The template body and its options; unknown keys (delimiters, newline_sequence) are left at their defaults. */
export function readHeader(text: string): { body: string; options: JinjaOptions } {
  if (!text.startsWith('#jinja2:')) return { body: text, options: ANSIBLE_DEFAULTS };
  const eol = text.indexOf('\n');
  const line = text.slice('#jinja2:'.length, eol < 0 ? text.length : eol);
  const options = { ...ANSIBLE_DEFAULTS };
  for (const pair of line.split(',')) {
    const [key, value] = pair.split(':').map((s) => s.trim());
    if (Object.hasOwn(KEYS, key)) options[KEYS[key]] = value === 'True' || value === 'true';
  }
  return { body: eol < 0 ? '' : text.slice(eol + 1), options };
}
