// PST's semantic target (docs/methods.md, "PST semantic targets" and "PST diagnostics"):
// encoders behind one interface, the projection head and losses, and the diagnostics.
export * from './encoder';
export * from './head';
export * from './hashedTfidf';
export * from './external';
export * from './selfEncoder';
export * from './diagnostics';
export * from './run';
