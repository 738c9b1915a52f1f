// Cuts a rationale into plain text and the spans of injected errors (synthetic ground truth), so
// the detail panel can mark exactly the text the generator changed.
import type { InjectedError } from '../../../../shared/types/dataset';

export interface Segment {
  text: string;
  error: InjectedError | null;
}

export function segmentRationale(text: string, injected: readonly InjectedError[] | undefined): Segment[] {
  const spans = [...(injected ?? [])]
    .filter((e) => e.end > e.start && e.start >= 0 && e.end <= text.length)
    .sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const e of spans) {
    if (e.start < at) continue; // overlapping spans: the first one wins
    if (e.start > at) out.push({ text: text.slice(at, e.start), error: null });
    out.push({ text: text.slice(e.start, e.end), error: e });
    at = e.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), error: null });
  return out;
}
