// Pretrained-student channels: register a local Hugging Face folder, list, inspect, remove.
import { z } from 'zod';
import { channel, idSchema } from './define';
import type { StudentDetail, StudentExport, StudentSummaryRow } from '../types/students';

/** A registered student by id or name. */
const studentRef = z.union([idSchema, z.string().min(1).max(100)]);

export const studentChannels = {
  'students.list': channel<StudentSummaryRow[]>()(
    z.object({}).strict(),
    'Registered students, each with whether its folder is still there unchanged (file sizes).',
  ),
  'students.get': channel<StudentDetail>()(
    z.object({ student: studentRef, verify: z.boolean().optional() }).strict(),
    'One student with its files and config.json; verify rehashes every file.',
  ),
  'students.add': channel<StudentDetail>()(
    z.object({ dir: z.string().min(1).max(4096), name: z.string().min(1).max(100).optional() }).strict(),
    'Validates a Hugging Face model folder and registers it (nothing is registered if any check fails).',
  ),
  'students.export': channel<StudentExport>()(
    z.object({ run: idSchema, out: z.string().min(1).max(4096).optional() }).strict(),
    "Writes a run's trained pretrained student (best, else last checkpoint) as a Hugging Face folder: config.json, model.safetensors (LoRA merged), tokenizer files, README card. Without out: a new folder exports/students/run-<id>[-n] in the data directory.",
  ),
  'students.remove': channel<{ removed: string }>()(
    z.object({ student: studentRef }).strict(),
    'Forgets a registered student (its folder is left alone).',
  ),
} as const;
