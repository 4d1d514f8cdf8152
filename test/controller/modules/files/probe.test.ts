/**
 * The probes and command scripts: their output parsed, and every script checked with dash when it is
 * installed (to catch bash-isms). local-files and local-transfers run the modules for real.
 */
import { spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { modules } from '../../../../controller/modules/files/index.js';
import { copyProbe } from '../../../../controller/modules/files/copy.js';
import { downloadScript, getUrlProbe } from '../../../../controller/modules/files/get_url.js';
import { fetchProbe } from '../../../../controller/modules/files/fetch.js';
import { parseStat, probeFailure, probeLines, statLine } from '../../../../controller/modules/files/probe.js';
import { compareScript, tarCall, unarchiveProbe } from '../../../../controller/modules/files/unarchive.js';
import type { Args } from '../../../../controller/modules/types.js';
import { runSh, SHELL } from './helpers.js';
import { mod, mode, scratch } from './local-run.js';

const p = scratch(t);
const root = p();
t.comment(`shell: ${SHELL}`);

t.test('probe output parsing', async (t) => {
  const lines = probeLines('a 1\nmissing /x\nmissing /x/y\nflag\n\nsp a b  c\n');
  t.same(
    [...lines.entries()],
    [
      ['a', ['1']],
      ['missing', ['/x', '/x/y']],
      ['flag', ['']],
      ['sp', ['a b  c']],
    ],
  );
  t.equal(parseStat('-'), undefined);
  t.equal(parseStat('81a4|0|0'), undefined, 'too few fields');
  t.equal(parseStat('zz|0|0|a|b|1|2|3|4|5|6|7'), undefined, 'not hex');
  t.equal(probeFailure({ rc: 0, stdout: '', stderr: 'noise' }), undefined);
  t.equal(probeFailure({ rc: 2, stdout: '', stderr: 'a\nb\nc\nd' }), 'could not read the state of the host (rc 2): b\nc\nd');
});

t.test('every probe and command script parses with dash -n', async (t) => {
  const args = {
    path: "/tmp/it's here",
    dest: '/tmp/d',
    src: '/tmp/s.tar.gz',
    state: 'directory',
    recurse: true,
    follow: true,
    backup: true,
    url: 'https://h/f',
    checksum: `sha256:${'a'.repeat(64)}`,
    creates: '/c',
  };
  const scripts = [
    ...modules.flatMap((m) => ('planned' in m ? [(m as unknown as { planned: { probe(a: Args): { text: string } } }).planned.probe(args)] : [])),
    ...['link', 'hard', 'absent'].map((state) =>
      (mod('file') as unknown as { planned: { probe(a: Args): { text: string } } }).planned.probe({ ...args, state }),
    ),
    copyProbe(args, 'name', '/tmp/src'),
    getUrlProbe(args),
    fetchProbe(args),
    unarchiveProbe(args),
    compareScript(tarCall(args, '/tmp/a'), true, true),
    compareScript(tarCall(args, '/tmp/a'), false, true),
    downloadScript({
      url: 'https://h/f',
      dest: '/d',
      timeout: 5,
      insecure: true,
      headers: ['A: b'],
      mode: 0o644,
      owner: 'x',
      attrFix: [],
      checksum: { algo: 'sha256', hex: 'ab' },
    }),
  ];
  t.ok(scripts.length >= 15);
  for (const s of scripts) {
    const r = spawnSync(SHELL, ['-n', '-c', s.text]);
    t.equal(r.status, 0, `${s.text.slice(0, 60)}... ${r.stderr.toString()}`);
  }
});

t.test('statLine prints what parseStat reads, for files, dirs, links and missing paths', async (t) => {
  writeFileSync(p('s.txt'), 'hello');
  symlinkSync(p('s.txt'), p('s.lnk'));
  const script = [
    statLine('f', p('s.txt'), false),
    statLine('d', root, false),
    statLine('l', p('s.lnk'), false),
    statLine('lf', p('s.lnk'), true),
    statLine('m', p('none'), true),
  ];
  const r = await runSh({ text: script.map((s) => s.text).join('\n'), shown: '' } as never);
  t.equal(r.rc, 0, r.stderr);
  const lines = probeLines(r.stdout);
  t.match(parseStat(lines.get('f')?.[0]), { kind: 'file', size: 5, mode: mode(p('s.txt')), uid: process.getuid?.() });
  t.match(parseStat(lines.get('d')?.[0]), { kind: 'directory' });
  t.match(parseStat(lines.get('l')?.[0]), { kind: 'link' });
  t.match(parseStat(lines.get('lf')?.[0]), { kind: 'file', size: 5 });
  t.equal(lines.get('m')?.[0], '-');
});
