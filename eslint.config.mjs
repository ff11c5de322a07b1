// Lint for the whole project: ESLint's and typescript-eslint's recommended rules everywhere, and
// eslint-plugin-playwright's on the specs (the suite's and the self-tests'). Formatting is
// Prettier's job alone (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import playwright from 'eslint-plugin-playwright';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', 'reports/', 'test-results/', 'allure-results/', 'allure-history/', 'blob-report/', 'docs/', 'schemas/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['tests/**/*.ts', 'selftests/**/*.spec.ts'],
    extends: [playwright.configs['flat/recommended']],
    // selftests/emulator/faults.spec.ts declares one test per fault mode through modeTest(name, body).
    settings: { playwright: { globalAliases: { test: ['modeTest'] } } },
    rules: {
      // A spec's assertions are its verdict steps (the methods of VerdictSteps, helpers/verdict-steps.ts).
      'playwright/expect-expect': [
        'warn',
        {
          assertFunctionNames: [
            'logsOut',
            'logOutLiveToken',
            'tokenWorks',
            'rejectedBy',
            'acceptedOrRejected',
            'clientError',
            'concurrentLogoutsSafe',
            'latencyWithin',
            'otherUserUnaffected',
            'sameUserSessions',
            'laterLooks',
            'noServerErrorsOrEchoes',
          ],
          // A self-test's own assertion helpers are named expectSomething (expectStoppedAtPreflight).
          assertFunctionPatterns: ['^expect[A-Z]'],
        },
      ],
    },
  },
  {
    // The self-tests are table-driven (the fault catalogue, the same-user policies, the HTTP methods):
    // a row's own fields choose which expectation applies to it. The suite's specs keep both rules.
    files: ['selftests/**/*.spec.ts'],
    rules: { 'playwright/no-conditional-in-test': 'off', 'playwright/no-conditional-expect': 'off' },
  },
  {
    // Playwright's fixture API takes an empty object pattern for "no fixtures" (`async ({}, use) =>`).
    rules: { 'no-empty-pattern': 'off' },
  },
  prettier,
);
