/**
 * The kill matrix as one Playwright run, one project per target with its own base URL, output folder
 * and token state, so one runner judges every mode. A target's tests stay in one worker at a time, so
 * a mode costs about one worker start, and its waits overlap other modes' instead of each other's.
 */
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import suite from '../../playwright.config';
import { ROOT } from '../../helpers/repo-paths';
import { MATRIX_TARGETS_VARIABLE, type MatrixTarget } from './matrix-row';

const targets = JSON.parse(process.env[MATRIX_TARGETS_VARIABLE] ?? '[]') as MatrixTarget[];
const outputDir = process.env.MATRIX_OUTPUT_DIR ?? join(ROOT, 'test-results', 'kill-matrix');

export default defineConfig<object, { targetEnv: Record<string, string>; keepWorkerOnFailure: boolean }>({
  ...suite,
  testDir: '../../tests',
  outputDir,
  reporter: 'json',
  webServer: undefined,
  globalSetup: './matrix-setup.ts',
  projects: targets.map((target) => ({
    name: target.name,
    outputDir: join(outputDir, target.name),
    workers: target.workers ?? 1,
    grep: target.grep === undefined ? undefined : new RegExp(target.grep),
    testMatch: target.testMatch,
    use: { targetEnv: target.env, keepWorkerOnFailure: true },
  })),
});
