import t from 'tap';
import { differingKeys, inspected, jsonRows, pairs, sizeBytes, strMap } from '../../../../controller/modules/docker/cli.js';

t.test('sizes in Docker syntax, on both sides of each unit', async (t) => {
  t.equal(sizeBytes('512'), 512);
  t.equal(sizeBytes('64m'), 64 * 1024 ** 2);
  t.equal(sizeBytes('1g'), 1024 ** 3);
  t.equal(sizeBytes('1GB'), 1024 ** 3);
  t.equal(sizeBytes('1.5k'), 1536);
  t.equal(sizeBytes(4096), 4096);
  t.equal(sizeBytes('lots'), undefined);
  t.equal(sizeBytes('1q'), undefined);
});

t.test('JSON rows: an array, one object per line, or nothing', async (t) => {
  t.same(jsonRows('[{"a":1},{"a":2}]'), [{ a: 1 }, { a: 2 }]);
  t.same(jsonRows('{"a":1}\n{"a":2}\n'), [{ a: 1 }, { a: 2 }]);
  t.same(jsonRows(''), []);
  t.same(jsonRows('garbage\n{"a":1}'), [{ a: 1 }]);
});

t.test('inspect sections: the first object when rc is 0', async (t) => {
  t.same(inspected({ text: '[{"Name":"x"}]', rc: 0 }), { Name: 'x' });
  t.equal(inspected({ text: '[]', rc: 1 }), undefined);
  t.equal(inspected({ text: '[]', rc: 0 }), undefined);
  t.equal(inspected(undefined), undefined);
});

t.test('string maps, k=v pairs and differing keys', async (t) => {
  t.same(strMap({ a: 1, b: true, c: 'x' }), { a: '1', b: 'True', c: 'x' }, 'booleans as Ansible renders them');
  t.same(strMap(undefined), {});
  t.same(pairs({ b: '2', a: '1' }), ['a=1', 'b=2']);
  t.same(differingKeys({ a: '1', b: '2' }, { a: '1', b: '3', c: '4' }), ['b']);
  t.same(differingKeys({ a: '1' }, null), ['a']);
});
