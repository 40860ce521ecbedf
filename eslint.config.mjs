// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'http', 'https', 'net', 'crypto', 'child_process', 'stream', 'util', 'events', 'url', 'zlib'];

/** Import rules that keep the layers honest (DESIGN.md, STYLE.md). */
const ONLY_EMBEDDING_IMPORTS_SERVER = { group: ['@vouch/server', '@vouch/server/**'], message: 'only @vouch/embedded-server imports the organization server' };
const restrict = (...patterns) => ['error', { patterns }];
/** Node built-ins are matched by exact name, so a local folder named `crypto` stays allowed. */
const restrictWithBuiltins = (message, ...patterns) => ['error', {
    paths: NODE_BUILTINS.map(name => ({ name, message })),
    patterns: [{ group: ['node:*'], message }, ...patterns]
}];

export default tseslint.config(
    {
        ignores: ['**/lib/**', '**/node_modules/**', 'browser-app/src-gen/**', 'browser-app/gen-*', 'browser-app/*.d.ts', 'electron-app/src-gen/**', 'electron-app/gen-*', 'electron-app/esbuild.mjs', '**/*.d.ts', '.vouch/**', '.tmp/**']
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        // Plain JavaScript: build configs, bin shims, the mocha reporter — all run in Node.
        files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
        languageOptions: {
            globals: { require: 'readonly', module: 'writable', exports: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' }
        },
        rules: { '@typescript-eslint/no-require-imports': 'off' }
    },
    {
        files: ['**/*.ts', '**/*.tsx'],
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            '@typescript-eslint/no-explicit-any': 'error',
            'no-console': 'error',
            eqeqeq: ['error', 'always', { null: 'ignore' }],
            'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='skip'][callee.object.name=/^(describe|it)$/]", message: 'No skipped tests: a suite that cannot run must fail.' }]
        }
    },
    {
        // Only the server embedding may pull the organization server (TypeORM, drivers, Redis,
        // identity libraries) into an app: every other extension runs without it (desktop app).
        files: ['extensions/*/src/**/*.ts', 'extensions/*/src/**/*.tsx'],
        ignores: ['extensions/embedded-server/**'],
        rules: { 'no-restricted-imports': restrict(ONLY_EMBEDDING_IMPORTS_SERVER) }
    },
    {
        // The page's address is read and changed in one place (links, server location, leaving
        // for an identity provider): the desktop app's links come from the system instead.
        files: ['extensions/*/src/**/*.ts', 'extensions/*/src/**/*.tsx'],
        ignores: ['extensions/core/src/browser/page-address.ts'],
        rules: {
            'no-restricted-properties': ['error',
                { object: 'window', property: 'location', message: 'ask PageAddress (@vouch/core) for the page\'s address' },
                { object: 'window', property: 'history', message: 'ask PageAddress (@vouch/core) to change the page\'s address' },
                { object: 'document', property: 'location', message: 'ask PageAddress (@vouch/core) for the page\'s address' }],
            'no-restricted-globals': ['error',
                { name: 'location', message: 'ask PageAddress (@vouch/core) for the page\'s address' },
                { name: 'history', message: 'ask PageAddress (@vouch/core) to change the page\'s address' }]
        }
    },
    {
        // Code that runs in the browser and in Node: no DOM-only or Node-only imports.
        files: ['protocol/src/**/*.ts', 'extensions/*/src/common/**/*.ts'],
        rules: {
            'no-restricted-imports': restrictWithBuiltins('common code runs in the browser too: no Node built-ins',
                { group: ['**/browser', '**/browser/**', '**/node', '**/node/**', '**/electron-*/**'], message: 'common code imports neither browser nor node code' },
                { group: ['@vouch/server', '@vouch/server/**', 'socket.io', 'typeorm'], message: 'common code never imports the server' }
            )
        }
    },
    {
        files: ['extensions/*/src/browser/**/*.ts', 'extensions/*/src/browser/**/*.tsx'],
        rules: {
            'no-restricted-imports': restrictWithBuiltins('browser code: no Node built-ins',
                { group: ['**/node', '**/node/**', '@vouch/server', '@vouch/server/**'], message: 'browser code never imports node code' }
            )
        }
    },
    {
        files: ['extensions/*/src/node/**/*.ts'],
        ignores: ['extensions/embedded-server/**'],
        rules: {
            'no-restricted-imports': restrict({ group: ['**/browser', '**/browser/**'], message: 'node code never imports browser code' }, ONLY_EMBEDDING_IMPORTS_SERVER)
        }
    },
    {
        files: ['extensions/embedded-server/src/node/**/*.ts'],
        rules: {
            'no-restricted-imports': restrict({ group: ['**/browser', '**/browser/**'], message: 'node code never imports browser code' })
        }
    },
    {
        // Domain code (backend/src/<domain>/, but not its socket adapter) imports no adapter.
        files: ['backend/src/*/**/*.ts'],
        ignores: ['backend/src/persistence/**', 'backend/src/testing/**', 'backend/src/transport/**', 'backend/src/cli/**', 'backend/src/crypto/**', 'backend/src/**/*-socket.ts', 'backend/src/**/*.spec.ts', 'backend/src/**/*.slow-spec.ts'],
        rules: {
            'no-restricted-imports': restrict(
                { group: ['socket.io', 'socket.io/**', 'typeorm', 'typeorm/**', 'mysql2', 'better-sqlite3', 'redis', '@socket.io/*', '@theia/*', 'nodemailer'], message: 'domain code imports no adapter library' },
                { group: ['**/persistence', '**/persistence/**', '**/transport', '**/transport/**', '**/*-socket'], message: 'domain code imports no adapter' }
            )
        }
    }
);
