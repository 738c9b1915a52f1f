// Public surface of the pure annotation logic (no storage, no UI).
export * from './types';
export * from './errorTypeMapping';
export * from './fingerprint';
export * from './provenance';
export * from './stepLayout';
export * from './consistency';
export * from './suggestions';
export * from './scoring';
export * from './kappa';
export * from './krippendorff';
export * from './spanAgreement';
export * from './reliabilityData';
export * from './jsonl';
export * from './merge';
export * from './checkers';
