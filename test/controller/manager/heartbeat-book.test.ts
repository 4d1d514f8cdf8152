/** The manager's heartbeat book: which datagrams it takes, what it says was heard, and when it asks again. */
import t from 'tap';
import { ASK_AGAIN_MS, HeartbeatBook } from '../../../controller/manager/heartbeat-book.js';
import { HEARTBEAT_TTL_MS, heartbeatPacket } from '../../../shared/heartbeat.js';

const TOKEN = 'a-token-of-node-one-0123456789';
const tokens: Record<string, string> = { n1: TOKEN, n2: 'the-token-of-node-two-987654321' };
const tokenOf = (node: string) => tokens[node];
const NONCE = 'nonce-one-0123456789';
const beat = (seq: number, o: { node?: string; nonce?: string; tag?: string | null; state?: string | null; token?: string } = {}) =>
  heartbeatPacket(
    { node: o.node ?? 'n1', nonce: o.nonce ?? NONCE, seq, tag: o.tag === undefined ? '"t1"' : o.tag, state: o.state === undefined ? 's1' : o.state },
    o.token ?? TOKEN,
  );

t.test('takes only signed datagrams of the registration asked for, each newer than the last', async (t) => {
  const book = new HeartbeatBook();
  t.equal(book.take(beat(1), tokenOf, 1000), 'unknown-nonce', 'nothing asked yet');
  book.asked('n1', NONCE, 1000);
  t.equal(book.take(beat(1), tokenOf, 1100), 'taken');
  t.same(book.heard('n1', 1100, 1500), { at: 1100, tag: '"t1"', state: 's1' });
  t.equal(book.take(beat(1), tokenOf, 1200), 'old', 'the same datagram again (a replay)');
  t.equal(book.take(beat(3, { tag: '"t2"', state: 's2' }), tokenOf, 1300), 'taken', 'a gap is fine: UDP loses datagrams');
  t.equal(book.take(beat(2), tokenOf, 1400), 'old', 'one that arrives late is not taken');
  t.same(book.heard('n1', 1400, 1500), { at: 1300, tag: '"t2"', state: 's2' });
  t.equal(book.take(beat(4, { token: tokens.n2 }), tokenOf, 1500), 'bad-signature', "signed with another node's token");
  t.equal(book.take(beat(4, { nonce: 'another-nonce-0123456' }), tokenOf, 1500), 'unknown-nonce', 'an old registration');
  t.equal(book.take(beat(4, { node: 'n9' }), tokenOf, 1500), 'unknown-node', 'not in the inventory');
  t.match(book.take(Buffer.from('hello'), tokenOf, 1500), /^malformed: /);
  book.asked('n1', 'nonce-two-0123456789', 2000);
  t.equal(book.take(beat(5), tokenOf, 2100), 'unknown-nonce', 'a new registration ends the old one');
  t.equal(book.take(beat(1, { nonce: 'nonce-two-0123456789', tag: null, state: null }), tokenOf, 2100), 'taken', 'and counts from 1');
  t.same(book.heard('n1', 2100, 1500), { at: 2100, tag: null, state: null });
  t.same(Object.fromEntries(book.counts), { 'unknown-nonce': 3, taken: 3, old: 2, 'bad-signature': 1, 'unknown-node': 1, malformed: 1 });
});

t.test('heard: within the window and not after it', async (t) => {
  const book = new HeartbeatBook();
  book.asked('n1', NONCE, 0);
  t.equal(book.heard('n1', 0, 1500), undefined, 'asked, not heard');
  book.take(beat(1), tokenOf, 10_000);
  t.ok(book.heard('n1', 11_500, 1500), 'at the edge of the window');
  t.equal(book.heard('n1', 11_501, 1500), undefined, 'past it');
  t.equal(book.heard('n2', 10_000, 1500), undefined, 'another node');
});

t.test('askDue: never asked; half the registration life; quiet and not asked lately', async (t) => {
  const book = new HeartbeatBook();
  t.ok(book.askDue('n1', 0, 3000), 'never asked');
  book.asked('n1', NONCE, 0);
  t.notOk(book.askDue('n1', ASK_AGAIN_MS - 1, 3000), 'quiet, but asked lately');
  t.ok(book.askDue('n1', ASK_AGAIN_MS, 3000), 'quiet and asked long enough ago: the agent may have restarted');
  book.asked('n1', NONCE, 100_000);
  let seq = 1;
  for (let at = 100_500; at < 100_000 + HEARTBEAT_TTL_MS / 2; at += 1000) book.take(beat(seq++), tokenOf, at);
  t.notOk(book.askDue('n1', 100_000 + ASK_AGAIN_MS, 3000), 'heard lately');
  t.notOk(book.askDue('n1', 100_000 + HEARTBEAT_TTL_MS / 2 - 1, 3000), 'heard, registration young');
  t.ok(book.askDue('n1', 100_000 + HEARTBEAT_TTL_MS / 2, 3000), 'renewed at half its life');
  book.forget('n1');
  t.ok(book.askDue('n1', 100_001, 3000), 'forgotten (the node came back): asked at once');
  t.equal(book.heard('n1', 100_001, 60_000), undefined, 'and not heard until it sends again');
});
