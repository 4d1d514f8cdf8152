/** A binary min-heap of node indexes under a comparator; the top's key may grow, then `fixTop` restores order. */

/** Node indexes in a caller's buffer (its first `size` entries), best (smallest) on top. */
export class NodeHeap {
  private readonly items: Int32Array | number[];
  private n: number;
  private readonly less: (a: number, b: number) => boolean;

  constructor(items: Int32Array | number[], size: number, less: (a: number, b: number) => boolean) {
    this.items = items;
    this.n = size;
    this.less = less;
    for (let i = (size >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.n;
  }

  /** The best node, or -1 when empty. */
  top(): number {
    return this.n ? this.items[0] : -1;
  }

  /** Drops the top (a node that can take no more of this service). */
  pop(): void {
    this.n--;
    if (this.n) {
      this.items[0] = this.items[this.n];
      this.down(0);
    }
  }

  /** The top's key grew (a replica was placed there): sink it to its place. */
  fixTop(): void {
    this.down(0);
  }

  private down(i: number): void {
    const a = this.items;
    const n = this.n;
    const x = a[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(a[r], a[l]) ? r : l;
      if (!this.less(a[c], x)) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = x;
  }
}
