import t from 'tap';
import { keyPath, modeText, renderSources, signedByKind, slugOf, sourcesPath } from '../../../../controller/modules/system/deb822-format.js';

t.test('slugOf and paths', async (t) => {
  const table: [string, string][] = [
    ['docker', 'docker'],
    ['Docker CE_stable', 'docker-ce-stable'],
    ['a.b/c!', 'abc'],
  ];
  for (const [name, want] of table) t.equal(slugOf(name), want, name);
  t.equal(sourcesPath('Docker CE'), '/etc/apt/sources.list.d/docker-ce.sources');
  t.equal(keyPath('docker', 'asc'), '/etc/apt/keyrings/docker.asc');
});

t.test('signedByKind', async (t) => {
  t.equal(signedByKind('https://download.docker.com/linux/debian/gpg'), 'url');
  t.equal(signedByKind('/usr/share/keyrings/debian-archive-keyring.gpg'), 'inline');
  t.equal(signedByKind('-----BEGIN PGP PUBLIC KEY BLOCK-----\n...'), 'inline');
});

t.test('renderSources writes fields in Ansible order and format', async (t) => {
  const text = renderSources(
    {
      name: 'docker',
      uris: ['https://download.docker.com/linux/debian'],
      suites: ['bookworm'],
      components: ['stable'],
      architectures: ['amd64', 'arm64'],
      enabled: true,
      trusted: false,
      types: ['deb'],
    },
    '/etc/apt/keyrings/docker.asc',
  );
  t.equal(
    text,
    [
      'Architectures: amd64 arm64',
      'Components: stable',
      'Enabled: yes',
      'X-Repolib-Name: docker',
      'Signed-By: /etc/apt/keyrings/docker.asc',
      'Suites: bookworm',
      'Trusted: no',
      'Types: deb',
      'URIs: https://download.docker.com/linux/debian',
      '',
    ].join('\n'),
  );
});

t.test('an inline key is indented with blank lines as dots; types default to deb', async (t) => {
  const key = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEYCQjIxYJ\n=IE0r\n-----END PGP PUBLIC KEY BLOCK-----\n';
  const text = renderSources({ name: 'x', uris: ['http://a'], suites: ['s'], date_max_future: 10 }, key);
  t.equal(
    text,
    'Date-Max-Future: 10\nX-Repolib-Name: x\nSigned-By:\n    -----BEGIN PGP PUBLIC KEY BLOCK-----\n    .\n    mDMEYCQjIxYJ\n    =IE0r\n    -----END PGP PUBLIC KEY BLOCK-----\nSuites: s\nTypes: deb\nURIs: http://a\n',
  );
});

t.test('modeText', async (t) => {
  t.equal(modeText(0o644), '0644');
  t.equal(modeText('644'), '0644');
  t.equal(modeText('0600'), '0600');
  t.equal(modeText('u+rw'), '0644', 'symbolic modes fall back to the default');
});
