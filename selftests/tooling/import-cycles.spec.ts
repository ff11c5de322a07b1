/**
 * No import cycles anywhere in the project (helpers, specs, emulator, scripts, self-tests), type
 * imports included: a module that needs another's import to have finished loading breaks in ways
 * that depend on who imported first. madge reads the imports the way TypeScript resolves them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import madge from 'madge';
import { ROOT } from '../../scripts/repo-paths';

async function importGraph(dir: string) {
  return madge(dir, {
    fileExtensions: ['ts'],
    tsConfig: join(ROOT, 'tsconfig.json'),
    excludeRegExp: [/^(node_modules|test-results|reports|allure-[a-z]+|playwright-report|blob-report)\//],
  });
}

test('no module imports itself back through any chain of imports', async () => {
  const graph = await importGraph(ROOT);
  const modules = graph.obj();
  // The graph really holds the project: the OTP providers and what they import.
  expect(modules['helpers/otp/providers.ts']).toEqual(expect.arrayContaining(['helpers/otp/imap-provider.ts', 'helpers/otp/otp-error.ts']));
  expect(Object.keys(modules).length).toBeGreaterThan(80);
  expect(graph.circular(), 'import cycles (each: a → b → … → a)').toEqual([]);
});

test('the check sees a cycle when there is one, through a value or only through types', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-cycle-'));
  try {
    writeFileSync(join(dir, 'provider.ts'), "import { fail } from './error';\nexport const provide = () => fail();\n");
    writeFileSync(join(dir, 'error.ts'), "import { provide } from './provider';\nexport const fail = () => provide;\n");
    writeFileSync(join(dir, 'types.ts'), "import type { Reader } from './reader';\nexport interface Source { reader: Reader }\n");
    writeFileSync(join(dir, 'reader.ts'), "import type { Source } from './types';\nexport interface Reader { source: Source }\n");
    const cycles = (await importGraph(dir)).circular().map((cycle) => [...cycle].sort());
    expect(cycles.sort()).toEqual([
      ['error.ts', 'provider.ts'],
      ['reader.ts', 'types.ts'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
