/**
 * No module of the project imports itself back at run time: one that needs another's import to have
 * finished loading breaks in ways that depend on who imported first. Type-only imports are erased, so
 * they count only where the layering is the point: the OTP modules (no source imports providers.ts
 * back) and the emulator (its context sits under every route, fault mode and option parser).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import madge from 'madge';
import { ROOT } from '../../helpers/repo-paths';

async function importGraph(dir: string, { types }: { types: boolean }) {
  return madge(dir, {
    fileExtensions: ['ts'],
    tsConfig: join(ROOT, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: !types } },
    excludeRegExp: [/^(node_modules|test-results|reports|allure-[a-z]+|playwright-report|blob-report)\//],
  });
}

test('no module imports itself back at run time, through any chain of imports', async () => {
  const graph = await importGraph(ROOT, { types: false });
  const modules = graph.obj();
  // The graph really holds the project: the IMAP provider and what it imports.
  expect(modules['helpers/otp/imap-provider.ts']).toEqual(
    expect.arrayContaining(['helpers/otp/imap-connection.ts', 'helpers/otp/imap-errors.ts']),
  );
  expect(Object.keys(modules).length).toBeGreaterThan(80);
  expect(graph.circular(), 'import cycles (each: a → b → … → a)').toEqual([]);
});

for (const [dir, modules] of [
  ['helpers/otp', ['providers.ts', 'imap-provider.ts', 'imap-errors.ts']],
  ['emulator', ['context.ts', 'options.ts', 'faults.ts', 'auth.ts', 'routes/logout.ts']],
] as const) {
  test(`${dir} forms no cycle, not even through its types`, async () => {
    const graph = await importGraph(join(ROOT, dir), { types: true });
    expect(Object.keys(graph.obj())).toEqual(expect.arrayContaining([...modules]));
    expect(graph.circular()).toEqual([]);
  });
}

test('the checks see a cycle when there is one: through values always, through types only when asked', async ({}, testInfo) => {
  const dir = testInfo.outputPath('cycles');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'provider.ts'), "import { fail } from './error';\nexport const provide = () => fail();\n");
  writeFileSync(join(dir, 'error.ts'), "import { provide } from './provider';\nexport const fail = () => provide;\n");
  writeFileSync(join(dir, 'types.ts'), "import type { Reader } from './reader';\nexport interface Source { reader: Reader }\n");
  writeFileSync(join(dir, 'reader.ts'), "import { type Source } from './types';\nexport interface Reader { source: Source }\n");
  const cycles = async (types: boolean) => (await importGraph(dir, { types })).circular().map((cycle) => [...cycle].sort());
  expect((await cycles(true)).sort()).toEqual([
    ['error.ts', 'provider.ts'],
    ['reader.ts', 'types.ts'],
  ]);
  expect(await cycles(false)).toEqual([['error.ts', 'provider.ts']]);
});
