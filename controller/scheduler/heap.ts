/** Binary heaps of node indexes under a comparator: a min-heap whose top's key may grow, and a best-k selection. */

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

/**
 * The best `cap` node indexes offered, kept as a max-heap (the worst kept on top, so a better offer replaces
 * it in O(log cap)). `items` then holds them for a NodeHeap. Offers that are no better than the worst kept
 * cost one comparison.
 */
export class BestK {
  readonly items: number[] = [];
  private readonly cap: number;
  private readonly less: (a: number, b: number) => boolean;

  constructor(cap: number, less: (a: number, b: number) => boolean) {
    this.cap = cap;
    this.less = less;
  }

  /** The worst node kept once `cap` are kept (a better offer would replace it), else -1. */
  worstWhenFull(): number {
    return this.items.length < this.cap ? -1 : this.items[0];
  }

  /** Whether node i would be kept (fewer than cap kept, or better than the worst kept). */
  wants(i: number): boolean {
    return this.items.length < this.cap || this.less(i, this.items[0]);
  }

  /** Keeps node i (call only when wants(i)), dropping the worst kept when full. */
  add(i: number): void {
    const a = this.items;
    if (a.length < this.cap) {
      let c = a.length;
      a.push(i);
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!this.less(a[p], i)) break;
        a[c] = a[p];
        c = p;
      }
      a[c] = i;
      return;
    }
    const n = a.length;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= n) break;
      const r = l + 1;
      const w = r < n && this.less(a[l], a[r]) ? r : l;
      if (!this.less(i, a[w])) break;
      a[c] = a[w];
      c = w;
    }
    a[c] = i;
  }
}
