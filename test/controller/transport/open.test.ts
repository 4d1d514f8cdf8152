import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Secret, sh } from '../../../controller/command.js';
import type { Vars } from '../../../controller/modules/types.js';
import { LocalTransport } from '../../../controller/transport/local.js';
import { openTransport, type ConnectOptions } from '../../../controller/transport/open.js';
import { SshTransport } from '../../../controller/transport/ssh.js';
import { parseYaml } from '../../../shared/yaml.js';

const opts: ConnectOptions = { knownHostsFiles: [], musterKnownHosts: '/nonexistent/kh', acceptNewHostKeys: false, connectTimeoutMs: 1000 };

t.test('openTransport picks the transport from ansible_connection', async (t) => {
  const cases: [string, Vars, unknown][] = [
    ['web1', {}, SshTransport],
    ['web1', { ansible_connection: 'ssh' }, SshTransport],
    ['web1', { ansible_connection: 'smart' }, SshTransport],
    ['web1', { ansible_connection: 'local' }, LocalTransport],
    ['localhost', {}, LocalTransport],
    ['localhost', { ansible_host: '10.0.0.1' }, SshTransport],
    ['localhost', { ansible_connection: 'ssh' }, SshTransport],
  ];
  for (const [host, vars, cls] of cases) {
    const tr = openTransport(host, vars, opts);
    t.ok(tr instanceof (cls as typeof SshTransport), `${host} ${JSON.stringify(vars)}`);
    t.equal(tr.host, host);
  }
});

t.test('an unknown connection is E_SCHEMA naming the host and pointing at the variable', async (t) => {
  const vars = parseYaml('ansible_host: 10.0.0.1\nansible_connection: docker\n', 'inv.yml') as Vars;
  t.throws(() => openTransport('web1', vars, opts), {
    code: 'E_SCHEMA',
    host: 'web1',
    message: 'host web1: unsupported ansible_connection "docker"',
    hint: 'use one of: ssh, local',
    pos: { file: 'inv.yml', line: 2 },
  });
});

t.test('openTransport does not connect', async (t) => {
  // Port 1 refuses at once: only a connect or an exec would find out.
  const tr = openTransport('web1', { ansible_host: '127.0.0.1', ansible_port: 1 }, opts);
  t.ok(tr instanceof SshTransport);
  await t.rejects(tr.connect(), { code: 'E_UNREACHABLE', message: /connection refused/ });
});

t.test('the become password: ansible_become_password, then -K', async (t) => {
  // A fake sudo that always wants a password and writes down the one it read.
  const bin = mkdtempSync(join(tmpdir(), 'muster-bin-'));
  writeFileSync(
    join(bin, 'sudo'),
    [
      '#!/bin/sh',
      'case " $* " in *" -n "*) echo "sudo: a password is required" >&2; exit 1;; esac',
      'IFS= read -r pw; echo "$pw" >> "$SUDO_LOG"',
      'while [ "$1" != -- ]; do shift; done; shift; exec "$@"',
    ].join('\n'),
  );
  chmodSync(join(bin, 'sudo'), 0o755);
  const saved = { PATH: process.env.PATH, SUDO_LOG: process.env.SUDO_LOG };
  t.teardown(() => Object.assign(process.env, saved));
  Object.assign(process.env, { PATH: `${bin}:${process.env.PATH}`, SUDO_LOG: join(bin, 'log') });

  const k = new Secret('from-K');
  const become = { become: { user: 'nobody' } };
  await openTransport('localhost', { ansible_become_password: 'from-vars' }, { ...opts, becomePassword: k }).exec(sh`true`, become);
  await openTransport('localhost', {}, { ...opts, becomePassword: k }).exec(sh`true`, become);
  await openTransport('localhost', { ansible_become_pass: new Secret('legacy') }, opts).exec(sh`true`, become);
  await openTransport('localhost', {}, { ...opts, becomePassword: k }).exec(sh`true`, { become: { user: 'nobody', password: new Secret('task') } });
  t.equal(readFileSync(join(bin, 'log'), 'utf8'), 'from-vars\nfrom-K\nlegacy\ntask\n');
});
