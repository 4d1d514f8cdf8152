import t from 'tap';
import { failures, table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('hashing filters', async (t) =>
  table(t, [
    ["'pw' | password_hash('sha512', 'salt')", '$6$rounds=656000$salt$0wckDpDkF0ecZWW.fO5BW87JXu3iSJzQoYIXBqTyfCeptzXRDJA0L8k7aBKFKGTgjuyJ9e6PkIP49zp2T/H26.'],
    ["'pw' | password_hash('sha512', 'salt', rounds=5000)", '$6$salt$AkOOBO38SQQ8T8Q46KuCONe.8zg41nvCDKDq7pVQd2n2hy8sf8aR3G89VY.57up0eSIa/69odCCcLT4hx7FpW/'],
    [
      "'pw' | password_hash('sha512', 'mysecretsalt1234', rounds=10000)",
      '$6$rounds=10000$mysecretsalt1234$GW1LmAfDjJKq3de/y57WAmguKaspUpjB.R51RnaCesU7R3wu.zSC/g5FjynPPz5gG9EH0KBVk4C8kmsk17ILD1',
    ],
    ["'pw' | password_hash('sha256', 'salt', rounds=5000)", '$5$salt$Oo0nc86Ktkc05wTAggFOZIQJhfxhAZY1mlIogZJN.i.'],
    ["'pw' | password_hash('sha256', 'abc', rounds=12345)", '$5$rounds=12345$abc$aq8sQp8CQOlhB6Q3i7irs24Uxve9g03D2xdk4Wn9q68'],
    ["'' | password_hash('sha512', 'salt', rounds=5000)", '$6$salt$r6qPcj2UeIkfklWHvleGJk8OKTInFYR/fxyuwcC656IWiZBpIFZ9.hMRG2ZQnnyMFrKOe461f9iT9Ljn0wJ5l.'],
    [
      "'a much longer password with ünïcödé and more than sixty-four bytes of text in it, yes' | password_hash('sha512', 'x', rounds=1000)",
      '$6$rounds=1000$x$gGE9b0rsQKslxYlOL4oKwGRJy8m.6q83Xxt20lcNmuRVdlWfCcWiqvlA/fQyfxLiNlhS/95DeExCq04jr3lWq0',
    ],
    ["'pw' | password_hash('md5', 'salt')", '$1$salt$IXp9zPHZ94CMcVBXaZFPN/'],
    ["'pw' | password_hash('md5', 'saltsalt')", '$1$saltsalt$6SNdNaZLKst2LlSm7oPPL1'],
    ["'' | password_hash('md5', 'abc')", '$1$abc$Or2rbeUYTvt12aiVzMuS/.'],
    ["'pässword' | password_hash('md5', 'Zz./09')", '$1$Zz./09$1TpQxJ92KMw4HtqOR5P6v0'],
    ["'pw' | password_hash('sha512', salt_size=8, rounds=5000) | length", 98],
    ["'pw' | password_hash('md5') | length", 34],
    ['s | hash', '0a4d55a8d778e5022fab701977c5d840bbc486d0'],
    ["s | hash('md5')", 'b10a8db164e0754105b7a99be72e3fe5'],
    ["s | hash('sha256')", 'a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e'],
    ["s | hash('sha512')", '2c74fd17edafd80e8447b0d46741ee243b7eb74dd2149a0ab1b9246fb30382f27e853d8585719e0e67cbda0daa8f51671064615d645ae27acb15bfb1447f459b'],
    ["s | hash('sha3_256')", 'e167f68d6563d75bb25f3aa49c29ef612d41352dc00606de7cbd630bb2665f51'],
    ["s | hash('blake2b')", '4386a08a265111c9896f56456e2cb61a64239115c4784cf438e36cc851221972da3fb0115f73cd02486254001f878ab1fd126aac69844ef1c1ca152379d0a9bd'],
    ["'example.com' | to_uuid", 'ae780c3a-a3ab-53c2-bfb4-098da300b3fe'],
    ["'x' | to_uuid(namespace='6ba7b810-9dad-11d1-80b4-00c04fd430c8')", '05b16a01-46c6-56dd-bd6e-c6dfb4a1427a'],
  ]),
);

t.test('hashing filters: errors', async (t) =>
  failures(t, [
    ["'pw' | password_hash('md5', 'saltsaltX')", /Could not hash the secret: salt too large \(md5_cry/],
    ["'pw' | password_hash('sha512', 'bad salt')", /Could not hash the secret: invalid characters in s/],
    ["'pw' | password_hash('sha512', 'abcdefghijklmnopq')", /Could not hash the secret: salt too large \(sha512_/],
    ["'pw' | password_hash('sha512', 'salt', rounds=999)", /Could not hash the secret: rounds must be between /],
    ["'pw' | password_hash('md5', 'salt', rounds=5000)", /Could not hash the secret: md5_crypt does not take/],
    ["'pw' | password_hash('nope')", /passlib does not support 'nope' algorithm/],
    ["s | hash('nope')", /unsupported hash type nope/],
    ["'x' | to_uuid(namespace='bad')", /Invalid value 'bad' for 'namespace': badly formed /],
  ]),
);
t.test('password_hash blowfish (bcrypt)', async (t) =>
  table(t, [
    ["'pw' | password_hash('blowfish', '1234567890123456789012')", '$2b$12$123456789012345678901ur8.t6rMyOWgNT79nPonFt8j1PTEo93G'],
    ["'pw' | password_hash('bcrypt', '1234567890123456789012', rounds=4)", '$2b$04$123456789012345678901u5yLyHIE2JetWU67zG7qvtusQ2KIZhAa'],
    ["'pw' | password_hash('blowfish', 'abcdefghijklmnopqrstuv', rounds=5, ident='2a')", '$2a$05$abcdefghijklmnopqrstuuHIrMEWpUCQe2YqFR3sXwQ75u4od..9q'],
    ["'pässwörd' | password_hash('blowfish', 'abcdefghijklmnopqrstuu', rounds=6, ident='2y')", '$2y$06$abcdefghijklmnopqrstuuZRpgtdvy8sTei59Ltc5pdsksVO.fDZe'],
    ["'pw' | password_hash('blowfish', rounds=4) | length", 60],
    ["('x' * 80) | password_hash('blowfish', '1234567890123456789012', rounds=4)", '$2b$04$123456789012345678901uEcbKRRJw4pAJmO1u1x0Xvr7B982j7p2'],
    ["'x' | hash('ripemd160')", '11ff33c6fb942655efb3e30cf4c0fd95f5ef483a'],
  ]),
);

t.test('password_hash blowfish (bcrypt): errors', async (t) =>
  failures(t, [
    ["'pw' | password_hash('blowfish', 'short')", /Could not hash the secret: bcrypt needs a salt of /],
    ["'pw' | password_hash('blowfish', '1234567890123456789012', rounds=3)", /Could not hash the secret: bcrypt rounds \(the cost/],
  ]),
);
