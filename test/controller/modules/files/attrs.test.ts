import t from 'tap';
import { describe, finalAttrs, planAttrs, sameId, wantAttrs } from '../../../../controller/modules/files/attrs.js';
import { parseStat } from '../../../../controller/modules/files/probe.js';
import { st } from './helpers.js';

const cur = parseStat(st('file', 0o644, { uid: 1000, gid: 1000, owner: 'pi', group: 'pi' }))!;
const link = parseStat(st('link', 0o777))!;

t.test('planAttrs: only what differs, chown before chmod', async (t) => {
  const cases: [want: Parameters<typeof planAttrs>[1], shown: string[]][] = [
    [{}, []],
    [{ mode: '0644', owner: 'pi', group: 'pi' }, []],
    [{ owner: '1000', group: '1000' }, []],
    [{ owner: 'root' }, ['chown root /f']],
    [{ group: 'adm' }, ['chgrp adm /f']],
    [{ owner: 'root', group: 'root', mode: '0600' }, ['chown root:root /f', 'chmod 0600 /f']],
    [{ mode: 'go-r' }, ['chmod 0600 /f']],
    [{ mode: 'u+r' }, []],
  ];
  for (const [want, shown] of cases)
    t.same(
      planAttrs('/f', want, cur, { umask: 0o022 }).scripts.map((s) => s.shown),
      shown,
      JSON.stringify(want),
    );
  const p = planAttrs('/f', { owner: 'root', mode: '0600' }, cur, { umask: 0o022 });
  t.same(p.before, { owner: 'pi', mode: '0644' });
  t.same(p.after, { owner: 'root', mode: '0600' });
  t.same(
    planAttrs('/l', { owner: 'root', mode: '0600' }, link, { umask: 0o022, noDeref: true }).scripts.map((s) => s.shown),
    [],
    'a link owned by root, mode ignored',
  );
  t.same(
    planAttrs('/l', { owner: 'pi' }, link, { umask: 0o022, noDeref: true }).scripts.map((s) => s.shown),
    ['chown -h pi /l'],
  );
});

t.test('helpers', async (t) => {
  t.ok(sameId('0', 0, 'root'));
  t.ok(sameId('root', 0, 'root'));
  t.notOk(sameId('1000', 0, 'root'));
  t.same(wantAttrs({ mode: '0644', owner: '', group: 'adm' }), { mode: '0644', owner: undefined, group: 'adm' });
  t.same(wantAttrs({ mode: 0o755 }), { mode: '755', owner: undefined, group: undefined });
  t.same(finalAttrs(cur, { owner: 'root' }, 0o600), { mode: '0600', owner: 'root', group: 'pi', gid: 1000 });
  t.same(finalAttrs(undefined, {}, undefined), {});
  t.equal(describe({ path: '/x', state: 'file', mode: undefined }), 'path: /x\nstate: file\n');
});
