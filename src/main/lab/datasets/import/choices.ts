// Multiple-choice options verbalised inside a question, as the public datasets write them:
// Fine-tune-CoT "... Answer choices: (A) 550, (B) 570." and Zero-shot-CoT logs
// "... Answer Choices: (A) 550 (B) 570". Options must run A, B, C... in order; markers are looked
// up in that order so option text containing other parentheses does not split an option.

const CHOICES_MARKER = /answer choices\s*:/gi;

export interface ParsedChoices {
  choices: string[];
  /** The question text before "Answer choices:" (trimmed), for display. */
  stem: string;
}

export function parseChoicesFromQuestion(question: string): ParsedChoices | null {
  let markerAt = -1;
  let markerEnd = -1;
  for (const m of question.matchAll(CHOICES_MARKER)) {
    markerAt = m.index;
    markerEnd = m.index + m[0].length;
  }
  if (markerAt < 0) return null;
  const tail = question.slice(markerEnd);
  const starts: { at: number; end: number }[] = [];
  let from = 0;
  for (let k = 0; k < 10; k++) {
    const letter = String.fromCharCode(65 + k);
    const re = new RegExp(`\\(${letter}\\)|\\(${letter.toLowerCase()}\\)`, 'g');
    re.lastIndex = from;
    const m = re.exec(tail);
    if (!m) break;
    starts.push({ at: m.index, end: m.index + m[0].length });
    from = m.index + m[0].length;
  }
  if (starts.length < 2) return null;
  if (tail.slice(0, starts[0]!.at).trim() !== '') return null;
  const choices = starts.map((s, idx) => {
    const next = starts[idx + 1];
    let text = tail.slice(s.end, next ? next.at : undefined).trim();
    // Separators between options (", ") and the final full stop belong to the verbalisation.
    if (next) text = text.replace(/[,;]$/, '').trim();
    else text = text.replace(/\.$/, '').trim();
    return text;
  });
  if (choices.some((c) => c === '')) return null;
  return { choices, stem: question.slice(0, markerAt).trim() };
}
