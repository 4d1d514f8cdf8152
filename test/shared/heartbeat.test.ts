import t from 'tap';
import { createHmac } from 'node:crypto';
import {
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_MAX_BYTES,
  HEARTBEAT_TTL_MS,
  type Heartbeat,
  heartbeatPacket,
  heartbeatRequestProblem,
  judgeHeartbeat,
  readHeartbeat,
  signedWith,
} from '../../shared/heartbeat.js';

const TOKEN = 'agent-token-0123456789abcdef';
const OTHER = 'agent-token-0123456789abcdeX';
const NONCE = 'n0nce_0123456789-AB';
const HB: Heartbeat = { node: 'pi4-a', nonce: NONCE, seq: 1, tag: '"q3V0aL2m8xYc1Zb7kPnR0w"', state: 'sq3V0aL2m8xYc1Zb7kPnR0w' };

// The wire form written down independently of the code under test: JSON, newline, base64url HMAC-SHA256.
const sign = (body: string, token = TOKEN): string => createHmac('sha256', token).update(body, 'utf8').digest('base64url');
const wire = (body: string, token = TOKEN): Buffer => Buffer.from(`${body}\n${sign(body, token)}`, 'utf8');
const json = (o: Record<string, unknown>): string => JSON.stringify(o);

t.test('the limits are the documented ones', async (t) => {
  t.equal(HEARTBEAT_MAX_BYTES, 512);
  t.equal(HEARTBEAT_TTL_MS, 120_000);
  t.same(HEARTBEAT_INTERVAL_MS, { min: 200, max: 10_000 });
});

t.test('a packet is the JSON, a newline and the HMAC, and reads back signed with the token only', async (t) => {
  const rows: [string, Heartbeat][] = [
    ['a tag', HB],
    ['no tag yet', { ...HB, tag: null }],
    ['an empty tag', { ...HB, tag: '' }],
    ['a tag of 128 characters', { ...HB, tag: 't'.repeat(128) }],
    ['no state tag yet', { ...HB, state: null }],
    ['a state tag of 128 characters', { ...HB, state: 's'.repeat(128) }],
    ['the largest safe seq', { ...HB, seq: Number.MAX_SAFE_INTEGER }],
    ['a node name of 128 characters', { ...HB, node: `a${'b'.repeat(127)}` }],
    ['a node name with . _ -', { ...HB, node: 'pi4.lan_a-1' }],
    ['a one-letter node name', { ...HB, node: 'a' }],
    ['a nonce of 16 characters', { ...HB, nonce: 'A'.repeat(16) }],
    ['a nonce of 64 characters', { ...HB, nonce: '_'.repeat(64) }],
  ];
  for (const [why, hb] of rows) {
    const packet = heartbeatPacket(hb, TOKEN);
    const body = json({ node: hb.node, nonce: hb.nonce, seq: hb.seq, tag: hb.tag, state: hb.state });
    t.same(packet, wire(body), `${why}: the wire form`);
    const read = readHeartbeat(packet);
    if (!read.ok) {
      t.fail(`${why}: ${read.reason}`);
      continue;
    }
    t.same(read.hb, hb, `${why}: read back`);
    t.equal(read.body, body, `${why}: the signed text`);
    t.ok(signedWith(read, TOKEN), `${why}: signed with the token`);
    t.notOk(signedWith(read, OTHER), `${why}: not with another token`);
    const foreign = readHeartbeat(heartbeatPacket(hb, OTHER));
    t.ok(foreign.ok && !signedWith(foreign, TOKEN), `${why}: signed with another token, read but not taken`);
  }
});

t.test('fields other than the four are not part of the packet', async (t) => {
  const packet = heartbeatPacket({ ...HB, extra: 'x' } as Heartbeat, TOKEN);
  t.notMatch(packet.toString(), /extra/);
});

t.test('any flipped bit in the body or the signature makes the datagram unreadable or unsigned', async (t) => {
  const packet = heartbeatPacket(HB, TOKEN);
  const taken: string[] = [];
  for (let i = 0; i < packet.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const flipped = Buffer.from(packet);
      flipped[i] ^= 1 << bit;
      const read = readHeartbeat(flipped);
      if (read.ok && signedWith(read, TOKEN)) taken.push(`byte ${i} bit ${bit}`);
    }
  }
  t.same(taken, [], `all ${packet.length * 8} flips refused`);
  const read = readHeartbeat(packet);
  t.ok(read.ok && signedWith(read, TOKEN), 'the packet itself is taken');
});

