// `pst-lab students add|list|show|remove|forward|export` and `pst-lab runs export-student`: pretrained
// students from local Hugging Face folders.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES } from '../../../shared/types/app';
import type { StudentDetail, StudentSummaryRow } from '../../../shared/types/students';
import { initBackend } from '../../lab/compute/backends';
import { loadStudentParams } from '../../lab/students/folder';
import { resolveStudent } from '../../lab/students/registry';
import { call, labCommand, listCommand, withLab } from '../call';
import { UsageError, defineCommand, type Command, type CommandIo } from '../command';
import { printFields, printJson, printTable } from '../output';
import { choiceOption, missing, stringOption } from '../parse';

function millions(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${(n / 1e3).toFixed(1)}k`;
}

function printStudent(io: CommandIo, s: StudentDetail): void {
  printFields(io, [
    ['id', s.id],
    ['name', s.name],
    ['folder', s.dir],
    ['status', s.statusReason ? `${s.status}: ${s.statusReason}` : s.status],
    ['architecture', `${s.architecture} (${s.family} family, model_type ${s.modelType})`],
    ['parameters', `${s.parameterCount} (${millions(s.parameterCount)})`],
    [
      'shape',
      `${s.layers} layers x ${s.hidden} hidden, ${s.heads} heads, ${s.tiedEmbeddings ? 'tied' : 'separate'} output layer`,
    ],
    ['vocabulary', `${s.vocabSize} embedding rows; tokenizer ${s.tokenizer} (${s.tokenizerSize} tokens)`],
    ['context', s.context],
    ['weights', s.dtypes.join(', ')],
    ['fingerprint', s.fingerprint],
  ]);
  io.stdout('files:\n');
  for (const f of s.files) io.stdout(`  ${f.sha256}  ${String(f.bytes).padStart(12)}  ${f.name}\n`);
}

export const studentsAddCommand = labCommand({
  usage: 'pst-lab students add DIR [--name N] [--json] [--data-dir DIR]',
  summary:
    'Validate a local Hugging Face model folder (config.json, safetensors, tokenizer) and register it as a student.',
  positionals: [1, 1],
  ask({ values, positionals }) {
    const name = stringOption(values, 'name');
    return (lab) => call(lab, 'students.add', { dir: positionals[0]!, ...(name ? { name } : {}) });
  },
  print(s, { io }) {
    io.stdout(`Registered student ${s.name} (id ${s.id}).\n`);
    printStudent(io, s);
  },
});

export const studentsListCommand = listCommand({
  usage: 'pst-lab students list [--json] [--data-dir DIR]',
  summary: 'Registered students, and whether each folder is still there unchanged.',
  ask: (lab): Promise<StudentSummaryRow[]> => call(lab, 'students.list', {}),
  empty: 'No students registered. Add one with: pst-lab students add DIR',
  columns: ['id', 'name', 'architecture', 'parameters', 'vocab', 'context', 'tokenizer', 'status'],
  row: (r) => [r.id, r.name, r.architecture, millions(r.parameterCount), r.vocabSize, r.context, r.tokenizer, r.status],
});

export const studentsShowCommand = labCommand({
  usage: 'pst-lab students show STUDENT [--json] [--data-dir DIR]',
  summary:
    'One student: architecture, sizes, tokenizer and the SHA-256 of every file (rehashed now to detect changes).',
  positionals: [1, 1],
  ask: ({ positionals }) => (lab) => call(lab, 'students.get', { student: positionals[0]!, verify: true }),
  print: (s, { io }) => printStudent(io, s),
});

export const studentsRemoveCommand = labCommand({
  usage: 'pst-lab students remove STUDENT [--json] [--data-dir DIR]',
  summary: 'Forget a registered student (its folder is left alone).',
  positionals: [1, 1],
  ask: ({ positionals }) => (lab) => call(lab, 'students.remove', { student: positionals[0]! }),
  print: (r, { io }) => io.stdout(`Removed student ${r.removed}.\n`),
});

const forwardUsage = `pst-lab students forward STUDENT|DIR --text T [--no-special-tokens] [--backend ${BACKEND_NAMES.join('|')}] [--json] [--data-dir DIR]`;
export const studentsForwardCommand = defineCommand({
  usage: forwardUsage,
  summary:
    'Run a student on a text and print its token ids and the logits at every position (for comparing with transformers).',
  positionals: [1, 1],
  async run({ values, positionals, dataDir, json, io }) {
    const text = stringOption(values, 'text') ?? missing('text', forwardUsage);
    const backend = choiceOption(values, 'backend', BACKEND_NAMES, forwardUsage);
    const { folder, registered } = await withLab(dataDir, (lab) =>
      Promise.resolve(resolveStudent(lab.db, positionals[0]!)),
    );
    // As transformers' tokenizer(text) does by default: the post-processor's special tokens (e.g. BOS).
    const ids = folder.tokenizer.encode(text, values['no-special-tokens'] !== true);
    if (ids.length === 0) throw new UsageError('--text gives no tokens', forwardUsage);
    if (ids.length > folder.summary.context)
      throw new UsageError(
        `--text is ${ids.length} tokens; the student's context is ${folder.summary.context}`,
        forwardUsage,
      );
    const selection = await initBackend(backend);
    const params = loadStudentParams(folder, false);
    try {
      const logits = tf.tidy(() =>
        folder.family.forward(params, folder.config, tf.tensor1d(ids, 'int32'), 1, ids.length).logits!.arraySync(),
      );
      const result = {
        student: registered ?? folder.dir,
        architecture: folder.summary.architecture,
        backend: selection.name,
        ids,
        tokens: ids.map((id) => folder.tokenizer.idToToken(id) ?? null),
        logits,
      };
      if (json) return printJson(io, result);
      printFields(io, [
        ['student', result.student],
        ['backend', result.backend],
        ['ids', ids.join(' ')],
        ['tokens', result.tokens.map((t) => JSON.stringify(t)).join(' ')],
      ]);
      const last = logits[logits.length - 1]!;
      const top = [...last.keys()].sort((a, b) => last[b]! - last[a]!).slice(0, 5);
      io.stdout(
        `next token (top 5 logits): ${top.map((id) => `${JSON.stringify(folder.tokenizer.idToToken(id) ?? '')} ${last[id]!.toFixed(3)}`).join(', ')}\n`,
      );
    } finally {
      Object.values(params).forEach((v) => v.dispose());
    }
  },
});

