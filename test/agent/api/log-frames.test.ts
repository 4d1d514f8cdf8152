import t from 'tap';
import { Readable } from 'node:stream';
import { FrameDemuxer, demuxTransform } from '../../../agent/api/log-frames.js';
import { frame } from './engine-app.js';

const run = (chunks: Buffer[]): string => {
  const d = new FrameDemuxer();
  return Buffer.concat(chunks.flatMap((c) => d.push(c))).toString();
};

t.test('frames in one chunk', async (t) => {
  const rows: [string, Buffer[], string][] = [
    ['one stdout line', [frame(1, 'hello\n')], 'hello\n'],
    ['stdout then stderr', [Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')])], 'out\nerr\n'],
    ['an empty frame between', [Buffer.concat([frame(1, 'a\n'), frame(1, ''), frame(2, 'b\n')])], 'a\nb\n'],
    ['nothing', [], ''],
    ['an empty chunk', [Buffer.alloc(0)], ''],
    ['a payload holding header-like bytes', [frame(1, Buffer.from([1, 0, 0, 0, 0, 0, 0, 3, 0x41]))], '\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0003A'],
    ['a 70000-byte frame', [frame(1, 'x'.repeat(70_000))], 'x'.repeat(70_000)],
  ];
  for (const [why, chunks, want] of rows) t.equal(run(chunks), want, why);
});

t.test('a stream cut at every byte gives the same text', async (t) => {
  const whole = Buffer.concat([frame(1, 'first line\n'), frame(2, 'an error\n'), frame(1, ''), frame(1, 'last\n')]);
  for (let cut = 0; cut <= whole.length; cut++) {
    t.equal(run([whole.subarray(0, cut), whole.subarray(cut)]), 'first line\nan error\nlast\n', `cut at ${cut}`);
  }
  // one byte at a time
  t.equal(run([...whole].map((b) => Buffer.from([b]))), 'first line\nan error\nlast\n', 'byte by byte');
});

t.test('midFrame tells a cut stream', async (t) => {
  const d = new FrameDemuxer();
  t.equal(d.midFrame, false);
  d.push(frame(1, 'abc').subarray(0, 5));
  t.equal(d.midFrame, true, 'inside a header');
  d.push(frame(1, 'abc').subarray(5, 9));
  t.equal(d.midFrame, true, 'inside a payload');
  d.push(frame(1, 'abc').subarray(9));
  t.equal(d.midFrame, false, 'at a boundary');
});

t.test('the transform streams payloads', async (t) => {
  const whole = Buffer.concat([frame(1, 'a\n'), frame(2, 'b\n')]);
  const out: Buffer[] = [];
  for await (const c of Readable.from([whole.subarray(0, 3), whole.subarray(3, 11), whole.subarray(11)]).pipe(demuxTransform())) out.push(c as Buffer);
  t.equal(Buffer.concat(out).toString(), 'a\nb\n');
});
