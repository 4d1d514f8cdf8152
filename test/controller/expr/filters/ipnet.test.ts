import t from 'tap';
import { ipText, parseAddress, parseNet } from '../../../../controller/expr/filters/ipnet.js';

t.test('addresses print as netaddr prints them', async (t) => {
  const cases: [string, string][] = [
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['::10.0.0.1', '::10.0.0.1'],
    ['FE80::A', 'fe80::a'],
  ];
  for (const [input, want] of cases) {
    const a = parseAddress(input);
    t.ok(a, input);
    if (a) t.equal(ipText(a.version, a.ip), want, input);
  }
  t.equal(parseNet('10.1/16')?.ip, parseAddress('10.1.0.0')?.ip, 'a partial IPv4 address fills with zeros');
  t.equal(parseNet('10.0.0.0/33'), undefined, 'the prefix is at most 32');
  t.equal(parseNet('10.0.0.0/255.0.255.0'), undefined, 'a mask with a hole is neither netmask nor hostmask');
  t.equal(parseAddress('1:2:3:4:5:6:7:8:9'), undefined);
  t.equal(parseAddress('1::2::3'), undefined);
  t.equal(parseAddress('256.1.1.1'), undefined);
});
