import { defineConfig } from '@playwright/test';
import type { SoakOptions } from './staging/never-cry-wolf.spec';

/** `npm run soak`: the never-cry-wolf soak, 20 passes of the suite, plain and under network noise; soak.yml runs the soak every night. */
export default defineConfig<SoakOptions>({
  testDir: '.',
  forbidOnly: !!process.env.CI,
  // A retry would hide a flaky outcome, which is what the soak looks for.
  retries: 0,
  workers: 1,
  outputDir: '../test-results/soak',
  reporter: [['list'], ['json', { outputFile: '../reports/soak.json' }]],
  projects: [{ name: 'soak', testMatch: /staging\/never-cry-wolf\.spec\.ts$/, use: { soakRepeats: 20 } }],
});
