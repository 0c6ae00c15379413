// The module map's rules (docs/architecture.md#modules), in a file of their own so that
// test/integration/architecture.int-spec.ts can run exactly these on src (CI runs `npm test`, not
// `npm run lint`). eslint.config.mjs includes them. Decision: docs/decisions/0013-import-rules.md.
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** The feature folders of src/: platform/ may import none of them. */
export const FEATURES = [
  'auth',
  'citizen',
  'cli',
  'complaints',
  'dashboard',
  'dispatch',
  'inbound',
  'lifecycle',
  'notifications',
  'open311',
  'partner-apps',
  'portals',
  'portal-requests',
  'privacy',
  'public',
  'routing',
  'sla',
  'staff',
];

export default [
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { 'import-x': importX },
    settings: {
      // import-x follows only the extensions it is told, with the parser it is told.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
    },
    rules: {
      // No file reaches itself through its imports. The rule skips `import type` (erased at
      // compile time); the folder check in test/integration/architecture.int-spec.ts counts it.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${FEATURES.join('|')})(/|$)`,
              message:
                'platform/ knows no feature: let the feature register with platform, or move the code (docs/architecture.md#modules).',
            },
            {
              regex: '^(\\.\\./)+adapters/sandbox',
              message: 'platform/ starts no sandbox portal: that is src/portals/sandbox-portals.ts.',
            },
          ],
        },
      ],
    },
  },
];
