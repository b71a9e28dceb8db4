// Seeded randomness so simulations, randomesque picks and Sympson-Hetter draws are
// reproducible; the engine never touches Math.random.

/** A source of uniform numbers in [0, 1). */
export interface Rng {
  next(): number;
}

/**
 * xoshiro128** seeded through splitmix32: small state, good statistical quality and
 * identical output on every JavaScript engine (only 32-bit integer arithmetic).
 */
export function createRng(seed: number): Rng {
  let x = seed >>> 0 || 0x9e3779b9;
  const split = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = split();
  let s1 = split();
  let s2 = split();
  let s3 = split();
  return {
    next(): number {
      const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = (s1 << 9) >>> 0;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      s0 >>>= 0;
      s1 >>>= 0;
      s2 >>>= 0;
      return result / 4294967296;
    },
  };
}

function rotl(v: number, k: number): number {
  return ((v << k) | (v >>> (32 - k))) >>> 0;
}

/** Uniform integer in [0, n); spends no draw when there is only one choice. */
export function randomInt(rng: Rng, n: number): number {
  if (n <= 1) return 0;
  return Math.min(n - 1, Math.floor(rng.next() * n));
}

/** Standard normal draw (Box-Muller; one draw per call keeps the stream simple to replay). */
export function randomNormal(rng: Rng, mean = 0, sd = 1): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  const v = rng.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
