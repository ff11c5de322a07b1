/**
 * Where things are in this repository, for the suite's helpers, the scripts and the self-tests
 * alike (in helpers/, which the other two import and which imports neither).
 */
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
/** Playwright's CLI, run with this Node (`node cli.js test …`), never through npx. */
export const PLAYWRIGHT_CLI = resolve(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
/** tsx's CLI, for the scripts one script starts (`node cli.mjs script.ts`). */
export const TSX = resolve(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
/**
 * Where V8 keeps compiled code from one Node process to the next (Node 22 on; older Node ignores
 * NODE_COMPILE_CACHE). A config that sets the variable passes it to every process its runner starts:
 * workers, the emulator, and the suites the self-tests run, which start by the hundred.
 */
export const COMPILE_CACHE = resolve(ROOT, 'node_modules', '.cache', 'node-compile-cache');
