/** Python's number formatting and rounding where JavaScript's differs: halves round to even. */

/** `'%.Nf' % x`: like toFixed, but an exact half rounds to the even digit, as Python's formatting does. */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const plain = x.toFixed(digits);
  const long = Math.abs(x).toFixed(Math.min(100, digits + 30));
  const dot = long.indexOf('.');
  const tail = digits === 0 ? long.slice(dot + 1) : long.slice(dot + 1 + digits);
  if (!/^50*$/.test(tail)) return plain;
  // an exact tie: toFixed rounded away from zero; step back when that made the last digit odd
  const kept = long.slice(0, digits === 0 ? dot : dot + 1 + digits);
  const last = Number(kept.at(-1));
  if (last % 2 === 0) return (x < 0 ? '-' : '') + kept;
  return plain;
}

/** Python's round(x): halves go to the even neighbour. */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