t.test('a signature spelled another way for the same bytes is refused (one wire form per heartbeat)', async (t) => {
  // 43 base64url characters carry 258 bits for 256: the last character has 2 bits the decoder ignores.
  const body = json({ ...HB });
  const sig = sign(body);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const taken = [...alphabet].filter((c) => {
    const read = readHeartbeat(Buffer.from(`${body}\n${sig.slice(0, 42)}${c}`));
    return read.ok && signedWith(read, TOKEN);
  });
  t.same(taken, [sig[42]], 'only the canonical last character');
});

t.test('512 bytes is a heartbeat, 513 is not', async (t) => {
  // Spaces after the JSON object pad a correctly signed body to the exact size wanted.
  const sized = (bytes: number): Buffer => {
    const bare = json({ ...HB });
    const body = bare + ' '.repeat(bytes - wire(bare).length);
    return wire(body);
  };
  const at = sized(HEARTBEAT_MAX_BYTES);
  t.equal(at.length, 512);
  const read = readHeartbeat(at);
  t.ok(read.ok && signedWith(read, TOKEN), '512 bytes: read and signed');
  const over = sized(HEARTBEAT_MAX_BYTES + 1);
  t.equal(over.length, 513);
  t.same(readHeartbeat(over), { ok: false, reason: 'larger than 512 bytes' });
});

t.test('a datagram that is not a heartbeat says why', async (t) => {
  const good = { node: HB.node, nonce: HB.nonce, seq: 1, tag: null, state: null } as Record<string, unknown>;
  const body = (over: Record<string, unknown>): Buffer => wire(json({ ...good, ...over }));
  const without = (k: string): Buffer => {
    const o = { ...good };
    delete o[k];
    return wire(json(o));
  };
  const sig = sign(json(good));
  const rows: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /^no signature line$/],
    ['no newline', Buffer.from(json(good)), /^no signature line$/],
    ['a signature of 42 characters', Buffer.from(`${json(good)}\n${sig.slice(0, 42)}`), /^the signature is not a base64url HMAC-SHA256$/],
    ['a signature of 44 characters', Buffer.from(`${json(good)}\n${sig}A`), /signature/],
    ['a padded signature', Buffer.from(`${json(good)}\n${sig}=`), /signature/],
    ['a base64 (not url) signature', Buffer.from(`${json(good)}\n+${sig.slice(1)}`), /signature/],
    ['a trailing newline', Buffer.from(`${json(good)}\n${sig}\n`), /signature/],
    ['a body that is not JSON', wire('{node:1}'), /^the body is not JSON$/],
    ['an empty body', wire(''), /^the body is not JSON$/],
    ['null', wire('null'), /^the body is not an object$/],
    ['an array', wire('[]'), /^the body is not an object$/],
    ['a string', wire('"pi4-a"'), /^the body is not an object$/],
    ['a number', wire('7'), /^the body is not an object$/],
    ['no node', without('node'), /^node: /],
    ['a numeric node', body({ node: 4 }), /^node: /],
    ['an empty node', body({ node: '' }), /^node: /],
    ['a node starting with -', body({ node: '-a' }), /^node: /],
    ['a node with a space', body({ node: 'pi 4' }), /^node: /],
    ['a node of 129 characters', body({ node: `a${'b'.repeat(128)}` }), /^node: /],
    ['no nonce', without('nonce'), /^nonce: /],
    ['a nonce of 15 characters', body({ nonce: 'A'.repeat(15) }), /^nonce: /],
    ['a nonce of 65 characters', body({ nonce: 'A'.repeat(65) }), /^nonce: /],
    ['a nonce with +', body({ nonce: `${'A'.repeat(15)}+` }), /^nonce: /],
    ['no seq', without('seq'), /^seq: /],
    ['seq 0', body({ seq: 0 }), /^seq: /],
    ['seq -1', body({ seq: -1 }), /^seq: /],
    ['seq 1.5', body({ seq: 1.5 }), /^seq: /],
    ['seq as a string', body({ seq: '1' }), /^seq: /],
    ['seq 2^53', body({ seq: 2 ** 53 }), /^seq: /],
    ['no tag', without('tag'), /^tag: /],
    ['a numeric tag', body({ tag: 7 }), /^tag: /],
    ['a tag of 129 characters', body({ tag: 't'.repeat(129) }), /^tag: /],
    ['a numeric state tag', body({ state: 7 }), /^state: /],
    ['a state tag of 129 characters', body({ state: 's'.repeat(129) }), /^state: /],
  ];
  for (const [why, packet, reason] of rows) {
    const read = readHeartbeat(packet);
    t.equal(read.ok, false, why);
    if (!read.ok) t.match(read.reason, reason, why);
  }
  t.ok(readHeartbeat(body({})).ok, 'the good body the rows start from reads');
});

