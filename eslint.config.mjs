// Lint rules for the whole workspace: TypeScript hygiene and the module boundaries of STYLE §3.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

const yjsBanned = ['yjs', 'y-protocols', 'y-protocols/*', 'lib0', 'lib0/*'];
const grpcBanned = ['@grpc/grpc-js', '@grpc/proto-loader', '@grpc/reflection', 'grpc-health-check'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '.nx/**', '.fortros/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          // fortctl imports these lazily (only a command that calls a daemon pays for gRPC); its renderers and tests
          // still import their types, and @fortros/proto/timestamp, which loads no gRPC, statically.
          checkDynamicDependenciesExceptions: ['@fortros/proto', '@fortros/rpc'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            // apps/lab is an app whose package is also a library (tag lab-library): tests and benches may import it.
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:lib', 'lab-library'] },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'lab-library'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:init', onlyDependOnLibsWithTags: ['scope:shared', 'scope:init'] },
            { sourceTag: 'scope:maintainer', onlyDependOnLibsWithTags: ['scope:shared', 'scope:maintainer'] },
            { sourceTag: 'scope:keys', onlyDependOnLibsWithTags: ['scope:shared', 'scope:keys'] },
            { sourceTag: 'scope:reconciler', onlyDependOnLibsWithTags: ['scope:shared', 'scope:reconciler'] },
            { sourceTag: 'scope:ctl', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Black-box tests forge a peer's wire messages (an outsider's SWIM packets), so they may use the maintainer's
            // protocol libs besides the shared ones; apps stay off limits (type:test).
            { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['scope:shared', 'scope:maintainer'] },
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Benchmarks measure any part, e.g. the SWIM simulator (a maintainer lib); apps stay off limits (type:lib).
            { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:shared', 'scope:init', 'scope:maintainer', 'scope:keys', 'scope:reconciler'] },
            { sourceTag: 'no-yjs', bannedExternalImports: yjsBanned },
            { sourceTag: 'no-grpc', bannedExternalImports: grpcBanned },
          ],
        },
      ],
    },
  },
  {
    // Entry points and CLIs may talk to the terminal.
    files: ['**/src/main.ts', '**/src/cli/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // fortctl loads gRPC only when a command calls a daemon: values come through commands/grpc-stack.ts, types may be imported.
    files: ['apps/ctl/src/**/*.ts'],
    ignores: ['apps/ctl/src/commands/grpc-client.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['@fortros/rpc', '@fortros/proto'].map((name) => ({
            name,
            allowTypeImports: true,
            message: 'fortctl imports gRPC lazily: use commands/grpc-stack.js (types may be imported).',
          })),
        },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', 'no-console': 'off' },
  },
);
