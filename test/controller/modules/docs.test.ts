import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { modulesDoc } from '../../../controller/modules/docs.js';
import type { Module } from '../../../controller/modules/types.js';

const page = new URL('../../../docs/modules.md', import.meta.url);

t.test('the page layout, from made-up modules', async (t) => {
  const mods = [
    {
      name: 'zeta',
      args: {},
      checkMode: false,
      async run() {
        return { changed: false };
      },
    },
    {
      name: 'alpha',
      summary: 'Does a | b.',
      args: {
        state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
        _raw_params: { type: 'str' },
        names: { type: 'list', elements: 'str', required: true, aliases: ['name'] },
        password: { type: 'str', secret: true },
      },
      local: true,
      checkMode: true,
      freeForm: true,
      async run() {
        return { changed: false };
      },
    },
  ] as Module[];
  const doc = modulesDoc(mods);
  t.match(doc, /^# Modules\n/);
  t.match(doc, /\| \[alpha\]\(#alpha\) \| Does a \\\| b\. \|\n\| \[zeta\]\(#zeta\) \|  \|/);
  t.match(doc, /## alpha\n\nDoes a \| b\.\n\nruns on the controller; supports check mode; takes a free-form argument\./);
  t.match(
    doc,
    /\| \(free form\) \| str \|.*\n\| `names` \| list of str \| yes \|  \|  \| `name` \|\n\| `password` \| str, secret \|.*\n\| `state` \| str \|  \| `present` \| `present`, `absent` \|  \|/,
  );
  t.match(doc, /## zeta\n\nruns on the host; skipped in check mode\.\n\nNo arguments\.\n$/);
  t.ok(doc.indexOf('## alpha') < doc.indexOf('## zeta'), 'sorted by name');
});

t.test('docs/modules.md is up to date with the registry', async (t) => {
  const want = modulesDoc();
  // MUSTER_WRITE_DOCS=1 rewrites the page (after adding or changing a module) instead of failing.
  if (process.env.MUSTER_WRITE_DOCS === '1') writeFileSync(page, want);
  let have = '';
  try {
    have = readFileSync(page, 'utf8');
  } catch {
    // missing: the comparison below fails with the hint
  }
  t.equal(have, want, 'docs/modules.md differs from modulesDoc(): run MUSTER_WRITE_DOCS=1 npx tap test/controller/modules/docs.test.ts');
  for (const name of ['set_fact', 'wait_for', 'reboot', 'setup', 'meta']) t.match(want, `\n## ${name}\n`);
});
