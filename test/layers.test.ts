/**
 * Layer rules, checked over every import of the source tree: the agent never reaches into the controller,
 * shared/ depends on neither side, and the scheduler (controller/scheduler/, pure decisions) touches no
 * file, socket, process or clock. The checker is tried on planted trees first, on both sides of each rule.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import t from 'tap';

/** One broken rule: the importing file, what it imports (or uses), and the rule's name. */
interface Violation {
  file: string;
  target: string;
  rule: string;
}

const IO_MODULES = new Set(['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'timers', 'timers/promises', 'perf_hooks', 'dgram', 'tls']);
const CLOCK = /\b(?:Date\.now|performance\.now|process\.hrtime|setTimeout|setInterval|setImmediate)\s*\(|\bnew Date\s*\(\s*\)/;

/** The module specifiers a TypeScript source imports: static and dynamic imports, re-exports, require. */
export function specifiers(source: string): string[] {
  const code = stripComments(source);
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
}

/** Every rule broken under `root` (a tree with agent/, shared/, controller/). */
export function layerViolations(root: string): Violation[] {
  const out: Violation[] = [];
  for (const file of sources(root)) {
    const rel = relative(root, file).split(sep).join('/');
    const layer = rel.split('/')[0];
    const scheduler = rel.startsWith('controller/scheduler/');
    const text = readFileSync(file, 'utf8');
    for (const spec of specifiers(text)) {
      const target = spec.startsWith('.')
        ? relative(root, resolve(dirname(file), spec))
            .split(sep)
            .join('/')
        : spec;
      const into = target.split('/')[0];
      if (layer === 'agent' && into === 'controller') out.push({ file: rel, target, rule: 'agent/ must not import controller/ (share through shared/)' });
      if (layer === 'shared' && (into === 'agent' || into === 'controller'))
        out.push({ file: rel, target, rule: 'shared/ must not import agent/ or controller/' });
      if (scheduler && IO_MODULES.has(spec.replace(/^node:/, '')))
        out.push({ file: rel, target: spec, rule: 'controller/scheduler/ is pure: no file, network, process or timer module' });
    }
    if (scheduler) {
      const clock = CLOCK.exec(stripComments(text));
      if (clock) out.push({ file: rel, target: clock[0], rule: 'controller/scheduler/ is pure: no clock (take the time as an argument)' });
    }
  }
  return out;
}

function sources(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(?:ts|mts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const layer of ['agent', 'shared', 'controller']) if (statSync(join(root, layer), { throwIfNoEntry: false })?.isDirectory()) walk(join(root, layer));
  return out;
}

t.test('specifiers: static, type-only, side-effect, dynamic imports and re-exports; comments ignored', async (t) => {
  const src = [
    "import { a } from '../x.js';",
    "import type { B } from './b.js';",
    "import 'node:fs';",
    'export { c } from "../c.js";',
    "export * from './d.js';",
    "const e = await import('../e.js');",
    'import {',
    '  f,',
    "} from './f.js';",
    "// import { g } from '../g.js';",
    "/* import { h } from '../h.js'; */",
    "const url = 'http://example.org'; import { i } from './i.js';",
  ].join('\n');
  t.same(specifiers(src).sort(), ['../c.js', '../e.js', '../x.js', './b.js', './d.js', './f.js', './i.js', 'node:fs'].sort());
});

t.test('the checker on a planted tree: each rule broken, and each allowed neighbour left alone', async (t) => {
  const dir = t.testdir({
    agent: {
      'bad.ts': "import { MusterError } from '../controller/errors.js';\n",
      'lazy.ts': "export const load = () => import('../controller/cli.js');\n",
      'good.ts': "import { MusterError } from '../shared/errors.js';\nimport { x } from './bad.js';\n",
    },
    shared: {
      'bad.ts': "import type { Settings } from '../agent/config/settings.js';\nexport * from '../controller/command.js';\n",
      'good.ts': "import { readFileSync } from 'node:fs';\nimport { y } from './bad.js';\n",
    },
    controller: {
      'ok.ts': "import { z } from '../agent/types.js';\nimport { spawn } from 'node:child_process';\nconst t = Date.now();\n",
      scheduler: {
        'io.ts':
          "import { readFileSync } from 'node:fs';\nimport * as net from 'net';\nimport { request } from 'node:http';\nimport { spawn } from 'node:child_process';\n",
        'clock.ts': 'export const age = (t: number) => Date.now() - t;\n',
        'timer.ts': 'setTimeout(() => undefined, 1);\n',
        'pure.ts':
          "import { MusterError } from '../../shared/errors.js';\nimport type { Report } from '../../shared/wire.js';\n// Date.now() is not called here: the caller passes `now`\nexport const age = (now: number, t: number) => now - t;\n",
      },
    },
  });
  const got = layerViolations(dir)
    .map((v) => `${v.file} -> ${v.target}`)
    .sort();
  t.same(got, [
    'agent/bad.ts -> controller/errors.js',
    'agent/lazy.ts -> controller/cli.js',
    'controller/scheduler/clock.ts -> Date.now(',
    'controller/scheduler/io.ts -> net',
    'controller/scheduler/io.ts -> node:child_process',
    'controller/scheduler/io.ts -> node:fs',
    'controller/scheduler/io.ts -> node:http',
    'controller/scheduler/timer.ts -> setTimeout(',
    'shared/bad.ts -> agent/config/settings.js',
    'shared/bad.ts -> controller/command.js',
  ]);
});

t.test('this source tree keeps its layers', async (t) => {
  const root = resolve(import.meta.dirname ?? dirname(new URL(import.meta.url).pathname), '..');
  const found = layerViolations(root);
  t.same(found, [], found.map((v) => `${v.file} imports ${v.target}: ${v.rule}`).join('\n'));
  t.ok(sources(root).length > 100, 'the scan saw the source tree');
});
