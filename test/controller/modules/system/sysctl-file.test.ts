import t from 'tap';
import { fileValue, sameValue, setSysctl, sysctlValue } from '../../../../controller/modules/system/sysctl-file.js';

t.test('fileValue: last entry wins, comments ignored', async (t) => {
  const text = '# net.ipv4.ip_forward=9\nnet.ipv4.ip_forward = 0\n; x=1\nvm.swappiness=10\nnet.ipv4.ip_forward=1\n';
  t.equal(fileValue(text, 'net.ipv4.ip_forward'), '1');
  t.equal(fileValue(text, 'vm.swappiness'), '10');
  t.equal(fileValue(text, 'x'), undefined);
});

t.test('sameValue ignores spacing between words', async (t) => {
  t.ok(sameValue('4096\t87380   6291456', '4096 87380 6291456'));
  t.notOk(sameValue('1', '0'));
  t.notOk(sameValue(undefined, '1'));
});

t.test('setSysctl fixture table', async (t) => {
  const table: [string, string, string | undefined, string][] = [
    ['', 'vm.swappiness', '10', 'vm.swappiness=10\n'],
    ['# c\n\nvm.swappiness = 60\n', 'vm.swappiness', '10', '# c\n\nvm.swappiness=10\n'],
    ['a=1\nvm.swappiness=60\nb = 2\nvm.swappiness=70', 'vm.swappiness', '10', 'a=1\nvm.swappiness=10\nb=2\n'],
    ['a=1\nvm.swappiness=60\n', 'vm.swappiness', undefined, 'a=1\n'],
    ['a=1\n', 'vm.swappiness', undefined, 'a=1\n'],
    ['vm.swappiness=60\n', 'vm.swappiness', undefined, ''],
  ];
  for (const [before, key, value, after] of table) t.equal(setSysctl(before, key, value), after, JSON.stringify(before));
});

t.test('sysctlValue turns booleans into 1/0', async (t) => {
  const table: [unknown, string][] = [
    [true, '1'],
    [false, '0'],
    ['yes', '1'],
    ['Off', '0'],
    [' 10 ', '10'],
    [2, '2'],
    [undefined, ''],
  ];
  for (const [v, want] of table) t.equal(sysctlValue(v), want, String(v));
});
