/**
 * The dashboard's files under /ui/: read once when the app is built, from the package's
 * controller/manager/web/ (beside the sources under tsx, and found from dist/ the way the builtin
 * playbooks are), and served from memory. Only the files read are served, by exact name: no path from a
 * request ever reaches the file system, so `..` and its encodings have nothing to climb.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The package's controller/manager/web/ (this file runs from dist/controller/manager/api/ or controller/manager/api/). */
export const WEB_DIR = here.includes(`${sep}dist${sep}`) ? resolve(here, '../../../../controller/manager/web') : resolve(here, '../web');

/** The types of the files the dashboard is made of; any other file is not served. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/** One file, ready to send. */
export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** Reads every servable file under `dir` (subfolders too), keyed by its path with `/` separators. */
export function readAssets(dir: string = WEB_DIR): Map<string, Asset> {
  const out = new Map<string, Asset>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      const type = TYPES[extname(entry.name)];
      if (!entry.isFile() || type === undefined) continue;
      const body = readFileSync(full);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      out.set(relative(dir, full).split(sep).join('/'), { body, type, etag });
    }
  };
  walk(dir);
  return out;
}

/** Pure: the asset a /ui/ path names (`''` is index.html), or undefined. */
export function assetFor(assets: Map<string, Asset>, path: string): Asset | undefined {
  return assets.get(path === '' ? 'index.html' : path);
}
