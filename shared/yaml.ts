/**
 * YAML with YAML 1.1 semantics (as Ansible reads it: `0644` is octal, `yes`/`no` are booleans) whose
 * positions survive: every mapping and sequence remembers where it and each of its entries came from.
 */
import { readFileSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type ScalarTag, type Tags } from 'yaml';
import { MusterError, type Pos } from './errors.js';

interface Where {
  self: Pos;
  keys: Map<string | number, Pos>; // position of each key (mappings) or item (sequences)
  values: Map<string | number, Pos>; // position of each value
}

const positions = new WeakMap<object, Where>();

// YAML 1.1 as PyYAML (and so Ansible) reads it: yes/no, true/false, on/off are booleans, but a lone y or n is a string.
const pyBool = (value: boolean, test: RegExp): ScalarTag => ({
  identify: (v) => v === value,
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test,
  resolve: () => value,
});
const boolTags = [pyBool(true, /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/), pyBool(false, /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/)];
const withPyBools = (tags: Tags): Tags => [...boolTags, ...tags.filter((t) => (t as ScalarTag).tag !== 'tag:yaml.org,2002:bool')];

// Compose files as Go's yaml.v3 reads them: YAML 1.2 core (`22:22` and `yes` stay strings), but `0440` is still octal.
const legacyOctal: ScalarTag = {
  identify: (v) => typeof v === 'number' && Number.isInteger(v),
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^0[0-7]+$/,
  resolve: (s) => Number.parseInt(s, 8),
};
const withLegacyOctal = (tags: Tags): Tags => [legacyOctal, ...tags];

/** Whose YAML: Ansible's (YAML 1.1 as PyYAML reads it) or Compose's (YAML 1.2 core as yaml.v3 reads it). */
export type YamlDialect = 'ansible' | 'compose';

/** Position of a mapping/sequence, or of its entry `key` (the key itself with `of: 'key'`). */
export function posOf(obj: unknown, key?: string | number, of: 'key' | 'value' = 'value'): Pos | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const w = positions.get(obj);
  if (!w) return undefined;
  if (key === undefined) return w.self;
  return (of === 'key' ? w.keys.get(key) : w.values.get(key)) ?? w.keys.get(key) ?? w.self;
}

/** Gives `copy` the same recorded positions as `from` (for objects rebuilt from parsed ones). */
export function copyPos<T extends object>(from: object, copy: T): T {
  const w = positions.get(from);
  if (w) positions.set(copy, w);
  return copy;
}

/** Records a position for an object built in code (e.g. a task expanded from `k=v` args). */
export function setPos<T extends object>(obj: T, self: Pos): T {
  if (!positions.has(obj)) positions.set(obj, { self, keys: new Map(), values: new Map() });
  return obj;
}

/** Parses YAML text into plain JS values with positions recorded. Throws MusterError E_YAML. */
export function parseYaml(text: string, file: string, dialect: YamlDialect = 'ansible'): unknown {
  const docs = parseAllYaml(text, file, dialect);
  if (docs.length > 1) {
    throw new MusterError('E_YAML', 'expected one YAML document, found several', {
      pos: { file, line: 1, col: 1 },
      hint: 'remove the extra `---` separators',
    });
  }
  return docs[0] ?? null;
}

/** Parses every document of a YAML stream. */
export function parseAllYaml(text: string, file: string, dialect: YamlDialect = 'ansible'): unknown[] {
  const lc = new LineCounter();
  const rules = dialect === 'compose' ? { version: '1.2' as const, customTags: withLegacyOctal } : { version: '1.1' as const, customTags: withPyBools };
  const docs = parseAllDocuments(text, { ...rules, lineCounter: lc, merge: true, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): Pos => {
    const { line, col } = lc.linePos(offset);
    return { file, line, col };
  };
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc) => {
    const err = doc.errors[0];
    if (err) {
      throw new MusterError('E_YAML', `malformed YAML: ${firstLine(err.message)}`, {
        pos: at(err.pos[0]),
        hint: 'check the indentation and quoting around this line (a value that starts with {{ must be quoted)',
      });
    }
    return toJs(doc.contents as Node | null, at, new Map());
  });
}

/** Reads and parses a YAML file; a missing file is a clear E_FILE error. */
export function loadYamlFile(path: string, display = path): unknown {
  return parseYaml(readText(path, display), display);
}

/** Reads a text file or throws E_FILE naming it. */
export function readText(path: string, display = path): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new MusterError('E_FILE', `cannot read ${display}: ${why}`, { hint: 'check the path' });
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

// Anchors by name: an alias stands for the value of the latest anchor of that name before it (YAML's rule).
function toJs(node: Node | null, at: (o: number) => Pos, anchors: Map<string, unknown>): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    return anchors.get(node.source) ?? null;
  }
  if (isScalar(node)) {
    if (node.anchor) anchors.set(node.anchor, node.value);
    return node.value;
  }
  if (isMap(node)) {
    const obj: Record<string, unknown> = {};
    const where: Where = { self: at(node.range?.[0] ?? 0), keys: new Map(), values: new Map() };
    positions.set(obj, where);
    if (node.anchor) anchors.set(node.anchor, obj);
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      // With `merge: true` the parser gives a merge key the value Symbol('<<').
      const key =
        keyNode && isScalar(keyNode)
          ? typeof keyNode.value === 'symbol'
            ? (keyNode.value.description ?? '')
            : String(keyNode.value)
          : String(toJs(keyNode, at, anchors));
      if (key === '<<') {
        // merge keys: copy entries not already set
        const src = toJs(pair.value as Node, at, anchors);
        for (const s of Array.isArray(src) ? src : [src]) {
          if (s && typeof s === 'object') for (const [k, v] of Object.entries(s)) if (!(k in obj)) obj[k] = v;
        }
        continue;
      }
      const valueNode = pair.value as Node | null;
      obj[key] = toJs(valueNode, at, anchors);
      if (keyNode?.range) where.keys.set(key, at(keyNode.range[0]));
      if (valueNode?.range) where.values.set(key, at(valueNode.range[0]));
    }
    return obj;
  }
  if (isSeq(node)) {
    const arr: unknown[] = [];
    const where: Where = { self: at(node.range?.[0] ?? 0), keys: new Map(), values: new Map() };
    positions.set(arr, where);
    if (node.anchor) anchors.set(node.anchor, arr);
    node.items.forEach((item, i) => {
      arr.push(toJs(item as Node, at, anchors));
      const r = (item as Node | null)?.range;
      if (r) {
        where.keys.set(i, at(r[0]));
        where.values.set(i, at(r[0]));
      }
    });
    return arr;
  }
  return null;
}
