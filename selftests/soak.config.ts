import { defineConfig } from '@playwright/test';
import type { SoakOptions } from './staging/never-cry-wolf.spec';

/**
 * `npm run soak`: the full never-cry-wolf soak, 20 passes of the whole suite against the reference
 * emulator, plain and under network noise (about 3 minutes each on 2 cores). `npm test` keeps a
 * shorter soak (the option's default); soak.yml runs this one every night.
 */
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
