import { defineConfig, type ReporterDescription } from '@playwright/test';
import base from './playwright.config';

/**
 * Merges the shards' blob reports into the reports one unsharded run writes, with the same
 * reporters, options and paths (taken from playwright.config.ts, not repeated here):
 *
 *   npx playwright merge-reports -c playwright.merge.config.ts <folder of blob zips>
 *
 * Allure is not merged here: allure-playwright cannot replay a merge (it reads the run's projects
 * in onConfigure, which a merge does not have). Each shard keeps its own allure-results folder, and
 * `npm run report -- <folders>` builds one report from all of them.
 */
const MERGED = new Set(['html', 'junit', 'json']);

export default defineConfig({
  reporter: (base.reporter as ReporterDescription[]).filter(([name]) => MERGED.has(name)),
});
