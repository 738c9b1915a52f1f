import type { Migration } from '../migration';

// PST semantic-target diagnostics (docs/methods.md, "PST diagnostics"): the run's encoder record
// with its diagnostics at the start (runs.semantic), the diagnostics at each validation
// (run_evals.semantic), and warnings a reader must see (runs.warnings, a JSON array of strings).
export const m008SemanticDiagnostics: Migration = {
  version: 8,
  name: 'PST semantic diagnostics and run warnings',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN semantic TEXT;
      ALTER TABLE runs ADD COLUMN warnings TEXT;
      ALTER TABLE run_evals ADD COLUMN semantic TEXT;
    `);
  },
};
