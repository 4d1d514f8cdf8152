/** DNS names, label validity and quantities: both sides of each limit. */
import t from 'tap';
import { dnsName, splitLabels, validLabelKey, validLabelValue } from '../../../../controller/engines/k8s/names.js';
import { cpuQuantity, memoryQuantity } from '../../../../controller/engines/k8s/quantity.js';

t.test('dnsName: lower case, _ and . as -, 63 characters at most, a letter first', async (t) => {
  t.equal(dnsName('My_App.v2'), 'my-app-v2');
  t.equal(dnsName(`a${'b'.repeat(62)}`), `a${'b'.repeat(62)}`);
  t.equal(dnsName(`a${'b'.repeat(63)}`), undefined, '64 characters');
  t.equal(dnsName('9lives'), undefined);
  t.equal(dnsName('web-'), undefined, 'ends with -');
  t.equal(dnsName('w'), 'w');
});

t.test('labels: keys with and without prefix, values up to 63 characters', async (t) => {
  t.ok(validLabelKey('zone'));
  t.ok(validLabelKey('muster.memory-enforced'));
  t.ok(validLabelKey('example.com/tier'));
  t.notOk(validLabelKey('Example.com/tier'), 'the prefix is lower case');
  t.notOk(validLabelKey('bad key'));
  t.notOk(validLabelKey(`${'a'.repeat(64)}`));
  t.ok(validLabelKey(`${'a'.repeat(63)}`));
  t.ok(validLabelValue(''));
  t.ok(validLabelValue('v'.repeat(63)));
  t.notOk(validLabelValue('v'.repeat(64)));
  t.notOk(validLabelValue('-v'));
  t.same(splitLabels({ a: 'b', 'c d': 'e', f: 'g h' }), { labels: { a: 'b' }, annotations: { f: 'g h' }, moved: ['f'], invalid: ['c d'] });
});

t.test('quantities: exact binary units, else bytes; CPUs whole or in millicores, rounded up', async (t) => {
  t.equal(memoryQuantity(256 * 2 ** 20), '256Mi');
  t.equal(memoryQuantity(2 ** 30), '1Gi');
  t.equal(memoryQuantity(1536 * 2 ** 10), '1536Ki');
  t.equal(memoryQuantity(2 ** 40 * 2), '2Ti');
  t.equal(memoryQuantity(1023), '1023');
  t.equal(memoryQuantity(1025), '1025');
  t.equal(cpuQuantity(2), '2');
  t.equal(cpuQuantity(0.5), '500m');
  t.equal(cpuQuantity(0.0001), '1m', 'under 1m is 1m');
  t.equal(cpuQuantity(1.25), '1250m');
});
