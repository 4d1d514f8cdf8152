import t from 'tap';
import { createHash } from 'node:crypto';
import { ifNoneMatchHits, reportEtag, TAG_CHARS, type TaggableReport } from '../../../agent/api/report-etag.js';
import type { HardwareReport } from '../../../agent/report/hardware.js';
import { containerReport, sampleReport } from '../sample-report.js';

const HARDWARE: HardwareReport = {
  manufacturer: 'Raspberry Pi Foundation',
  systemModel: 'Raspberry Pi 4 Model B Rev 1.4',
  virtual: false,
  cpu: { manufacturer: 'ARM', brand: 'Cortex-A72', speedGHz: 1.8, speedMaxGHz: 1.8, cores: 4, physicalCores: 4 },
  temperatures: { mainC: 48.7, maxC: 48.7, coresC: [], chipsetC: null },
  collectedAt: '2026-01-02T03:00:00.000Z',
  ageS: 245,
};

/** The sample report as the agent serves it: with a hardware section. */
function served(hardware: Partial<HardwareReport> = {}): TaggableReport {
  return { ...sampleReport(), hardware: { ...HARDWARE, ...hardware } } as TaggableReport;
}

t.test('the tag is a quoted, 22-character base64url prefix of the SHA-256 of the JSON', async (t) => {
  const tag = reportEtag(served());
  t.match(tag, /^"[A-Za-z0-9_-]{22}"$/);
  t.equal(TAG_CHARS, 22);
  // Without a hardware section there is nothing to leave out: the hash is of the report's JSON as it is.
  const plain = sampleReport();
  const digest = createHash('sha256').update(JSON.stringify(plain)).digest('base64url');
  t.equal(reportEtag(plain), `"${digest.slice(0, 22)}"`);
  t.equal(reportEtag({ ...plain, hardware: null } as TaggableReport), reportEtag({ ...plain, hardware: null } as TaggableReport), 'a null section');
});

t.test('equal reports and reports differing only in hardware.ageS share a tag', async (t) => {
  const base = reportEtag(served());
  const rows: [string, TaggableReport][] = [
    ['the same report built again', served()],
    ['ageS one second later', served({ ageS: 246 })],
    ['ageS zero', served({ ageS: 0 })],
    ['ageS null', served({ ageS: null })],
    ['ageS absent', served({ ageS: undefined })],
  ];
  for (const [why, report] of rows) t.equal(reportEtag(report), base, why);
  t.not(base, reportEtag(sampleReport()), 'but the hardware section itself counts');
});

t.test('any other field that differs changes the tag', async (t) => {
  const base = reportEtag(served());
  const s = sampleReport();
  const rows: [string, TaggableReport][] = [
    ['collectedAt', { ...served(), collectedAt: '2026-01-02T03:04:15.000Z' }],
    ['a container state', { ...served(), containers: [containerReport({ state: 'exited' }), s.containers[1]] }],
    ['a container restart count', { ...served(), containers: [containerReport({ restarts: 3 }), s.containers[1]] }],
    ['reconcile.lastAction', { ...served(), reconcile: { ...s.reconcile, lastAction: 'stop web_cache.1' } }],
    ['reconcile.converged', { ...served(), reconcile: { ...s.reconcile, converged: false } }],
    ['availability', { ...served(), node: { ...s.node, available: false, availability: 'drain' } }],
    ['node load', { ...served(), node: { ...s.node, load: [0.08, 0.12, 0.11] } }],
    ['hardware.collectedAt', served({ collectedAt: '2026-01-02T03:05:00.000Z' })],
    ['a temperature', served({ temperatures: { ...HARDWARE.temperatures!, mainC: 49.2 } })],
    ['a hardware error', served({ error: 'systeminformation timed out' })],
    ['an ageS at the top level is not the hardware one', { ...served(), ageS: 1 } as TaggableReport],
  ];
  const seen = new Set([base]);
  for (const [why, report] of rows) {
    const tag = reportEtag(report);
    t.not(tag, base, why);
    seen.add(tag);
  }
  t.equal(seen.size, rows.length + 1, 'each change has a tag of its own');
});

t.test('tagging does not change the report', async (t) => {
  const report = served();
  reportEtag(report);
  t.same(report, served(), 'hardware.ageS still there');
});

t.test('If-None-Match against a tag (weak comparison)', async (t) => {
  const tag = '"abcDEF012_-xyz"';
  const rows: [string, string | string[] | undefined, boolean][] = [
    ['exact', '"abcDEF012_-xyz"', true],
    ['weak form of the tag', 'W/"abcDEF012_-xyz"', true],
    ['star', '*', true],
    ['star with spaces', '  *  ', true],
    ['in a list, first', '"abcDEF012_-xyz", "other"', true],
    ['in a list, last', '"other","x", W/"abcDEF012_-xyz"', true],
    ['list with tabs and spaces', '\t"other" ,\t"abcDEF012_-xyz"\t', true],
    ['list with empty elements', ', ,"abcDEF012_-xyz",,', true],
    ['two header lines', ['"other"', '"abcDEF012_-xyz"'], true],
    ['a tag holding a comma, then ours', '"a,b", "abcDEF012_-xyz"', true],
    ['missing', undefined, false],
    ['empty', '', false],
    ['only spaces', '   ', false],
    ['only commas', ', ,', false],
    ['another tag', '"abcDEF012_-xyZ"', false],
    ['a prefix of the tag', '"abcDEF012_-xy"', false],
    ['a list without it', '"one", W/"two"', false],
    ['no quotes', 'abcDEF012_-xyz', false],
    ['lower-case weak prefix', 'w/"abcDEF012_-xyz"', false],
    ['space after W/', 'W/ "abcDEF012_-xyz"', false],
    ['unclosed quote', '"abcDEF012_-xyz', false],
    ['two tags without a comma', '"other" "abcDEF012_-xyz"', false],
    ['a malformed element beside ours', '"abcDEF012_-xyz", bad', false],
    ['star inside a list', '*, "other"', false],
    ['a space inside the quotes', '"abcDEF012_ -xyz"', false],
    ['a control character', '"abc\u0001"', false],
    ['a tag with a comma inside is one tag', '"abcDEF012_-xyz,x"', false],
  ];
  for (const [why, header, hit] of rows) t.equal(ifNoneMatchHits(header, tag), hit, why);
});

t.test('If-None-Match against a weak tag compares the opaque part', async (t) => {
  t.equal(ifNoneMatchHits('"v1"', 'W/"v1"'), true);
  t.equal(ifNoneMatchHits('W/"v1"', 'W/"v1"'), true);
  t.equal(ifNoneMatchHits('"v2"', 'W/"v1"'), false);
});

t.test('a long hostile header is answered quickly and does not match', async (t) => {
  const started = process.hrtime.bigint();
  t.equal(ifNoneMatchHits(`${'"a", '.repeat(20000)}"b`, '"b"'), false, 'unclosed last tag');
  t.equal(ifNoneMatchHits(`${' '.repeat(50000)}x`, '"b"'), false, 'spaces then junk');
  t.equal(ifNoneMatchHits(`${'"a",'.repeat(20000)}"b"`, '"b"'), true, 'a long list still matches');
  t.ok(Number(process.hrtime.bigint() - started) / 1e6 < 500, 'within half a second');
});
