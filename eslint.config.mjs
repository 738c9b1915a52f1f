// ESLint 9 flat config: typescript-eslint's recommended rules for every TS file, eslint-plugin-svelte
// for the renderer's .svelte components and .svelte.ts rune modules. Formatting is Prettier's job.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default defineConfig(
  {
    // Build output, dependencies and the per-runtime native binaries are not ours to lint.
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'native/**', 'coverage/**', '.pst-lab-data/**'],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    // The main process, CLI, preload, tests and build scripts run in Node.
    files: ['src/main/**', 'src/preload/**', 'tests/**', 'scripts/**', '*.config.*', '*.mjs', '*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The renderer runs in a browser (Electron's sandboxed window or Chromium in serve mode).
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Svelte components and rune modules (*.svelte.ts) carry TypeScript: parse it with ts-eslint.
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        parser: ts.parser,
        extraFileExtensions: ['.svelte'],
      },
    },
  },
  {
    // CommonJS launchers (bin/pst-lab.cjs) must use require().
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      // `_name` marks a deliberately unused binding (e.g. a page's `params` prop it ignores).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // TypeScript already reports undefined names, with types; the core rule misreads type-only globals.
      'no-undef': 'off',
      // Parsers of JSON/CSV/text legitimately match control characters (\x00-\x1f) on purpose.
      'no-control-regex': 'off',
    },
  },
);
