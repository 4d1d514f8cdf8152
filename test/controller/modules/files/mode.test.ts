import t from 'tap';
import { defaultMode, formatMode, octalMode, parseUmask, resolveMode } from '../../../../controller/modules/files/mode.js';

t.test('resolveMode: octal and symbolic modes against a current mode', async (t) => {
  const cases: [spec: string, current: number, isDir: boolean, umask: number, want: number][] = [
    ['0644', 0o600, false, 0o022, 0o644],
    ['644', 0o600, false, 0o022, 0o644],
    ['0o755', 0o600, false, 0o022, 0o755],
    ['1777', 0o755, true, 0o022, 0o1777],
    ['04755', 0o755, false, 0o022, 0o4755],
    ['u+x', 0o644, false, 0o022, 0o744],
    ['u=rw,g=r,o=r', 0o777, false, 0o022, 0o644],
    ['a+X', 0o644, false, 0o022, 0o644], // a file with no x bit gets none
    ['a+X', 0o744, false, 0o022, 0o755],
    ['a+X', 0o644, true, 0o022, 0o755], // directories always get X
    ['u+rwX,g+rX,o-rwx', 0o600, true, 0o022, 0o750],
    ['go-w', 0o666, false, 0o022, 0o644],
    ['+x', 0o644, false, 0o022, 0o755], // no "who": the umask is respected
    ['+w', 0o444, false, 0o022, 0o644],
    ['=r', 0o777, false, 0o000, 0o444],
    ['g=u', 0o640, false, 0o022, 0o660],
    ['u+s', 0o755, false, 0o022, 0o4755],
    ['g+s', 0o755, true, 0o022, 0o2755],
    ['o+t', 0o777, true, 0o022, 0o1777],
    ['u=rwx,g=,o=', 0o755, false, 0o022, 0o700],
  ];
  for (const [spec, current, isDir, umask, want] of cases)
    t.equal(formatMode(resolveMode(spec, current, isDir, umask)), formatMode(want), `${spec} on ${formatMode(current)}${isDir ? ' dir' : ''}`);
});

t.test('resolveMode: bad modes are E_MODULE errors with a hint', async (t) => {
  for (const bad of ['u+q', '0999', 'rw', 'u+rg', '77777', 'x=rw'])
    t.throws(() => resolveMode(bad, 0o644, false, 0o022), { name: 'MusterError', code: 'E_MODULE', hint: /octal/ }, bad);
});

t.test('helpers', async (t) => {
  t.equal(octalMode('u+x'), undefined);
  t.equal(octalMode('0755'), 0o755);
  t.equal(defaultMode(false, 0o022), 0o644);
  t.equal(defaultMode(true, 0o027), 0o750);
  t.equal(parseUmask('0002\n'), 0o002);
  t.equal(parseUmask(undefined), 0o022);
  t.equal(formatMode(0o644), '0644');
  t.equal(resolveMode(0o644 as unknown as string, 0, false, 0), 0o644, 'a number is read as its octal digits');
});
