/**
 * Builds the single-file agent placed on nodes: `node muster-agent.mjs` runs with no node_modules.
 * Run after `tsc` as `node dist/agent/bundle.js [OUTFILE]`.
 */
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** Where the bundle goes by default. */
export const DEFAULT_OUTFILE = 'dist/muster-agent.mjs';

// Code dockerode and docker-modem load at start for features the agent never uses: ssh2 for ssh://
// engines (with a WebAssembly heap of its own) and the gRPC session of BuildKit image builds
// (@grpc/grpc-js, protobufjs). Loading them cost about 20 MB of resident memory on every node; the
// stubs fail loudly if those paths are ever reached.
const STUBS: { filter: RegExp; importer: RegExp; contents: string }[] = [
  {
    filter: /^ssh2$/,
    importer: /docker-modem[\\/]lib[\\/]ssh\.js$/,
    contents:
      "exports.Client = class { constructor() { throw new Error('the muster agent reaches Docker over a unix socket only: ssh:// engines are not bundled'); } };",
  },
  {
    filter: /^\.\/session$/,
    importer: /dockerode[\\/]lib[\\/]docker\.js$/,
    contents: "module.exports = function (docker, auth, cb) { cb(new Error('the muster agent does not build images: BuildKit sessions are not bundled')); };",
  },
];

/** Replaces the modules in STUBS, only where the named importer asks for them. */
export const stubUnused: Plugin = {
  name: 'muster-agent-stubs',
  setup(b) {
    STUBS.forEach((stub, i) => {
      b.onResolve({ filter: stub.filter }, (args) => (stub.importer.test(args.importer) ? { path: String(i), namespace: 'muster-stub' } : undefined));
    });
    b.onLoad({ filter: /.*/, namespace: 'muster-stub' }, (args) => ({ contents: STUBS[Number(args.path)].contents, loader: 'js' }));
  },
};

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
    plugins: [stubUnused],
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
