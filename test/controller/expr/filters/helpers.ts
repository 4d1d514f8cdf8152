import type { Test } from 'tap';
import { MusterError } from '../../../../shared/errors.js';
import { evalExpr } from '../../../../controller/expr/index.js';

/** Variables the filter tables use. */
export const vars = {
  s: 'Hello World',
  path: '/etc/nginx/nginx.conf',
  xs: [3, 1, 2],
  words: ['b', 'A', 'c'],
  nested: [1, [2, [3, [4]]], null],
  d: { b: 2, a: 1 },
  users: [
    { name: 'ann', age: 40, admin: true, shell: '/bin/bash' },
    { name: 'bob', age: 25, admin: false },
    { name: 'cy', age: 31, admin: true, shell: '/bin/zsh' },
  ],
  result_ok: { changed: true, failed: false, rc: 0 },
  result_bad: { changed: false, failed: true, rc: 2 },
  result_skip: { changed: false, skipped: true },
  n: 7,
};

const where = { host: 'h1', task: 't' };

/** Checks every [expression, expected value] pair. */
export function table(t: Test, cases: [string, unknown][]): void {
  for (const [src, want] of cases) {
    try {
      t.same(evalExpr(src, vars, where), want, src);
    } catch (e) {
      t.fail(`${src}: ${(e as Error).message}`);
    }
  }
}

/** Checks that every expression fails with E_EXPR matching its message. */
export function failures(t: Test, cases: [string, RegExp][]): void {
  for (const [src, message] of cases) {
    try {
      evalExpr(src, vars, where);
      t.fail(`${src} should fail`);
    } catch (e) {
      t.type(e, MusterError, src);
      t.equal((e as MusterError).code, 'E_EXPR', `${src}: code`);
      t.match((e as MusterError).message, message, src);
    }
  }
}
