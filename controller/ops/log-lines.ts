/**
 * Log text from many replicas, interleaved by line as it comes: each replica's chunks are cut at newlines, a
 * partial line waits for its end (or the end of the stream), and every line gets its prefix
 * `web.3@node-1 | `, as `docker service logs` writes. Pure.
 */

/** Pure: `web.3@h01` (`web@h01` for a global service's replica). */
export function logPrefix(replica: string, node: string): string {
  return `${replica}@${node} | `;
}

/** Cuts one replica's chunks into whole prefixed lines. */
export class LineSplitter {
  private rest = '';

  constructor(private readonly prefix: string) {}

  /** The whole lines in `chunk` (with what was held back before), prefixed, each ending with a newline. */
  push(chunk: string): string {
    const text = this.rest + chunk;
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      this.rest = text;
      return '';
    }
    this.rest = text.slice(cut + 1);
    return text
      .slice(0, cut + 1)
      .split('\n')
      .slice(0, -1)
      .map((l) => `${this.prefix}${l.replace(/\r$/, '')}\n`)
      .join('');
  }

  /** The last line when the stream ended without a newline. */
  end(): string {
    const last = this.rest;
    this.rest = '';
    return last ? `${this.prefix}${last}\n` : '';
  }
}
