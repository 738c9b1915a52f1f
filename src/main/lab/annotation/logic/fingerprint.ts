// Small deterministic hashes for identities: a rationale's fingerprint (so imported offsets are
// known to refer to the same text) and span ids. FNV-1a 64-bit over UTF-16 code units, in pure
// TypeScript so it runs in every process; not cryptographic, only collision-resistant enough for
// thousands of items.

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

export function fnv1a64(text: string): string {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * FNV_PRIME) & MASK;
  }
  return h.toString(16).padStart(16, '0');
}

/** Fingerprint of a rationale's exact text. */
export function rationaleFingerprint(rationale: string): string {
  return fnv1a64(rationale);
}

/**
 * Deterministic span id from who created it, where, and when (or which checker): re-running a
 * checker on the same text yields the same id, so suggestions are never duplicated.
 */
export function makeSpanId(origin: string, start: number, end: number, salt: string): string {
  return fnv1a64(`${origin}\u0000${start}\u0000${end}\u0000${salt}`);
}
