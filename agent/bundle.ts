/**
 * Builds the single-file agent placed on nodes: `node muster-agent.mjs` runs with no node_modules.
 * Run after `tsc` as `node dist/agent/bundle.js [OUTFILE]`.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** Where the bundle goes by default. */
export const DEFAULT_OUTFILE = 'dist/muster-agent.mjs';

/** Bundles agent/entry.ts (or its compiled .js next to this file) into one ESM file; returns its size in bytes. */
export async function bundleAgent(outfile: string, entry = defaultEntry()): Promise<number> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    metafile: true,
    legalComments: 'linked',
    // ssh2 (pulled in by docker-modem for ssh:// engines, which the agent never uses) tries optional native
    // add-ons inside try/catch: leave them out and its pure-JS fallbacks apply.
    external: ['cpu-features', '*.node'],
    // Bundled CommonJS dependencies use require() and __dirname, which ESM output must define for them.
    banner: {
      js: [
        "import { createRequire as __musterRequire } from 'node:module';",
        "import { fileURLToPath as __musterPath } from 'node:url';",
        "import { dirname as __musterDirname } from 'node:path';",
        'const require = __musterRequire(import.meta.url);',
        'const __filename = __musterPath(import.meta.url);',
        'const __dirname = __musterDirname(__filename);',
      ].join(' '),
    },
    logLevel: 'warning',
  });
  const out = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.mjs'));
  return out ? out[1].bytes : 0;
}

function defaultEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return resolve(here, '..', here.endsWith('.ts') ? 'entry.ts' : 'entry.js');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2] ?? DEFAULT_OUTFILE;
  const bytes = await bundleAgent(outfile);
  process.stdout.write(`${outfile}: ${(bytes / 1024).toFixed(0)} KiB\n`);
}
