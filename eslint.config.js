// Lint configuration (ESLint 9 flat config). Besides the usual hygiene it enforces the import
// direction the folder tree promises (DESIGN.md): suites -> harness; harness never imports
// suites/ or reference-provider/ (except the entry points that start the embedded provider);
// reference-provider/ stands alone.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { defineConfig, globalIgnores } from 'eslint/config';

// no-restricted-imports sees the import specifier, not the resolved file, so a boundary is a
// relative climb (`../`, `../../`, ...) into a top-level area, or the package's own name.
// A same-named sub-folder would match too; the tree has none, which keeps this simple.
const areaPattern = (areas) =>
  areas.flatMap((area) => [`^(\\.\\./)+${area}(/|$)`, `^oidc-conformance/${area}(/|$)`]).join('|');

/**
 * Forbids static imports/re-exports (no-restricted-imports) and dynamic `import('...')` with a
 * literal specifier (no-restricted-syntax; the former does not look at import expressions).
 */
const boundary = (areas, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ regex: areaPattern(areas), message }] }],
  'no-restricted-syntax': [
    'error',
    { selector: `ImportExpression > Literal.source[value=/${areaPattern(areas).replaceAll('/', '\\/')}/]`, message },
  ],
});

export default defineConfig([
  globalIgnores(['node_modules/', 'reports/', 'coverage/', '.vitest-cache/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'warn',
    },
    rules: {
      // tsc resolves identifiers in the TypeScript; the few .js launchers use only Node's
      // globals, so no-undef would only add a globals list to maintain.
      'no-undef': 'off',
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },

  // ---- Import boundaries ---------------------------------------------------------------------
  {
    files: ['reference-provider/**'],
    rules: boundary(
      ['harness', 'suites'],
      'reference-provider/ stands alone: it may not import from harness/ or suites/.',
    ),
  },
  {
    files: ['harness/**'],
    ignores: ['harness/cli.ts', 'harness/run/**'],
    rules: boundary(
      ['suites', 'reference-provider'],
      'harness/ is the engine and knows no particular check or provider: it may not import suites/ or ' +
        'reference-provider/ (only harness/cli.ts and harness/run/** may start the embedded reference provider).',
    ),
  },
  {
    files: ['harness/cli.ts', 'harness/run/**'],
    rules: boundary(
      ['suites'],
      'harness/ never imports suites/ (harness/cli.ts and harness/run/** may start the reference provider, nothing more).',
    ),
  },
]);
