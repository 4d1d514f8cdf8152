import t from 'tap';
import { bits, int, oid, time, tlv } from '../../../controller/fleet/der.js';

const hex = (b: Buffer) => b.toString('hex');

t.test('tlv lengths: short form up to 127, long form from 128', async (t) => {
  const rows: [number, string][] = [
    [0, '0400'],
    [127, '047f'],
    [128, '048180'],
    [255, '0481ff'],
    [256, '04820100'],
    [65536, '0483010000'],
  ];
  for (const [n, head] of rows) t.equal(hex(tlv(0x04, Buffer.alloc(n))).slice(0, head.length), head, String(n));
});

t.test('int: minimal, positive', async (t) => {
  const rows: [number | Buffer, string][] = [
    [0, '020100'],
    [1, '020101'],
    [127, '02017f'],
    [128, '02020080'],
    [255, '020200ff'],
    [256, '02020100'],
    [Buffer.from([0, 0, 5]), '020105'],
    [Buffer.from([0x80, 1]), '0203008001'],
    [Buffer.alloc(0), '020100'],
  ];
  for (const [v, want] of rows) t.equal(hex(int(v)), want, String(typeof v === 'number' ? v : hex(v)));
  t.throws(() => int(-1));
  t.throws(() => int(1.5));
});

t.test('oid', async (t) => {
  t.equal(hex(oid('2.5.29.17')), '0603551d11');
  t.equal(hex(oid('1.2.840.10045.4.3.2')), '06082a8648ce3d040302', 'multi-byte arcs');
  t.equal(hex(oid('1.3.6.1.5.5.7.3.1')), '06082b06010505070301');
  t.throws(() => oid('3.1'));
  t.throws(() => oid('1'));
  t.throws(() => oid('1.x'));
});

t.test('time: UTCTime through 2049, GeneralizedTime from 2050', async (t) => {
  t.equal(time(new Date('2049-12-31T23:59:59.900Z')).toString('latin1').slice(2), '491231235959Z');
  t.equal(time(new Date('2049-12-31T23:59:59Z'))[0], 0x17);
  t.equal(time(new Date('2050-01-01T00:00:00Z'))[0], 0x18);
  t.equal(time(new Date('2050-01-01T00:00:00Z')).toString('latin1').slice(2), '20500101000000Z');
  t.equal(time(new Date('1999-05-06T07:08:09Z')).toString('latin1').slice(2), '990506070809Z');
  t.throws(() => time(new Date('1949-12-31T00:00:00Z')));
});

t.test('bits', async (t) => {
  t.equal(hex(bits(Buffer.from([0x06]), 1)), '03020106');
  t.equal(hex(bits(Buffer.from([0xab]))), '030200ab');
  t.throws(() => bits(Buffer.alloc(0), 1));
  t.throws(() => bits(Buffer.from([1]), 8));
});
