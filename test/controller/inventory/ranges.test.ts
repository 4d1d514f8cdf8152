import t from 'tap';
import { MusterError } from '../../../shared/errors.js';
import { expandHostRange, splitHostPort } from '../../../controller/inventory/ranges.js';

const expansions: [string, string[]][] = [
  ['web1', ['web1']],
  ['pi[1:3]', ['pi1', 'pi2', 'pi3']],
  ['pi[01:03]', ['pi01', 'pi02', 'pi03']],
  ['pi[08:11]', ['pi08', 'pi09', 'pi10', 'pi11']],
  ['pi[001:100:33]', ['pi001', 'pi034', 'pi067', 'pi100']],
  ['pi[01:10:2]', ['pi01', 'pi03', 'pi05', 'pi07', 'pi09']],
  ['n[:2]', ['n0', 'n1', 'n2']],
  ['node-[a:d]', ['node-a', 'node-b', 'node-c', 'node-d']],
  ['x[a:e:2]', ['xa', 'xc', 'xe']],
  ['[y:B]', ['y', 'z', 'A', 'B']], // Python's ascii_letters order, as Ansible
  ['10.0.0.[1:2]', ['10.0.0.1', '10.0.0.2']],
  ['db[1:2].example.com', ['db1.example.com', 'db2.example.com']],
  ['r[1:2]-[a:b]', ['r1-a', 'r1-b', 'r2-a', 'r2-b']],
  ['p[0:0]', ['p0']],
];

t.test('ranges expand like Ansible', async (t) => {
  for (const [name, want] of expansions) t.same(expandHostRange(name), want, name);
});

const bad: [string, RegExp][] = [
  ['w[1:]', /has no end/],
  ['w[01:100]', /same width/],
  ['w[c:a]', /begins after it ends/],
  ['w[5:1]', /begins after it ends/],
  ['w[1]', /is not a range/],
  ['w[1:2:3:4]', /is not a range/],
  ['w[1:3:0]', /step "0"/],
  ['w[1:3:x]', /step "x"/],
  ['w[1:x]', /neither numbers nor single letters/],
  ['w[ab:cd]', /neither numbers nor single letters/],
  ['w[1:3', /never closed/],
  ['w[1:99999]', /more than 10000 hosts/],
  ['w[1:200]-[1:200]', /more than 10000 hosts/],
];

t.test('bad ranges throw E_SCHEMA naming the host and a fix', async (t) => {
  for (const [name, msg] of bad) {
    t.throws(() => expandHostRange(name), msg, name);
    try {
      expandHostRange(name);
    } catch (e) {
      t.ok(e instanceof MusterError && e.code === 'E_SCHEMA' && e.message.includes(name) && e.hint, `${name}: code, name, hint`);
    }
  }
});

const ports: [string, { pattern: string; port?: number }][] = [
  ['web1', { pattern: 'web1' }],
  ['web1:2222', { pattern: 'web1', port: 2222 }],
  ['10.0.0.1:22', { pattern: '10.0.0.1', port: 22 }],
  ['pi[1:3]', { pattern: 'pi[1:3]' }],
  ['pi[1:3]:2200', { pattern: 'pi[1:3]', port: 2200 }],
  ['pi[01:10:2]', { pattern: 'pi[01:10:2]' }],
  ['fe80::1', { pattern: 'fe80::1' }],
  ['::1', { pattern: '::1' }],
  ['[::1]', { pattern: '::1' }],
  ['[fe80::1]:2222', { pattern: 'fe80::1', port: 2222 }],
];

t.test('a :port suffix is split off; ranges and IPv6 keep their colons', async (t) => {
  for (const [spec, want] of ports) t.same(splitHostPort(spec), want, spec);
});
