import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import architecture from './eslint.architecture.mjs';

export default tseslint.config(
  { ignores: ['dist/**', '.bench-before/**', 'src/generated/**', 'node_modules/**', 'coverage/**', '*.js', '*.mjs', '.ci/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // No import cycles in src; platform/ imports no feature (docs/architecture.md#modules).
  ...architecture,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only src/platform/config reads the environment (STYLE rule 3).
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through HubConfig.' }],
    },
  },
  {
    files: ['src/platform/config/**', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Benchmark and fault-suite scripts: plain Node ES modules.
    files: ['bench/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'Buffer', 'fetch', 'URL', 'AbortSignal', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    files: ['adapters/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/**'], message: 'Adapters never import the hub.' }] }],
    },
  },
);
