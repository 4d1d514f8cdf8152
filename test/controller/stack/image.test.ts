/** Image references as Docker parses them: good ones pass, bad ones say why. */
import t from 'tap';
import { imageProblem } from '../../../controller/stack/image.js';
import { errorOf, svc, where } from './harness.js';

const good = [
  'nginx',
  'nginx:1.27-alpine',
  'library/nginx:latest',
  'prom/node-exporter:v1.8.2',
  'ghcr.io/home-assistant/home-assistant:2024.10',
  'registry.local:5000/team/app:1.0',
  'localhost/app',
  'localhost:5000/app:dev',
  'Registry.Example.com/app',
  `nginx@sha256:${'a'.repeat(64)}`,
  `nginx:1.27@sha256:${'0'.repeat(64)}`,
  'a__b/c-d/e.f',
  'my--app',
  `x:${'t'.repeat(128)}`,
];
for (const ref of good) t.test(`good: ${ref}`, async (t) => t.equal(imageProblem(ref), undefined));

const bad: [string, RegExp][] = [
  ['Nginx', /repository names are lower case/],
  ['me/MyApp:1', /repository names are lower case/],
  ['nginx:1.27 alpine', /white space/],
  ['nginx:', /"" is not a tag/],
  [`x:${'t'.repeat(129)}`, /is not a tag/],
  ['nginx:-x', /"-x" is not a tag/],
  ['nginx@sha256:xyz', /is not a digest/],
  ['my_/app', /"my_" is not a repository name/],
  ['a//b', /"" is not a repository name/],
  ['.app', /is not a repository name/],
  ['bad_host.com:x/app', /"bad_host\.com:x" is not a registry host/],
];
for (const [ref, why] of bad) t.test(`bad: ${ref}`, async (t) => t.match(imageProblem(ref), why));

t.test('a bad image in a stack is an error at its value', async (t) => {
  const e = errorOf(() => svc('image: Nginx:latest'));
  t.equal(e.message, 'services.s.image: "Nginx:latest" is not an image reference: repository names are lower case');
  t.equal(where(e), 'stack.yml:3:12');
  t.match(e.hint, /nginx:1\.27/);
});
