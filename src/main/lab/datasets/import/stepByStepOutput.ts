// Splits one raw Distilling step-by-step teacher string into rationale and label, as the source
// repository does (google-research/distilling-step-by-step data_utils.py): cut at the next
// few-shot "Q:" (or "Premise:" for NLI), then split at the answer trigger.

export interface StepByStepOutput {
  rationale: string;
  /** Text after the trigger, trimmed, or null when no trigger was found. */
  label: string | null;
  /** "(b)" style option letter found at the start of the label, upper-cased. */
  letter: string | null;
}

export function isNliTask(name: string): boolean {
  return /^(e?snli|anli\d*)$/i.test(name);
}

export function answerTriggers(name: string): string[] {
  if (isNliTask(name)) return ['Answer:'];
  if (/^(svamp|asdiv)$/i.test(name)) return ['The answer is', 'So the answer is'];
  return ['So the answer is', 'The answer is'];
}

export function parseStepByStepOutput(raw: string, name: string): StepByStepOutput {
  const stopAt = isNliTask(name) ? 'Premise:' : 'Q:';
  const stop = raw.indexOf(stopAt);
  const text = (stop >= 0 ? raw.slice(0, stop) : raw).trim();
  for (const trigger of answerTriggers(name)) {
    const at = text.lastIndexOf(trigger);
    if (at < 0) continue;
    const rationale = text.slice(0, at).trim();
    let label = text.slice(at + trigger.length).trim();
    let letter: string | null = null;
    const opt = /^\(([a-jA-J])\)\s*/.exec(label);
    if (opt) {
      letter = opt[1]!.toUpperCase();
      label = label.slice(opt[0].length);
    }
    label = label.replace(/\.$/, '').trim();
    return { rationale, label: label === '' && !letter ? null : label, letter };
  }
  return { rationale: text, label: null, letter: null };
}
