/**
 * Puts the change list and the fingerprint into the Allure results before the report is built: the
 * list as an environment entry (the report's Metadata, the first thing on its overview), both as
 * global attachments (Allure 3's run-level attachments, `*-globals.json`). Written into the first
 * results folder only, so merged shards show them once.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fingerprint } from './fingerprint-build';
import { changeLines, type ChangeReport } from './fingerprint-report';

// The .properties reader and writer allure-playwright uses (see scripts/allure-report.ts for why require).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { parseEnvInfo, stringifyEnvInfo } = require('allure-js-commons/sdk/reporter') as {
  parseEnvInfo(text: string): Record<string, string>;
  stringifyEnvInfo(info: Record<string, string>): string;
};

export const ENVIRONMENT_KEY = 'Behaviour changes since the last run';
export const CHANGES_ATTACHMENT = 'Behaviour changes since the last run';
export const FINGERPRINT_ATTACHMENT = 'Gateway behaviour fingerprint';
const GLOBALS = 'logout-fingerprint-globals.json';
const CHANGES_SOURCE = 'logout-fingerprint-changes-attachment.txt';
const FINGERPRINT_SOURCE = 'logout-fingerprint-attachment.json';

export function injectIntoAllureResults(dirs: readonly string[], fingerprint: Fingerprint, report: ChangeReport): void {
  const existing = dirs.filter((d) => existsSync(d));
  for (const dir of existing) for (const file of [GLOBALS, CHANGES_SOURCE, FINGERPRINT_SOURCE]) rmSync(join(dir, file), { force: true });
  const dir = existing[0] ?? dirs[0];
  if (dir === undefined) return;
  mkdirSync(dir, { recursive: true });
  const lines = changeLines(report);
  const envFile = join(dir, 'environment.properties');
  const environment = existsSync(envFile) ? parseEnvInfo(readFileSync(envFile, 'utf8')) : {};
  environment[ENVIRONMENT_KEY] = [lines[0], ...lines.slice(1).map((l) => l.replace(/^- /, ''))].join('; ');
  writeFileSync(envFile, stringifyEnvInfo(environment));
  writeFileSync(join(dir, CHANGES_SOURCE), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, FINGERPRINT_SOURCE), `${JSON.stringify(fingerprint, null, 2)}\n`);
  const timestamp = Date.now();
  writeFileSync(
    join(dir, GLOBALS),
    JSON.stringify({
      attachments: [
        { name: CHANGES_ATTACHMENT, source: CHANGES_SOURCE, type: 'text/plain', timestamp },
        { name: FINGERPRINT_ATTACHMENT, source: FINGERPRINT_SOURCE, type: 'application/json', timestamp },
      ],
      // An opted-in change fails the run: the report's Global Errors say which, as the summary does.
      errors: report.failing.map((line) => ({
        message: `pinned behaviour changed (TRANSAK_FAIL_ON_CHANGE=${report.failOn.join(',')}): ${line}`,
        timestamp,
      })),
    }),
  );
}
