/**
 * Where things are in this repository, for scripts and self-tests alike (nothing outside selftests/
 * imports from it, so the shared paths live here).
 */
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
/** Playwright's CLI, run with this Node (`node cli.js test …`), never through npx. */
export const PLAYWRIGHT_CLI = resolve(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
/** tsx's CLI, the way the config's webServer starts the emulator. */
export const TSX = resolve(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
