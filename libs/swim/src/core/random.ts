// Seeded pseudo-random numbers (sfc32 seeded through splitmix32) and the helpers the core draws with.
import type { Random } from '../types.js';

/** A deterministic Random from a 32-bit seed. */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return {
    next(): number {
      const t = (((a + b) >>> 0) + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) >>> 0;
      return t / 4294967296;
    },
  };
}

/** An integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random.next() * n);
}

/** Fisher-Yates shuffle in place. */
export function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/** Up to k distinct items of `items` accepted by `keep`, chosen uniformly. */
export function sample<T>(random: Random, items: readonly T[], k: number, keep: (item: T) => boolean): T[] {
  const out: T[] = [];
  if (k <= 0 || items.length === 0) return out;
  // Sparse partial shuffle over indices: O(k + rejected) draws without copying `items`.
  const swapped = new Map<number, number>();
  const n = items.length;
  for (let i = 0; i < n && out.length < k; i++) {
    const j = i + randomInt(random, n - i);
    const pick = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    const item = items[pick]!;
    if (keep(item)) out.push(item);
  }
  return out;
}
