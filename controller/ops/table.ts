/** Plain text tables for the inspect commands: a header, columns padded to their widest cell. Pure. */

/** Pure: rows under a header, two spaces between columns, no trailing blanks; every line ends with a newline. */
export function renderTable(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map(
      (r) =>
        `${r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}
