import t from 'tap';
import { expandUser, realPath, relPath } from '../../../../controller/expr/filters/paths.js';
import { table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('paths filters', async (t) =>
  table(t, [
    ["'/etc' | relpath('/etc/nginx')", '..'],
    ["'C:\\\\Users\\\\me\\\\file.txt' | win_basename", 'file.txt'],
    ["'C:\\\\Users\\\\me\\\\file.txt' | win_dirname", 'C:\\Users\\me'],
    ["'C:\\\\' | win_dirname", 'C:\\'],
    ["'\\\\\\\\server\\\\share\\\\dir\\\\f' | win_splitdrive", ['\\\\server\\share', '\\dir\\f']],
    ["'C:/x/y' | win_splitdrive", ['C:', '/x/y']],
    ["'rel\\\\path' | win_splitdrive", ['', 'rel\\path']],
    ["'\\\\\\\\server\\\\share\\\\dir\\\\f' | win_dirname", '\\\\server\\share\\dir'],
    ["'x' | win_basename", 'x'],
    ["'a/b\\\\c' | win_basename", 'c'],
    ["'/etc/nginx/nginx.conf' | relpath('/etc')", 'nginx/nginx.conf'],
  ]),
);
t.test('expanduser reads $HOME for ~ and /etc/passwd for ~name', async (t) => {
  const passwd = () => [
    ['root', 'x', '0', '0', 'root', '/root', '/bin/bash'],
    ['web', 'x', '33', '33', '', '/var/www/', '/usr/sbin/nologin'],
  ];
  t.equal(expandUser('~', '/home/me', passwd), '/home/me');
  t.equal(expandUser('~/x', '/home/me/', passwd), '/home/me/x');
  t.equal(expandUser('~root/.ssh', '/home/me', passwd), '/root/.ssh');
  t.equal(expandUser('~web', '/home/me', passwd), '/var/www');
  t.equal(expandUser('~nobody/x', '/home/me', passwd), '~nobody/x', 'an unknown user stays as written');
  t.equal(expandUser('~/x', '/', passwd), '/x');
  t.equal(expandUser('~', '/', passwd), '/');
  t.equal(expandUser('a/~', '/home/me', passwd), 'a/~');
});

t.test('realpath resolves the links that exist and keeps the rest', async (t) => {
  const links: Record<string, string> = { '/srv/current': 'releases/2', '/abs': '/etc/nginx', '/loop': '/loop' };
  const readlink = (p: string) => links[p];
  t.equal(realPath('/srv/current/app.conf', '/', readlink), '/srv/releases/2/app.conf');
  t.equal(realPath('../abs/x', '/srv', readlink), '/etc/nginx/x');
  t.equal(realPath('a/./b/../c', '/work', readlink), '/work/a/c');
  t.equal(realPath('/', '/', readlink), '/');
  t.equal(realPath('/loop/x', '/', readlink), '/loop/x', 'a link loop stops after 40 hops');
  t.equal(relPath('a/b', 'a', '/w'), 'b');
  t.equal(relPath('/w', '/w/x/y', '/'), '../..');
});
