/** A service's devices, read into the stack model. */
import t from 'tap';
import { errorOf, svc, where } from './harness.js';

t.test('devices', async (t) => {
  t.same(svc('image: x\ndevices:\n  - /dev/ttyUSB0\n  - /dev/a:/dev/b\n  - /dev/c:/dev/d:rw\n  - /dev/e:r\n  - source: /dev/f\n    permissions: rwm').devices, [
    { host: '/dev/ttyUSB0', container: '/dev/ttyUSB0' },
    { host: '/dev/a', container: '/dev/b' },
    { host: '/dev/c', container: '/dev/d', permissions: 'rw' },
    { host: '/dev/e', container: '/dev/e', permissions: 'r' },
    { host: '/dev/f', container: '/dev/f', permissions: 'rwm' },
  ]);
  const bad: [string, RegExp, string][] = [
    ['- ttyUSB0', /device path "ttyUSB0" is not absolute/, 'stack.yml:5:9'],
    ['- /dev/a:/dev/b:rx', /"rx" are not device permissions/, 'stack.yml:5:9'],
    ['- /dev/a:/dev/b:rww', /"rww" are not device permissions/, 'stack.yml:5:9'],
    ['- /dev/a:/dev/b:r:x', /is not HOST\[:CONTAINER\[:PERMISSIONS\]\]/, 'stack.yml:5:9'],
    ['- nvidia.com/gpu=all', /CDI device name/, 'stack.yml:5:9'],
    ['- source: /dev/a\n    target: b', /device path "b" is not absolute/, 'stack.yml:6:17'],
  ];
  for (const [body, message, pos] of bad) {
    const e = errorOf(() => svc(`image: x\ndevices:\n  ${body}`));
    t.match(e.message, message);
    t.equal(where(e), pos, body);
  }
});
