// Limits every imported JSON value must respect, so what is stored can be hashed and re-read
// exactly: nesting depth (a value nested thousands deep overflows the stack of every recursive
// consumer: hashing, JSON.stringify) and well-formed Unicode (a lone UTF-16 surrogate from a
// "\ud800" escape cannot be stored as UTF-8, so the stored text would differ from the hashed one).
// See docs/methods.md, "Importing teacher files".

/** Deepest accepted nesting of arrays/objects in one imported file or record. */
export const MAX_NESTING = 100;

export const TOO_DEEP = `nesting too deep (more than ${MAX_NESTING} levels of arrays/objects)`;
export const LONE_SURROGATE = 'lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair): not valid Unicode';

/** In u-mode a surrogate range only matches surrogates that are not part of a pair. */
const LONE = /[\uD800-\uDFFF]/u;

/** First problem in an already parsed value (iterative: safe on any depth), with its path. */
export function checkValue(root: unknown): { path: (string | number)[]; reason: string } | null {
  const stack: { v: unknown; depth: number; path: (string | number)[] }[] = [{ v: root, depth: 0, path: [] }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (LONE.test(v)) return { path, reason: LONE_SURROGATE };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_NESTING) return { path, reason: TOO_DEEP };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1, path: [...path, i] });
    } else {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i]!;
        if (LONE.test(k)) return { path: [...path, k], reason: `key: ${LONE_SURROGATE}` };
        stack.push({ v: x, depth: depth + 1, path: [...path, k] });
      }
    }
  }
  return null;
}

/** "metadata.a[3]" for a path, "" for the root. */
export function describePath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/**
 * Sets an own data property, also for the key "__proto__" (plain assignment would change the
 * object's prototype instead, silently dropping the field).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
