// The annotation model lives in src/shared/types/annotations.ts so the renderer and the contract
// share it; this module keeps the logic's imports short.
export * from '../../../../shared/types/annotations';
