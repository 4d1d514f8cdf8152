/** A binary min-heap of node indexes under a comparator; the top's key may grow, then `fix` restores order. */

/** Node indexes, best (smallest) on top. */
export class NodeHeap {
  private readonly items: number[];
  private readonly less: (a: number, b: number) => boolean;

  constructor(items: number[], less: (a: number, b: number) => boolean) {
    this.items = items;
    this.less = less;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.items.length;
  }

  /** The best node, or -1 when empty. */
  top(): number {
    return this.items.length ? this.items[0] : -1;
  }

  /** Drops the top (a node that can take no more of this service). */
  pop(): void {
    const last = this.items.pop()!;
    if (this.items.length) {
      this.items[0] = last;
      this.down(0);
    }
  }

  /** The top's key grew (a replica was placed there): sink it to its place. */
  fixTop(): void {
    this.down(0);
  }

  private down(i: number): void {
    const a = this.items;
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const c = r < n && this.less(a[r], a[l]) ? r : l;
      if (!this.less(a[c], a[i])) return;
      [a[i], a[c]] = [a[c], a[i]];
      i = c;
    }
  }
}
