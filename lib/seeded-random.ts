/**
 * Seeded randomness for synthetic FHIR data: the same words in → the same stream out, on any machine.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean) rather than mulberry32:
 * each bundle draws its own stream seeded by (seed, index), and resource ids come from the stream.
 * mulberry32's streams are windows on one 2^32-long cycle: with hundreds of draws per bundle, two
 * of a thousand bundles overlap (and repeat UUIDs) in a fair share of runs, and almost surely among
 * ten thousand. sfc32's 128-bit state makes that practically impossible.
 */

/** Streams of one seed, so the bundles and the wearable feed never shift each other. */
export const STREAM = { bundle: 1, wearables: 2 } as const;

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Normally distributed (Box–Muller). */
  normal(mean: number, sd: number): number;
  /** RFC 4122 version 4 UUID built from the stream. */
  uuid(): string;
}

export function seededRandom(...words: number[]): Random {
  let a = (words[0] ?? 0) >>> 0;
  let b = (words[1] ?? 0) >>> 0;
  let c = (words[2] ?? 0) >>> 0;
  let d = 1;
  const nextWord = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // The first outputs of a freshly seeded sfc32 still correlate with the seed words; its author discards 12.
  for (let i = 0; i < 12; i++) nextWord();

  const next = () => nextWord() / 4294967296;
  const hex = (word: number) => word.toString(16).padStart(8, '0');
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    normal: (mean, sd) => {
      const u = 1 - next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    uuid: () => {
      const w1 = nextWord();
      const w2 = ((nextWord() & 0xffff0fff) | 0x00004000) >>> 0;
      const w3 = ((nextWord() & 0x3fffffff) | 0x80000000) >>> 0;
      const w4 = nextWord();
      const h = hex(w1) + hex(w2) + hex(w3) + hex(w4);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}
