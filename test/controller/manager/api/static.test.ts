import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CSP } from '../../../../controller/manager/api/app.js';
import { readAssets, WEB_DIR } from '../../../../controller/manager/api/static.js';
import { makeApi } from './harness.js';

t.test('/ and /ui go to /ui/, which is the dashboard, without a token', async (t) => {
  const { app } = makeApi();
  const root = await app.inject({ url: '/' });
  t.equal(root.statusCode, 302);
  t.equal(root.headers.location, '/ui/');
  t.equal((await app.inject({ url: '/ui' })).headers.location, '/ui/');
  const page = await app.inject({ url: '/ui/' });
  t.equal(page.statusCode, 200);
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  t.equal(page.body, readFileSync(join(WEB_DIR, 'index.html'), 'utf8'));
  t.equal(page.headers['content-security-policy'], CSP);
  t.equal(page.headers['x-content-type-options'], 'nosniff');
  t.equal(page.headers['x-frame-options'], 'DENY');
});

t.test('the CSP allows this origin only, and no inline script or style', async (t) => {
  t.match(CSP, /default-src 'none'/);
  t.match(CSP, /script-src 'self'(;|$)/);
  t.notMatch(CSP, /unsafe-inline|unsafe-eval|https?:|\*/);
  const { app } = makeApi();
  t.equal((await app.inject({ url: '/v1/health' })).headers['content-security-policy'], CSP, 'on JSON answers too');
});

t.test('each file with its type and a validator; 304 while it is the same', async (t) => {
  const { app } = makeApi();
  const rows: [string, RegExp][] = [
    ['app.js', /^text\/javascript/],
    ['style.css', /^text\/css/],
    ['index.html', /^text\/html/],
  ];
  for (const [file, type] of rows) {
    const r = await app.inject({ url: `/ui/${file}` });
    t.equal(r.statusCode, 200, file);
    t.match(r.headers['content-type'], type);
    t.equal(r.headers['cache-control'], 'no-cache');
    const again = await app.inject({ url: `/ui/${file}`, headers: { 'if-none-match': String(r.headers.etag) } });
    t.equal(again.statusCode, 304);
    t.equal(again.body, '');
    t.equal((await app.inject({ url: `/ui/${file}`, headers: { 'if-none-match': '"other"' } })).statusCode, 200);
  }
});

t.test('nothing outside the dashboard is served, however the path is spelt', async (t) => {
  const { app } = makeApi();
  const pkg = readFileSync('package.json', 'utf8');
  for (const path of [
    '/ui/../package.json',
    '/ui/%2e%2e/package.json',
    '/ui/..%2fpackage.json',
    '/ui/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
    '/ui/..%5c..%5cpackage.json',
    '/ui/../api/app.ts',
    '/ui//etc/passwd',
    '/ui/%00index.html',
    '/ui/nothing.js',
  ]) {
    const r = await app.inject({ url: path });
    // a path that climbs out of /ui/ is outside the public files: 401 without the token, else 404
    t.ok([400, 401, 404].includes(r.statusCode), `${path}: ${r.statusCode}`);
    t.notOk(r.body.includes('"name": "muster"') || r.body === pkg, `${path} does not leak`);
  }
  t.equal((await app.inject({ method: 'POST', url: '/ui/app.js' })).statusCode, 405);
});

t.test('the dashboard loads nothing from elsewhere and has no inline script', async (t) => {
  const assets = readAssets();
  t.ok(assets.has('index.html') && assets.has('app.js') && assets.has('style.css'));
  for (const [name, a] of assets) {
    const text = a.body.toString('utf8');
    t.notMatch(text, /(src|href)=["']?(https?:)?\/\//i, `${name}: no remote origin`);
    t.notMatch(text, /url\(\s*["']?(https?:)?\/\//i, `${name}: no remote CSS`);
    t.notMatch(text, /import\s[^;]*from\s*['"]https?:/, `${name}: no remote module`);
    if (name.endsWith('.html')) {
      t.notMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/i, `${name}: every script has a src`);
      t.notMatch(text, /\son[a-z]+=/i, `${name}: no inline handlers`);
      t.notMatch(text, /\sstyle=/i, `${name}: no inline styles`);
    }
  }
});
