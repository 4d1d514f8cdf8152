import t from 'tap';
import { modeOf, satisfies } from '../../../../controller/modules/docker/container-options.js';
import {
  commandList,
  deviceSpec,
  durationNs,
  envFileVars,
  healthTest,
  portSpecs,
  shellWords,
  wantedEnv,
} from '../../../../controller/modules/docker/container-values.js';

t.test('shell words: quotes and backslashes as sh splits them, nothing expanded', async (t) => {
  t.same(shellWords(`sh -c 'echo "a b"; exit 1'`), ['sh', '-c', 'echo "a b"; exit 1']);
  t.same(shellWords(`a "b c" d\\ e "" $HOME`), ['a', 'b c', 'd e', '', '$HOME']);
  t.same(shellWords('  '), []);
  t.same(commandList(['x', 'y z']), ['x', 'y z'], 'a list is kept');
  t.equal(commandList(undefined), undefined);
});

t.test('env: the image, then the env file, then env', async (t) => {
  t.same(envFileVars('# c\n\nA=1\n  B=x=y\nnoequals\n'), { A: '1', B: 'x=y' });
  const image = { Config: { Env: ['PATH=/bin', 'A=image'] } };
  t.same(wantedEnv({ env: { B: 2 } }, { image, envFile: 'A=file\nB=file\n' }), { PATH: '/bin', A: 'file', B: '2' });
});

t.test('ports, devices, durations and health tests as Docker stores them', async (t) => {
  t.same(portSpecs(['8080:80', '127.0.0.1:53:53/udp', '9000', '[::1]:81:81']), [':8080:80/tcp', '127.0.0.1:53:53/udp', '::9000/tcp', '::1:81:81/tcp']);
  t.same(portSpecs(['8000-8001:80-81']), [':8000:80/tcp', ':8001:81/tcp']);
  t.equal(deviceSpec('/dev/ttyUSB0'), '/dev/ttyUSB0:/dev/ttyUSB0:rwm');
  t.equal(deviceSpec('/dev/a:/dev/b:r'), '/dev/a:/dev/b:r');
  t.equal(durationNs('1m30s'), 90e9);
  t.equal(durationNs('500ms'), 5e8);
  t.equal(durationNs('10'), 10e9, 'a bare number is seconds');
  t.equal(durationNs('10x'), undefined);
  t.same(healthTest('curl -f x'), ['CMD-SHELL', 'curl -f x']);
  t.same(healthTest(['CMD', 'true']), ['CMD-SHELL', 'true'], 'CMD lists run through the CLI as a shell string');
  t.same(healthTest(['NONE']), ['NONE']);
});

t.test('comparison modes: strict by default, networks allow more, * sets the rest', async (t) => {
  t.equal(modeOf('env', undefined), 'strict');
  t.equal(modeOf('networks', undefined), 'allow_more_present');
  t.equal(modeOf('env', { '*': 'ignore' }), 'ignore');
  t.equal(modeOf('networks', { '*': 'ignore' }), 'allow_more_present', 'the wildcard leaves networks alone');
  t.equal(modeOf('published_ports', { ports: 'ignore' }), 'ignore', 'aliases name the option');
});

t.test('satisfies: each mode on both sides of its limit', async (t) => {
  const d = (o: Record<string, string>) => ({ dict: o });
  t.ok(satisfies(d({ a: '1' }), d({ a: '1' }), 'strict'));
  t.notOk(satisfies(d({ a: '1' }), d({ a: '1', b: '2' }), 'strict'));
  t.ok(satisfies(d({ a: '1' }), d({ a: '1', b: '2' }), 'allow_more_present'));
  t.notOk(satisfies(d({ a: '1' }), d({ a: '2', b: '2' }), 'allow_more_present'));
  t.ok(satisfies({ set: ['a'] }, { set: ['a', 'b'] }, 'allow_more_present'));
  t.notOk(satisfies({ set: ['a'] }, { set: ['a', 'b'] }, 'strict'));
  t.notOk(satisfies({ set: ['c'] }, { set: ['a', 'b'] }, 'allow_more_present'));
  t.ok(satisfies({ list: ['a', 'b'] }, { list: ['a', 'b'] }, 'strict'));
  t.notOk(satisfies({ list: ['b', 'a'] }, { list: ['a', 'b'] }, 'strict'), 'order matters for lists');
  t.ok(satisfies(1, 2, 'ignore'));
  t.notOk(satisfies(1, 2, 'strict'));
});
