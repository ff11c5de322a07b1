/**
 * Where things are in this repository, for the suite's helpers, the scripts and the self-tests
 * alike (in helpers/, which the other two import and which imports neither).
 */
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
/** Playwright's CLI, run with this Node (`node cli.js test …`), never through npx. */
export const PLAYWRIGHT_CLI = resolve(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
/** tsx's CLI, the way the config's webServer starts the emulator. */
export const TSX = resolve(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
