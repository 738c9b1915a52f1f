// Every schema step in order. Append new steps at the end with the next number; never edit or
// reorder a step that has shipped (a user's database already ran it).
import type { Migration } from '../migration';
import { m001Core } from './001_core';
import { m002Datasets } from './002_datasets';
import { m003Runs } from './003_runs';
import { m004Annotations } from './004_annotations';
import { m005Experiments } from './005_experiments';
import { m006Students } from './006_students';
import { m007RunQueue } from './007_run_queue';
import { m008SemanticDiagnostics } from './008_semantic_diagnostics';

export const MIGRATIONS: readonly Migration[] = [m001Core, m002Datasets, m003Runs, m004Annotations, m005Experiments, m006Students, m007RunQueue, m008SemanticDiagnostics];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
