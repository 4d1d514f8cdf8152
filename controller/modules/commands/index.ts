/** The commands modules: command, shell, raw. */
import type { Module } from '../types.js';
import { command } from './command.js';
import { raw } from './raw.js';
import { shell } from './shell.js';

/** One line each for the modules reference page (docs.ts reads `summary`). */
const summaries: Record<string, string> = {
  command: 'Runs a program with its arguments, each word quoted, no shell; `creates`/`removes` make it idempotent. Always changed when it runs.',
  shell: 'Runs a command line through `/bin/sh -c` (or `executable`), so pipes, redirects and variables work; same guards as command.',
  raw: 'Sends the text to the host as is: no guards, no quoting; for hosts where nothing else works yet.',
};

export const modules: Module[] = [command, shell, raw].map((m) => ({ ...m, summary: summaries[m.name] }));
