// Fine-tune-CoT's OpenAI fine-tune files (itsnamgyu/reasoning-teacher): JSON Lines of
//   {"prompt": "<question>\n\n###\n\n", "completion": " <rationale> --> <answer> END"}
// (the separator may carry line breaks: " <rationale>\n\n-->\n\n<answer> END"). Several lines with
// the same prompt (diverse reasoning) are one example with several completions. These files keep
// no gold answer apart from the teacher's: the answer after "-->" is stored as the gold answer and
// teacher correctness stays unknown (docs/methods.md, "Importing teacher files").
import { basename } from 'node:path';
import type { AnswerType, ExampleInput } from '../../../../shared/types/dataset';
import { normalizeAnswer } from '../../../../shared/answers';
import type { ImportCollector } from './collector';
import type { ProgressTracker } from './progress';
import { jsonlRecords } from './recordSources';
import { isPlainObject } from './fields';
import { inferAnswerType } from './inferAnswerType';
import { parseChoicesFromQuestion } from './choices';

export const PROMPT_SUFFIX = '\n\n###\n\n';
const COMPLETION = /^([\s\S]*?)\s*-->\s*([\s\S]*?)\s*(?:END)?\s*$/;

/** True for a record that looks like one line of a Fine-tune-CoT fine-tune file. */
export function isFinetunePromptRecord(v: unknown): boolean {
  return (
    isPlainObject(v) &&
    typeof v.prompt === 'string' &&
    typeof v.completion === 'string' &&
    v.prompt.endsWith(PROMPT_SUFFIX)
  );
}

export interface PromptFileArgs {
  files: string[];
  forcedType: AnswerType | null;
  maxRecordBytes: number;
  collector: ImportCollector;
  progress: ProgressTracker;
}

interface Pending {
  question: string;
  line: number;
  file: string;
  samples: { rationale: string; answer: string; line: number }[];
}

export async function parseFinetunePromptFiles(args: PromptFileArgs): Promise<void> {
  const { collector } = args;
  const byPrompt = new Map<string, Pending>();
  for (const file of args.files) {
    for await (const batch of jsonlRecords(file, { maxRecordBytes: args.maxRecordBytes, progress: args.progress })) {
      for (const item of batch) {
        if (item.kind === 'file-problem') {
          collector.fileProblem(item.problem);
          continue;
        }
        if (item.kind === 'bad-record') {
          collector.records++;
          collector.reject(item.problem, [item.problem]);
          continue;
        }
        const origin = { file, line: item.line };
        const v = item.value;
        if (!isFinetunePromptRecord(v)) {
          collector.records++;
          collector.reject(origin, [
            {
              ...origin,
              reason: `expected {"prompt": "<question>${JSON.stringify(PROMPT_SUFFIX).slice(1, -1)}", "completion": " <rationale> --> <answer> END"}`,
            },
          ]);
          continue;
        }
        const { prompt, completion } = v as { prompt: string; completion: string };
        const m = COMPLETION.exec(completion);
        if (!m || m[2]!.trim() === '') {
          collector.records++;
          collector.reject(origin, [
            { ...origin, field: 'completion', reason: 'completion has no " --> <answer>" part' },
          ]);
          continue;
        }
        const question = prompt.slice(0, -PROMPT_SUFFIX.length).trim();
        let p = byPrompt.get(question);
        if (!p) {
          collector.records++;
          p = { question, line: item.line, file, samples: [] };
          byPrompt.set(question, p);
        }
        p.samples.push({ rationale: m[1]!.trim(), answer: m[2]!.trim(), line: item.line });
      }
    }
  }
  const pending = [...byPrompt.values()];
  const answerType =
    args.forcedType ??
    inferAnswerType(
      pending.map((p) => ({
        answer: p.samples[0]!.answer,
        choices: parseChoicesFromQuestion(p.question)?.choices ?? null,
      })),
    );
  const multi = args.files.length > 1;
  pending.forEach((p, i) => {
    const origin = { file: p.file, line: p.line };
    const choices = answerType === 'choice' ? (parseChoicesFromQuestion(p.question)?.choices ?? null) : null;
    const answers = [...new Set(p.samples.map((s) => normalizeAnswer(answerType, s.answer, choices)))];
    const gold = answers[0] ?? null;
    if (gold === null) {
      collector.reject(origin, [
        {
          ...origin,
          field: 'completion',
          reason: `answer ${JSON.stringify(p.samples[0]!.answer)} is not a valid ${answerType} answer`,
        },
      ]);
      return;
    }
    if (answers.length > 1) {
      collector.warn({
        ...origin,
        reason: `the completions of this prompt give different answers (${answers.join(', ')}); the first is stored as the gold answer`,
      });
    }
    const example: ExampleInput = {
      externalId: multi ? `${basename(p.file)}:${i}` : String(i),
      question: p.question,
      answer: gold,
      answerType,
      choices,
      // No independent gold answer: correctness is unknown, not "correct".
      completions: p.samples.map((s) => ({
        rationale: s.rationale,
        teacherAnswer: s.answer,
        source: `finetune-cot-prompt:${basename(p.file)}:${s.line}`,
        correct: null,
      })),
      split: null,
      tags: [],
      metadata: { source: 'finetune-cot-prompt', goldFromTeacher: true },
    };
    collector.accept(example, origin);
  });
  if (pending.length > 0) {
    collector.warn({
      file: args.files[0]!,
      line: 1,
      reason:
        'Fine-tune-CoT fine-tune files keep no separate gold answer: the answer after "-->" is stored as gold and teacher correctness is unknown',
    });
  }
}
