import t from 'tap';
import { desiredSetProblem } from '../../../agent/api/check-desired.js';
import { MAX_FILE_BYTES } from '../../../agent/api/schema.js';
import type { ContainerSpec } from '../../../shared/wire.js';
import { AUTH, harness } from './harness.js';

// The extended spec's rules on both sides of each limit: through the API (schema, then check-desired), so
// what is tested is what a controller meets. `undefined` = accepted.
const base: ContainerSpec = { name: 'web_api.1', stack: 'web', service: 'api', replica: 1, image: 'muster-busybox:1' };
const digest = `0123456789ab${'c'.repeat(52)}`;
const secret = { kind: 'secret' as const, name: 'web_db.0123456789ab', digest, target: '/run/secrets/db' };
const n = (count: number, f: (i: number) => unknown) => Array.from({ length: count }, (_, i) => f(i));

const rows: [string, Record<string, unknown>, string | undefined][] = [
  // stop grace period: Docker's StopTimeout, whole seconds
  ['stop grace 0', { stopGraceS: 0 }, undefined],
  ['stop grace 2^31-1', { stopGraceS: 2 ** 31 - 1 }, undefined],
  ['stop grace 2^31', { stopGraceS: 2 ** 31 }, 'containers[0].stopGraceS'],
  ['stop grace -1', { stopGraceS: -1 }, 'containers[0].stopGraceS'],
  ['stop grace 1.5', { stopGraceS: 1.5 }, 'containers[0].stopGraceS'],
  // entrypoint, user, working dir
  ['entrypoint', { entrypoint: ['/bin/sh', '-c'] }, undefined],
  ['entrypoint of 256 words', { entrypoint: n(256, () => 'x') }, undefined],
  ['entrypoint of 257 words', { entrypoint: n(257, () => 'x') }, 'containers[0].entrypoint'],
  ['entrypoint not a list', { entrypoint: 'sh' }, 'containers[0].entrypoint'],
  ['user name', { user: 'nobody' }, undefined],
  ['user uid:gid', { user: '1000:1000' }, undefined],
  ['user with a space', { user: 'no body' }, 'containers[0].user'],
  ['user with two colons', { user: '1:2:3' }, 'containers[0].user'],
  ['working dir /', { workingDir: '/' }, undefined],
  ['working dir /srv/app', { workingDir: '/srv/app' }, undefined],
  ['working dir relative', { workingDir: 'srv' }, 'containers[0].workingDir'],
  ['working dir with ..', { workingDir: '/srv/../etc' }, 'containers[0].workingDir'],
  // mounts
  [
    'a volume, a bind, a tmpfs',
    {
      mounts: [
        { type: 'volume', source: 'web_data', target: '/data' },
        { type: 'bind', source: '/srv', target: '/srv', readOnly: true },
        { type: 'tmpfs', target: '/tmp' },
      ],
    },
    undefined,
  ],
  ['64 mounts', { mounts: n(64, (i) => ({ type: 'tmpfs', target: `/t${i}` })) }, undefined],
  ['65 mounts', { mounts: n(65, (i) => ({ type: 'tmpfs', target: `/t${i}` })) }, 'containers[0].mounts'],
  ['unknown mount type', { mounts: [{ type: 'npipe', source: 'x', target: '/x' }] }, 'containers[0].mounts[0].type'],
  ['mount without target', { mounts: [{ type: 'tmpfs' }] }, 'containers[0].mounts[0].target'],
  ['mount target relative', { mounts: [{ type: 'tmpfs', target: 'tmp' }] }, 'containers[0].mounts[0].target'],
  ['mount target /', { mounts: [{ type: 'tmpfs', target: '/' }] }, 'containers[0].mounts[0].target'],
  ['mount target with ..', { mounts: [{ type: 'tmpfs', target: '/a/../b' }] }, 'containers[0].mounts[0].target'],
  [
    'two mounts on one target',
    {
      mounts: [
        { type: 'tmpfs', target: '/x' },
        { type: 'volume', source: 'v', target: '/x' },
      ],
    },
    'containers[0].mounts[1].target',
  ],
  ['a tmpfs with a source', { mounts: [{ type: 'tmpfs', source: 'x', target: '/x' }] }, 'containers[0].mounts[0].source'],
  ['a volume without a source', { mounts: [{ type: 'volume', target: '/x' }] }, 'containers[0].mounts[0].source'],
  ['a bind from a relative path', { mounts: [{ type: 'bind', source: './data', target: '/x' }] }, 'containers[0].mounts[0].source'],
  ['a volume name with a slash', { mounts: [{ type: 'volume', source: 'a/b', target: '/x' }] }, 'containers[0].mounts[0].source'],
  ['readOnly not a boolean', { mounts: [{ type: 'tmpfs', target: '/x', readOnly: 'yes' }] }, 'containers[0].mounts[0].readOnly'],
  // devices
  ['a device', { devices: [{ host: '/dev/ttyUSB0', container: '/dev/ttyUSB0', permissions: 'rw' }] }, undefined],
  ['a device not under /dev', { devices: [{ host: '/etc/passwd', container: '/dev/x' }] }, 'containers[0].devices[0].host'],
  ['a device escaping /dev', { devices: [{ host: '/dev/../etc/shadow', container: '/dev/x' }] }, 'containers[0].devices[0].host'],
  ['/dev itself', { devices: [{ host: '/dev', container: '/dev/x' }] }, 'containers[0].devices[0].host'],
  ['a device at a relative container path', { devices: [{ host: '/dev/null', container: 'null' }] }, 'containers[0].devices[0].container'],
  [
    'a device given twice',
    {
      devices: [
        { host: '/dev/null', container: '/dev/x' },
        { host: '/dev/zero', container: '/dev/x' },
      ],
    },
    'containers[0].devices[1].container',
  ],
  ['device permissions rwm', { devices: [{ host: '/dev/null', container: '/dev/x', permissions: 'rwm' }] }, undefined],
  ['device permissions rwx', { devices: [{ host: '/dev/null', container: '/dev/x', permissions: 'rwx' }] }, 'containers[0].devices[0].permissions'],
  ['device permissions rwmr', { devices: [{ host: '/dev/null', container: '/dev/x', permissions: 'rwmr' }] }, 'containers[0].devices[0].permissions'],
  // capabilities, privileged
  ['privileged', { privileged: true }, undefined],
  ['privileged "true"', { privileged: 'true' }, 'containers[0].privileged'],
  ['caps as Compose writes them', { capAdd: ['NET_ADMIN', 'cap_sys_time'], capDrop: ['ALL'] }, undefined],
  ['an unknown capability', { capAdd: ['NET_ADMINS'] }, 'containers[0].capAdd[0]'],
  ['a capability with a dash', { capAdd: ['NET-ADMIN'] }, 'containers[0].capAdd[0]'],
  ['an unknown dropped capability', { capDrop: ['CHOWN', 'NOPE'] }, 'containers[0].capDrop[1]'],
  ['added and dropped', { capAdd: ['NET_ADMIN'], capDrop: ['CAP_NET_ADMIN'] }, 'containers[0].capDrop[0]'],
  ['drop ALL, add one back', { capAdd: ['NET_BIND_SERVICE'], capDrop: ['ALL'] }, undefined],
  // networks
  ['network mode host', { networkMode: 'host' }, undefined],
  ['network mode container:x', { networkMode: 'container:x' }, 'containers[0].networkMode'],
  ['network mode with networks', { networkMode: 'bridge', networks: [{ name: 'web_net' }] }, 'containers[0].networkMode'],
  ['host network with ports', { networkMode: 'host', ports: [{ container: 80, host: 80 }] }, 'containers[0].ports'],
  ['networks with aliases', { networks: [{ name: 'web_front', aliases: ['api', 'api-1'] }, { name: 'web_back' }] }, undefined],
  ['16 networks', { networks: n(16, (i) => ({ name: `n${i}` })) }, undefined],
  ['17 networks', { networks: n(17, (i) => ({ name: `n${i}` })) }, 'containers[0].networks'],
  ['a network joined twice', { networks: [{ name: 'web_net' }, { name: 'web_net' }] }, 'containers[0].networks[1].name'],
  ['a network name with a space', { networks: [{ name: 'web net' }] }, 'containers[0].networks[0].name'],
  ['an alias with a space', { networks: [{ name: 'web_net', aliases: ['a b'] }] }, 'containers[0].networks[0].aliases[0]'],
  ['an alias ending with a dash', { networks: [{ name: 'web_net', aliases: ['api-'] }] }, 'containers[0].networks[0].aliases[0]'],
  // extra hosts, ports on one address
  ['extra hosts', { extraHosts: ['db:10.0.0.5', 'v6:fe80::1', 'gw:host-gateway'] }, undefined],
  ['an extra host without address', { extraHosts: ['db'] }, 'containers[0].extraHosts[0]'],
  ['an extra host with a name for address', { extraHosts: ['db:example.org'] }, 'containers[0].extraHosts[0]'],
  ['an extra host written name=ip', { extraHosts: ['db=10.0.0.5'] }, 'containers[0].extraHosts[0]'],
  ['a port on 127.0.0.1', { ports: [{ container: 80, host: 8080, hostIp: '127.0.0.1' }] }, undefined],
  ['a port on a host name', { ports: [{ container: 80, host: 8080, hostIp: 'localhost' }] }, 'containers[0].ports[0].hostIp'],
  // logging
  ['logging', { logging: { driver: 'json-file', options: { 'max-size': '1m' } } }, undefined],
  ['logging without driver', { logging: { options: {} } }, 'containers[0].logging.driver'],
  ['a log option not a string', { logging: { driver: 'local', options: { 'max-file': 3 } } }, 'containers[0].logging.options.max-file'],
  // files
  ['a secret', { files: [secret] }, undefined],
  ['a secret with mode and owner', { files: [{ ...secret, mode: 0o440, uid: 1000, gid: 1000 }] }, undefined],
  ['mode 0777', { files: [{ ...secret, mode: 0o777 }] }, undefined],
  ['mode 01000', { files: [{ ...secret, mode: 0o1000 }] }, 'containers[0].files[0].mode'],
  ['mode -1', { files: [{ ...secret, mode: -1 }] }, 'containers[0].files[0].mode'],
  ['uid 4294967294', { files: [{ ...secret, uid: 4294967294 }] }, undefined],
  ['uid 4294967295', { files: [{ ...secret, uid: 4294967295 }] }, 'containers[0].files[0].uid'],
  ['a file target that is not absolute', { files: [{ ...secret, target: 'db' }] }, 'containers[0].files[0].target'],
  ['a file on a mount target', { mounts: [{ type: 'tmpfs', target: '/run/secrets/db' }], files: [secret] }, 'containers[0].files[0].target'],
  ['two files on one target', { files: [secret, { ...secret, kind: 'config' }] }, 'containers[0].files[1].target'],
  ['a name whose digits are not the digest', { files: [{ ...secret, name: 'web_db.0123456789aa' }] }, 'containers[0].files[0].name'],
  ['a name without digits', { files: [{ ...secret, name: 'web_db' }] }, 'containers[0].files[0].name'],
  ['a digest too short', { files: [{ ...secret, digest: digest.slice(1) }] }, 'containers[0].files[0].digest'],
  ['a digest in capitals', { files: [{ ...secret, digest: digest.toUpperCase() }] }, 'containers[0].files[0].digest'],
  ['an unknown kind', { files: [{ ...secret, kind: 'key' }] }, 'containers[0].files[0].kind'],
  ['content in the desired set', { files: [{ ...secret, data: 'aHVudGVyMg==' }] }, 'containers[0].files[0].data'],
];

