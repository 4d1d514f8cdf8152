/** Manifests as multi-document YAML, warnings first as comments, so the output still applies with kubectl. */
import { stringify } from 'yaml';
import type { Translation } from './manifests.js';

/** The objects as `---`-separated YAML documents, keys in the order they were built. */
export function renderManifests(t: Pick<Translation, 'objects' | 'warnings'>): string {
  const head = t.warnings.map((w) => `# warning: ${w}\n`).join('');
  const docs = t.objects.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`);
  return head + docs.join('');
}
