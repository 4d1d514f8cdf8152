// The first action of nextActions by situation: creations, removals, duplicates, replacements, and their order.
import t from 'tap';
import { specHash } from '../../../shared/spec-hash.js';
import { A, A2, B, C, N, NOW, runRows, seen, spec, type Row } from './fixtures.js';

const rows: Row[] = [
  // --- nothing observed
  { name: 'empty and empty: converged', observed: [], desired: [], want: { kind: 'none', converged: true } },
  { name: 'one wanted, none there: create', observed: [], desired: [A], want: { kind: 'create', name: A.name, hash: specHash(A), reason: 'missing' } },
  { name: 'two wanted: create in name order', observed: [], desired: [B, A], want: { kind: 'create', name: A.name } },
  { name: 'create carries the spec', observed: [], desired: [C], want: { kind: 'create', spec: C } },
  // --- all fine
  {
    name: 'running with the right hash: converged',
    observed: [seen(A, 'a1')],
    desired: [A],
    want: { kind: 'none', converged: true, reason: 'converged: 1 container(s) as desired' },
  },
  { name: 'healthy: converged', observed: [seen(A, 'a1', { health: 'healthy' })], desired: [A], want: { kind: 'none', converged: true } },
  { name: 'health starting: left alone', observed: [seen(A, 'a1', { health: 'starting' })], desired: [A], want: { kind: 'none', converged: true } },
  { name: 'paused by someone: left alone', observed: [seen(A, 'a1', { state: 'paused' })], desired: [A], want: { kind: 'none', converged: true } },
  { name: 'restarting by Docker: left alone', observed: [seen(A, 'a1', { state: 'restarting' })], desired: [A], want: { kind: 'none', converged: true } },
  // --- removals
  { name: 'not desired: remove', observed: [seen(A, 'a1')], desired: [], want: { kind: 'remove', id: 'a1', reason: 'not in the desired set' } },
  { name: 'not desired, exited: remove', observed: [seen(A, 'a1', { state: 'exited', exitCode: 0 })], desired: [], want: { kind: 'remove', id: 'a1' } },
  {
    name: 'not desired, already removing: wait',
    observed: [seen(A, 'a1', { state: 'removing' })],
    desired: [],
    want: { kind: 'none', converged: false, wakeAt: NOW + 1000 },
  },
  { name: 'removal before creation', observed: [seen(B, 'b1')], desired: [A], want: { kind: 'remove', id: 'b1' } },
  { name: 'dead: remove, to be created again', observed: [seen(A, 'a1', { state: 'dead' })], desired: [A], want: { kind: 'remove', id: 'a1' } },
  // --- duplicates
  {
    name: 'duplicates of one name: remove the extra, keep the matching one',
    observed: [seen(A, 'a2', { specHash: 'old' }), seen(A, 'a1')],
    desired: [A],
    want: { kind: 'remove', id: 'a2', reason: 'duplicate of a1' },
  },
  {
    name: 'duplicates: keep the running one over an exited one',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, finishedAt: NOW }), seen(A, 'a2')],
    desired: [A],
    want: { kind: 'remove', id: 'a1' },
  },
  {
    name: 'duplicates: same state, keep the newest',
    observed: [seen(A, 'a1', { startedAt: NOW - 5000 }), seen(A, 'a2', { startedAt: NOW - 1000 })],
    desired: [A],
    want: { kind: 'remove', id: 'a1' },
  },
  {
    name: 'duplicates: all equal, keep the smallest id',
    observed: [seen(A, 'a2'), seen(A, 'a1')],
    desired: [A],
    want: { kind: 'remove', id: 'a2' },
  },
  {
    name: 'three copies: the first extra goes first',
    observed: [seen(A, 'a3'), seen(A, 'a1'), seen(A, 'a2')],
    desired: [A],
    want: { kind: 'remove', id: 'a2' },
  },
  {
    name: 'duplicate removal comes before other removals',
    observed: [seen(B, 'b1'), seen(A, 'a1'), seen(A, 'a9')],
    desired: [A],
    want: { kind: 'remove', id: 'a9', reason: 'duplicate of a1' },
  },
  {
    name: 'duplicate being removed: not removed twice',
    observed: [seen(A, 'a1'), seen(A, 'a2', { state: 'removing' })],
    desired: [A],
    want: { kind: 'none', converged: true },
  },
  // --- replacements
  { name: 'spec changed: replace', observed: [seen(A, 'a1')], desired: [A2], want: { kind: 'replace', id: 'a1', hash: specHash(A2), spec: A2 } },
  {
    name: 'no hash label: replace',
    observed: [seen(A, 'a1', { specHash: '' })],
    desired: [A],
    want: { kind: 'replace', id: 'a1', reason: `spec changed (none -> ${specHash(A)})` },
  },
  {
    name: 'changed and exited: replace, not start',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, finishedAt: NOW })],
    desired: [A2],
    want: { kind: 'replace', id: 'a1' },
  },
  { name: 'replace before create', observed: [seen(B, 'b1')], desired: [A, { ...B, cpus: 1 }], want: { kind: 'replace', id: 'b1' } },
  {
    name: 'the only container being removed: wait for it',
    observed: [seen(A, 'a1', { state: 'removing' })],
    desired: [A],
    want: { kind: 'none', converged: false },
  },
  // --- ordering across kinds
  {
    name: 'full picture: duplicate, then undesired, then replace, then create, then start',
    observed: [
      seen(B, 'b1'),
      seen(B, 'b2', { specHash: 'x' }),
      seen(spec('old_x.1'), 'o1'),
      seen(C, 'c1', { specHash: 'x' }),
      seen(A, 'a1', { state: 'created' }),
    ],
    desired: [A, B, C, N],
    want: { kind: 'remove', id: 'b2' },
  },
];

t.test('nextActions: the first action by situation', async (t) => runRows(t, rows));