t.test('the extended fields, through PUT /v1/desired', async (t) => {
  const { app } = harness(t.testdir());
  let generation = 0;
  for (const [what, more, field] of rows) {
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/desired',
      headers: AUTH,
      payload: { generation: ++generation, containers: [{ ...base, ...more }] },
    });
    if (field === undefined) {
      t.equal(res.statusCode, 200, `${what}: accepted${res.statusCode === 200 ? '' : ` (${res.body})`}`);
    } else {
      t.equal(res.statusCode, 400, `${what}: refused`);
      t.equal(res.json().error.field, field, `${what}: names ${field}`);
      t.ok(res.json().error.message.startsWith(field), `${what}: the message starts with the field (${res.json().error.message})`);
    }
  }
});

t.test('check-desired messages say what to do', async (t) => {
  const problem = (more: Partial<ContainerSpec>) => desiredSetProblem({ generation: 1, containers: [{ ...base, ...more }] });
  t.match(problem({ devices: [{ host: '/etc/passwd', container: '/dev/x' }] }), { message: /must be a device under \/dev\// });
  t.match(problem({ networkMode: 'host', networks: [{ name: 'x' }] }), { message: /network_mode or networks, not both/ });
  t.match(problem({ capAdd: ['NET_ADMINS'] }), { message: /"NET_ADMINS" is not a Linux capability/ });
  t.match(problem({ files: [{ ...secret, name: 'web_db.aaaaaaaaaaaa' }] }), { message: /must end with \.0123456789ab/ });
  t.match(problem({ mounts: [{ type: 'tmpfs', target: '/x' }], files: [{ ...secret, target: '/x' }] }), { message: /\/x is also the target of mounts\[0\]/ });
  t.equal(problem({}), undefined);
  t.equal(MAX_FILE_BYTES, 512 * 1024, 'the documented cap');
});
