/**
 * `npm run test:unit` is the fast tier: it starts no container and no lab. Every test file that reaches
 * the lab (startLab, test/lab/lab.mjs, test/agent/e2e/lab.ts) or a real Docker daemon must be excluded by it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import t from 'tap';

const ROOT = resolve(import.meta.dirname, '..');
// The socket path counts only as a string of its own (a connection), not inside an error message fixture.
const NEEDS_LAB = /\bstartLab\b|lab\/lab\.mjs|e2e\/lab\.js|['"]\/var\/run\/docker\.sock['"]/;

/** The --exclude patterns of a tap command line ('dir/**' or a file path). */
export function excludes(script: string): string[] {
  return [...script.matchAll(/--exclude\s+'?([^'\s]+)'?/g)].map((m) => m[1]);
}

/** Whether a test path (relative to the root) is excluded by one of the patterns. */
export function excluded(path: string, patterns: string[]): boolean {
  return patterns.some((p) => (p.endsWith('/**') ? path.startsWith(p.slice(0, -2)) : path === p));
}

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const path = join(dir, e);
    if (statSync(path).isDirectory()) return testFiles(path);
    return e.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

t.test('excludes and excluded', async (t) => {
  const p = excludes("tap --exclude 'test/e2e/**' --exclude test/a/b.test.ts");
  t.same(p, ['test/e2e/**', 'test/a/b.test.ts']);
  t.ok(excluded('test/e2e/x/y.test.ts', p));
  t.ok(excluded('test/a/b.test.ts', p));
  t.notOk(excluded('test/a/c.test.ts', p));
  t.notOk(excluded('test/e2ex/y.test.ts', p));
});

t.test('test:unit leaves out every test that needs the lab or Docker, and keeps the others', async (t) => {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['test:unit'];
  const patterns = excludes(script);
  const files = testFiles(join(ROOT, 'test'));
  const heavy = files.filter((f) => f !== 'test/tiers.test.ts' && NEEDS_LAB.test(readFileSync(join(ROOT, f), 'utf8')));
  t.ok(heavy.length >= 5, `the scan finds the lab tests (${heavy.length})`);
  t.same(
    heavy.filter((f) => !excluded(f, patterns)),
    [],
    'lab or Docker tests that test:unit would run',
  );
  const unit = files.filter((f) => !excluded(f, patterns));
  t.ok(unit.length > files.length / 2, `most tests stay in the fast tier (${unit.length} of ${files.length})`);
});
