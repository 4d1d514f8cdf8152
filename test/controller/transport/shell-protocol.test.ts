import t from 'tap';
import { encodeRequest, ReplyReader, shellCommand, shellLoop, SHELL_TAG, timeoutArg, type ShellFrame } from '../../../controller/transport/shell-protocol.js';

t.test('encodeRequest: header with lengths and timeout, then script and stdin bytes', async (t) => {
  const cases: [string, Parameters<typeof encodeRequest>[0], Buffer][] = [
    ['no stdin, no timeout', { id: 1, script: Buffer.from('echo hi') }, Buffer.from('1 7 0 -\necho hi')],
    ['empty stdin', { id: 2, script: Buffer.from('cat'), stdin: Buffer.alloc(0) }, Buffer.from('2 3 0 -\ncat')],
    [
      'binary stdin',
      { id: 3, script: Buffer.from('cat'), stdin: Buffer.from([0, 10, 255]) },
      Buffer.concat([Buffer.from('3 3 3 -\ncat'), Buffer.from([0, 10, 255])]),
    ],
    ['multi-byte script counts bytes', { id: 4, script: Buffer.from('echo é') }, Buffer.from('4 7 0 -\necho é')],
    ['timeout in seconds', { id: 5, script: Buffer.from('x'), timeoutMs: 1500 }, Buffer.from('5 1 0 1.5\nx')],
    ['zero timeout is none', { id: 6, script: Buffer.from('x'), timeoutMs: 0 }, Buffer.from('6 1 0 -\nx')],
  ];
  for (const [name, req, want] of cases) t.same(encodeRequest(req), want, name);
});

t.test('timeoutArg: milliseconds as timeout(1) seconds, never zero (0 would mean no timeout)', async (t) => {
  const cases: [number, string][] = [
    [30_000, '30'],
    [500, '0.5'],
    [1, '0.001'],
    [0.2, '0.001'],
    [1234.5, '1.235'],
  ];
  for (const [ms, want] of cases) t.equal(timeoutArg(ms), want, `${ms} ms`);
});

const reply = (id: number, rc: number, out: string | Buffer, err: string | Buffer): Buffer => {
  const o = Buffer.from(out);
  const e = Buffer.from(err);
  return Buffer.concat([Buffer.from(`#MUSTER ${id} ${rc} ${o.length} ${e.length}\n`), o, e]);
};
const stream = Buffer.concat([
  Buffer.from('#MUSTER-READY\n#MUSTER-START 1\n'),
  reply(1, 0, 'out\n', ''),
  Buffer.from('#MUSTER-START 2\n'),
  reply(2, 7, Buffer.from([0, 10, 255, 35]), 'err\n#MUSTER 9 9 9 9\n'),
  Buffer.from('#MUSTER-START 3\n'),
  reply(3, 0, '', ''),
]);
const want = [
  { kind: 'ready' },
  { kind: 'start', id: 1 },
  { kind: 'reply', id: 1, rc: 0, stdout: Buffer.from('out\n'), stderr: Buffer.alloc(0) },
  { kind: 'start', id: 2 },
  { kind: 'reply', id: 2, rc: 7, stdout: Buffer.from([0, 10, 255, 35]), stderr: Buffer.from('err\n#MUSTER 9 9 9 9\n') },
  { kind: 'start', id: 3 },
  { kind: 'reply', id: 3, rc: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) },
];

t.test('ReplyReader: the same frames however the stream is split', async (t) => {
  const splits: [string, number[]][] = [
    ['one chunk', []],
    ['byte by byte', Array.from({ length: stream.length - 1 }, (_, i) => i + 1)],
    ['inside a header and inside a body', [5, 20, 40, 41, 60]],
  ];
  for (let cut = 1; cut < stream.length; cut++) splits.push([`cut at ${cut}`, [cut]]);
  for (const [name, cuts] of splits) {
    const reader = new ReplyReader();
    const frames: ShellFrame[] = [];
    let from = 0;
    for (const c of [...cuts, stream.length]) {
      frames.push(...reader.push(stream.subarray(from, c)));
      from = c;
    }
    t.same(frames, want, name);
  }
});

t.test('ReplyReader: bytes that are not ours are an error', async (t) => {
  const bad: [string, string][] = [
    ['stray line', 'hello\n'],
    ['bad header numbers', '#MUSTER 1 x 0 0\n'],
    ['bad start', '#MUSTER-START x\n'],
    ['a long line with no newline', 'x'.repeat(300)],
  ];
  for (const [name, text] of bad) {
    t.throws(() => new ReplyReader().push(Buffer.from(text)), /unexpected output from the shell/, name);
  }
  t.same(new ReplyReader().push(Buffer.from('#MUSTER 1 0 5 0\nab')), [], 'an unfinished body waits for more');
});

t.test('shellCommand: the loop as login user or through passwordless sudo', async (t) => {
  const plain = shellCommand().text;
  const asRoot = shellCommand('root').text;
  t.match(plain, /^sh -c '# muster-shell/);
  t.match(asRoot, /^sudo -H -n -u root -- sh -c '# muster-shell/);
  t.match(shellCommand("we'ird").text, /^sudo -H -n -u 'we'\\''ird' -- sh -c/, 'the user is quoted');
  t.match(shellLoop(), SHELL_TAG);
  t.notMatch(shellLoop(), /\bbash\b|python|\blocal\b/, 'POSIX sh and coreutils only');
});
