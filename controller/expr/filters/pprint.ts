/** Python's pprint, as Jinja's pprint filter prints with it. */
import { pyRepr } from '../pystr.js';
import { isDict } from '../values.js';

// Python sorts dict keys in pprint; repr of the sorted form
function sortedRepr(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedRepr).join(', ')}]`;
  if (isDict(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${pyRepr(k)}: ${sortedRepr(v[k])}`)
      .join(', ')}}`;
  return pyRepr(v);
}

// pprint's _pprint_str: a long string is cut after whitespace into adjacent literals, in parentheses at the top
function pformatString(text: string, indent: number, allowance: number, level: number): string {
  const rep = pyRepr(text);
  if (!text) return rep;
  const lines = text.match(/[^]*?(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])|[^]+$/g) ?? [];
  let ind = indent;
  let allow = allowance;
  if (level === 1) [ind, allow] = [ind + 1, allow + 1];
  const maxWidth = 80 - ind;
  let maxWidth1 = maxWidth;
  const chunks: string[] = [];
  lines.forEach((line, i) => {
    const lineRep = pyRepr(line);
    if (i === lines.length - 1) maxWidth1 -= allow;
    if (lineRep.length <= maxWidth1) {
      chunks.push(lineRep);
      return;
    }
    const parts = line.match(/\S*\s*/g) ?? [];
    parts.pop();
    let maxWidth2 = maxWidth;
    let current = '';
    parts.forEach((part, j) => {
      const candidate = current + part;
      if (j === parts.length - 1 && i === lines.length - 1) maxWidth2 -= allow;
      if (pyRepr(candidate).length > maxWidth2) {
        if (current) chunks.push(pyRepr(current));
        current = part;
      } else current = candidate;
    });
    if (current) chunks.push(pyRepr(current));
  });
  if (chunks.length === 1) return rep;
  const body = chunks.join(`\n${' '.repeat(ind)}`);
  return level === 1 ? `(${body})` : body;
}

/** Python's pprint.pformat (width 80, dict keys sorted) for lists, dicts, strings and scalars. */
export function pformat(v: unknown, indent = 0, allowance = 0, level = 0): string {
  const rep = sortedRepr(v);
  if (rep.length <= 80 - indent - allowance) return rep;
  if (typeof v === 'string') return pformatString(v, indent, allowance, level + 1);
  if (Array.isArray(v) && v.length) {
    const inner = indent + 1;
    return `[${v.map((x, i) => pformat(x, inner, i === v.length - 1 ? allowance + 1 : 1, level + 1)).join(`,\n${' '.repeat(inner)}`)}]`;
  }
  if (isDict(v) && Object.keys(v).length) {
    const inner = indent + 1;
    const keys = Object.keys(v).sort();
    return `{${keys
      .map((k, i) => {
        const key = pyRepr(k);
        return `${key}: ${pformat(v[k], inner + key.length + 2, i === keys.length - 1 ? allowance + 1 : 1, level + 1)}`;
      })
      .join(`,\n${' '.repeat(inner)}`)}}`;
  }
  return rep;
}
