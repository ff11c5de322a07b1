/**
 * `npm run preflight [-- --workers=N --shards=M]`: the suite's preflight alone, one login against the
 * configured target with the pool checked for the night's layout, so that the OTP path is proven
 * before a full night risks a lock. One line, and exit 0 when ready or 1 with what to fix.
 */
import type { FullConfig } from '@playwright/test';
import { config as loadDotenv } from 'dotenv';
import runPreflight from '../helpers/preflight';
import { runScript } from './run-script';

loadDotenv({ quiet: true, path: process.env.TRANSAK_ENV_FILE ?? '.env' });

function flag(name: string, fallback: number): number {
  const raw = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}=${raw} is not a whole number of at least 1`);
  return value;
}

async function main(): Promise<void> {
  if (!process.env.TRANSAK_BASE_URL?.trim())
    throw new Error(
      'npm run preflight checks a configured target: set TRANSAK_BASE_URL (and the rest of .env.example); the embedded emulator needs no preflight',
    );
  const shards = flag('shards', 1);
  // Only what the preflight reads of Playwright's configuration: the layout, and where run state goes.
  const layout = {
    workers: flag('workers', 4),
    shard: shards > 1 ? { current: 1, total: shards } : null,
    projects: [{ outputDir: 'test-results' }],
  } as unknown as FullConfig;
  const teardown = await runPreflight(layout);
  teardown();
}

runScript(main);
