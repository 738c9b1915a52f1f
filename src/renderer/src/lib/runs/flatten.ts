// Flattens the free-form JSON the worker reports (resolved config, environment, data stats) into
// "a.b.c = value" rows: readable without knowing the shape in advance, and stable to read aloud.
export interface KeyValue {
  key: string;
  value: string;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(6)));
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return JSON.stringify(v);
}

/** Depth-first rows; arrays of scalars print inline, long arrays are summarised. */
export function flatten(obj: Record<string, unknown> | null | undefined, prefix = ''): KeyValue[] {
  if (!obj) return [];
  const out: KeyValue[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) {
      const scalar = v.every((x) => x === null || typeof x !== 'object');
      if (scalar && v.length <= 20) out.push({ key, value: v.map(show).join(', ') || '[]' });
      else out.push({ key, value: `${v.length} items` });
    } else if (v && typeof v === 'object') {
      out.push(...flatten(v as Record<string, unknown>, key));
    } else {
      out.push({ key, value: show(v) });
    }
  }
  return out;
}
