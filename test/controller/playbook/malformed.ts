/** The table runner of the loader-errors tests: each case's files load with one MusterError, as described. */
import { join, relative } from 'node:path';
import type { Test } from 'tap';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import { MusterError } from '../../../shared/errors.js';
import { fakeOptions } from './fakes.js';

/** One malformed playbook directory and the error it must give. */
export interface Case {
  name: string;
  files: Record<string, string>;
  code: string;
  msg: string | RegExp;
  /** file:line:col, the file relative to the test directory */
  at?: string;
}

/** A one-play site.yml around these task lines. */
export const play = (tasks: string) => `- hosts: all\n  tasks:\n${tasks}`;

/** Loads each case's site.yml and checks the error's code, message, hint and position. */
export async function checkMalformed(t: Test, cases: Case[]): Promise<void> {
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const dir = t.testdir(nest(c.files) as Parameters<typeof t.testdir>[0]);
      const err = t.throws(() => loadPlaybookWith(join(dir, 'site.yml'), fakeOptions)) as unknown;
      if (!(err instanceof MusterError)) return t.fail(`expected a MusterError, got ${String(err)}`);
      t.equal(err.code, c.code);
      if (typeof c.msg === 'string') t.ok(err.message.includes(c.msg), `message "${err.message}" should include "${c.msg}"`);
      else t.match(err.message, c.msg);
      t.ok(err.hint, 'has a hint');
      if (c.at) {
        t.ok(err.pos, 'has a position');
        if (err.pos) t.equal(`${relative(dir, err.pos.file)}:${err.pos.line}:${err.pos.col}`, c.at);
      }
    });
  }
}

/** t.testdir wants nested objects for sub-directories. */
function nest(files: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/');
    let d = root;
    for (const p of parts.slice(0, -1)) d = (d[p] ??= {}) as Record<string, unknown>;
    d[parts[parts.length - 1]] = text;
  }
  return root;
}
