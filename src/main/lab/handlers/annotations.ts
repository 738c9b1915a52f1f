// Annotation channels: thin glue from the contract to the annotation services. Every write goes
// through a durable transaction in the service, so a returned result means the label is on disk.
import type { annotationChannels } from '../../../shared/contract/annotations';
import type { LabelState } from '../../../shared/types/annotations';
import { getDataset } from '../datasets/store/datasets';
import type { Handlers } from '../dispatch';
import type { LabContext } from '../lab';
import { getAdjudication, saveGold } from '../annotation/service/adjudication';
import { computeAgreement } from '../annotation/service/agreement';
import { runVersionCheckers } from '../annotation/service/checkers';
import { defaultExportFile, exportAnnotations, importAnnotations } from '../annotation/service/exchange';
import { checkAnnotatorName, getView, moveHistory, reviewSuggestions, saveLabels } from '../annotation/service/labels';
import { queryQueue } from '../annotation/service/queue';
import { scoreVersion } from '../annotation/service/score';
import { listAnnotators } from '../annotation/store/annotators';

export function annotationHandlers(ctx: LabContext): Pick<Handlers, keyof typeof annotationChannels> {
  const { db } = ctx;
  const exists = (dataset: number): void => void getDataset(db, dataset);
  return {
    'annotations.queue': (q) => {
      exists(q.dataset);
      const { filter, split, ...rest } = q;
      return queryQueue(db, {
        ...rest,
        annotator: checkAnnotatorName(q.annotator),
        ...(filter ? { filter } : {}),
        ...(split ? { split } : {}),
      });
    },
    'annotations.get': (ref) => getView(db, ref),
    'annotations.save': async ({ labels, timeSpentMs, ...ref }) => {
      // Test-only: PST_LAB_TEST_SAVE_DELAY_MS holds every save open that long, so end-to-end tests
      // can make several actions fall into one save window.
      const delay = Number(process.env.PST_LAB_TEST_SAVE_DELAY_MS ?? 0);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return saveLabels(db, ref, labels as LabelState, timeSpentMs);
    },
    'annotations.undo': ({ dataset, annotator }) => (exists(dataset), moveHistory(db, dataset, annotator, 'undo')),
    'annotations.redo': ({ dataset, annotator }) => (exists(dataset), moveHistory(db, dataset, annotator, 'redo')),
    'annotations.acceptSuggestion': ({ spanId, ...ref }) => reviewSuggestions(db, ref, 'accept', spanId),
    'annotations.rejectSuggestion': ({ spanId, ...ref }) => reviewSuggestions(db, ref, 'reject', spanId),
    'annotations.runCheckers': ({ dataset, version, checkers }) => runVersionCheckers(db, dataset, version ?? 'head', checkers),
    'annotations.annotators': ({ dataset }) => (exists(dataset), listAnnotators(db, dataset)),
    'annotations.agreement': ({ dataset, version, annotators }) => computeAgreement(db, dataset, version ?? 'head', annotators),
    'annotations.adjudication': ({ dataset, example, completion }) => getAdjudication(db, dataset, example, completion),
    'annotations.saveGold': ({ labels, fromAnnotator, sources, ...ref }) =>
      saveGold(db, ref, { ...(labels ? { labels: labels as LabelState } : {}), ...(fromAnnotator ? { fromAnnotator } : {}), ...(sources ? { sources } : {}) }),
    'annotations.score': ({ dataset, version, minConfidence }) => scoreVersion(db, dataset, version ?? 'head', minConfidence ?? 0),
    'annotations.export': ({ dataset, out, annotators }) =>
      exportAnnotations(db, dataset, ctx.files.check(out ?? defaultExportFile(ctx.dataDir, getDataset(db, dataset).name), 'write'), annotators ? { annotators } : {}),
    'annotations.import': ({ dataset, path }) => (exists(dataset), importAnnotations(db, dataset, ctx.files.check(path, 'read'))),
  };
}
