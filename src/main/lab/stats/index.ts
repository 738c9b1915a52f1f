// Public surface of the statistics helpers used by experiments, reports and evaluation.
export * from './descriptive';
export * from './baselines';
export * from './bootstrap';
export * from './seedLevel';
export * from './tdist';
export * from './mcnemar';
export * from './textSimilarity';
