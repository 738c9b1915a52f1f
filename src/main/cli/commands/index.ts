// Every CLI command. Add new ones here.
import type { Command } from '../command';
import { ANNOTATE_COMMANDS } from './annotate';
import { BENCH_COMMANDS } from './bench';
import { benchSemanticCommand } from './benchSemantic';
import { DATASET_COMMANDS } from './dataset';
import { doctorCommand } from './doctor';
import { EXPERIMENT_COMMANDS } from './experiment';
import { reportCommand } from './report';
import { serveCommand } from './serve';
import { STUDENT_COMMANDS } from './students';
import { TRAIN_COMMANDS } from './train';
import { workerCommand } from './worker';

export const COMMANDS: readonly Command[] = [doctorCommand, serveCommand, ...DATASET_COMMANDS, ...TRAIN_COMMANDS, ...EXPERIMENT_COMMANDS, reportCommand, ...BENCH_COMMANDS, benchSemanticCommand, ...ANNOTATE_COMMANDS, ...STUDENT_COMMANDS, workerCommand];