/**
 * `runs export-student RUN --out DIR`, and its first name `students export`: one command under two
 * usage lines (each names its own words, for --help and usage errors).
 */
function exportStudentCommand(usage: string, summary: string): Command {
  return labCommand({
    usage,
    summary,
    positionals: [1, 1],
    ask({ values, positionals }) {
      const run = Number(positionals[0]);
      if (!Number.isInteger(run) || run < 1) throw new UsageError(`RUN must be a run id, got "${positionals[0]}"`, usage);
      const out = stringOption(values, 'out') || missing('out', usage);
      return (lab) => call(lab, 'students.export', { run, out: path.resolve(out) });
    },
    print(r, { io }) {
      printFields(io, [
        ['run', String(r.run)],
        ['checkpoint', r.checkpoint],
        ['folder', r.dir],
        ['vocabulary', `${r.vocabSize} rows (markers ${r.markers.join(' ')})`],
      ]);
      printTable(io, ['file', 'bytes', 'sha256'], r.files.map((f) => [f.name, f.bytes, f.sha256]));
    },
  });
}

export const runsExportStudentCommand = exportStudentCommand(
  'pst-lab runs export-student RUN --out DIR [--json] [--data-dir DIR]',
  "Write a run's trained pretrained student (best, else last checkpoint) as a Hugging Face folder: config.json, model.safetensors with LoRA merged, tokenizer files with the method markers, README card.",
);
export const studentsExportCommand = exportStudentCommand(
  'pst-lab students export RUN --out DIR [--json] [--data-dir DIR]',
  'The same as `runs export-student` (its first name).',
);

export const STUDENT_COMMANDS: readonly Command[] = [
  runsExportStudentCommand,
  studentsExportCommand,
  studentsAddCommand,
  studentsListCommand,
  studentsShowCommand,
  studentsRemoveCommand,
  studentsForwardCommand,
];