t.test('a heartbeat without a state tag (from an agent before them) reads with state null', async (t) => {
  const body = json({ node: HB.node, nonce: HB.nonce, seq: 2, tag: HB.tag });
  const read = readHeartbeat(wire(body));
  t.ok(read.ok && signedWith(read, TOKEN), 'read and signed');
  t.same(read.ok && read.hb, { ...HB, seq: 2, state: null });
});

t.test('judgeHeartbeat takes only a newer seq of the registration held', async (t) => {
  const rows: [string, Parameters<typeof judgeHeartbeat>[0], number, ReturnType<typeof judgeHeartbeat>][] = [
    ['no registration held', undefined, 1, 'unknown-nonce'],
    ['another nonce', { nonce: 'Z'.repeat(16), seq: 0 }, 1, 'unknown-nonce'],
    ['the first heartbeat (seq 0 held)', { nonce: NONCE, seq: 0 }, 1, 'take'],
    ['seq equal to the last taken (a replay)', { nonce: NONCE, seq: 5 }, 5, 'old'],
    ['seq below the last taken (late)', { nonce: NONCE, seq: 5 }, 4, 'old'],
    ['seq one above', { nonce: NONCE, seq: 5 }, 6, 'take'],
    ['seq far above (datagrams lost between)', { nonce: NONCE, seq: 5 }, 50, 'take'],
  ];
  for (const [why, watch, seq, want] of rows) t.equal(judgeHeartbeat(watch, { ...HB, seq }), want, why);
});

t.test('heartbeatRequestProblem names the field that is wrong, on both sides of each limit', async (t) => {
  const good = { node: 'pi4-a', port: 7946, nonce: NONCE, intervalMs: 1000 };
  const rows: [string, unknown, string | undefined][] = [
    ['a good request', good, undefined],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['an array', [good], ''],
    ['a string', 'pi4-a', ''],
    ['an extra field', { ...good, host: '10.0.0.1' }, 'host'],
    ['an empty object', {}, 'node'],
    ['node missing', { ...good, node: undefined }, 'node'],
    ['node a number', { ...good, node: 4 }, 'node'],
    ['node with a slash', { ...good, node: 'a/b' }, 'node'],
    ['node of 128 characters', { ...good, node: `a${'b'.repeat(127)}` }, undefined],
    ['node of 129 characters', { ...good, node: `a${'b'.repeat(128)}` }, 'node'],
    ['port 0', { ...good, port: 0 }, 'port'],
    ['port 1', { ...good, port: 1 }, undefined],
    ['port 65535', { ...good, port: 65535 }, undefined],
    ['port 65536', { ...good, port: 65536 }, 'port'],
    ['port 80.5', { ...good, port: 80.5 }, 'port'],
    ['port as a string', { ...good, port: '7946' }, 'port'],
    ['port missing', { ...good, port: undefined }, 'port'],
    ['nonce of 15 characters', { ...good, nonce: 'A'.repeat(15) }, 'nonce'],
    ['nonce of 16 characters', { ...good, nonce: 'A'.repeat(16) }, undefined],
    ['nonce of 64 characters', { ...good, nonce: 'A'.repeat(64) }, undefined],
    ['nonce of 65 characters', { ...good, nonce: 'A'.repeat(65) }, 'nonce'],
    ['nonce with =', { ...good, nonce: `${'A'.repeat(16)}=` }, 'nonce'],
    ['nonce a number', { ...good, nonce: 1234567890123456 }, 'nonce'],
    ['intervalMs 199', { ...good, intervalMs: 199 }, 'intervalMs'],
    ['intervalMs 200', { ...good, intervalMs: 200 }, undefined],
    ['intervalMs 10000', { ...good, intervalMs: 10_000 }, undefined],
    ['intervalMs 10001', { ...good, intervalMs: 10_001 }, 'intervalMs'],
    ['intervalMs 500.5', { ...good, intervalMs: 500.5 }, 'intervalMs'],
    ['intervalMs as a string', { ...good, intervalMs: '1000' }, 'intervalMs'],
    ['intervalMs missing', { ...good, intervalMs: undefined }, 'intervalMs'],
  ];
  for (const [why, body, field] of rows) {
    // JSON round trip: the route sees parsed JSON, where an undefined field is a missing one.
    const parsed = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
    const problem = heartbeatRequestProblem(parsed);
    t.equal(problem?.field, field, why);
    if (problem) t.ok(problem.message.length > 10, `${why}: says what it must be (${problem.message})`);
  }
  t.match(heartbeatRequestProblem({ ...good, intervalMs: 199 })?.message, /from 200 to 10000/);
  t.match(heartbeatRequestProblem({ ...good, port: 0 })?.message, /1 to 65535/);
});
