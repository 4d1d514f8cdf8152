/** The commands modules: command, shell, raw, and async_status for their background jobs. */
import type { Module } from '../types.js';
import { asyncStatus } from './async_status.js';
import { command } from './command.js';
import { raw } from './raw.js';
import { shell } from './shell.js';

/** One line each for the modules reference page (docs.ts reads `summary`). */
const summaries: Record<string, string> = {
  command: 'Runs a program with its arguments, each word quoted, no shell; `creates`/`removes` make it idempotent. Always changed when it runs.',
  shell: 'Runs a command line through `/bin/sh -c` (or `executable`), so pipes, redirects and variables work; same guards as command.',
  async_status: 'Reads (or with `mode: cleanup` removes) a background job an `async:` task with `poll: 0` started; `until: result.finished` waits for it.',
  raw: 'Sends the text to the host as is: no guards, no quoting; for hosts where nothing else works yet.',
};

export const modules: Module[] = [command, shell, raw, asyncStatus].map((m) => ({ ...m, summary: summaries[m.name] }));
