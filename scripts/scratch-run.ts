/**
 * Running the project the way a fresh clone would, away from the developer's own files: a copy in
 * the system's temporary folder, a clean environment, commands run to their end and the suite read
 * back from its JSON report, and a result computed once per self-test run and shared with a second
 * worker (after a failure Playwright starts a new one).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAYWRIGHT_CLI, ROOT } from '../helpers/repo-paths';
import { readReport, runErrors, testsOf } from './json-report';

/** What a fresh clone has not got, and what must never be copied around (a developer's .env). */
const NOT_COPIED =
  /^(node_modules|\.git|\.env|reports|allure-(results|report|history)|test-results|blob-report|playwright-report|selftests)$/;

/** A copy of the project as a fresh clone has it (node_modules linked), in `dir`. */
export function copyProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  for (const entry of readdirSync(ROOT).filter((name) => !NOT_COPIED.test(name)))
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

/** What would steer a run: the suite's, the emulator's, Playwright's, Allure's and CI's variables. */
const STEERING = /^(CI$|(TRANSAK|LOGOUT|EMULATOR|PLAYWRIGHT|PW|TEST|ALLURE|GITHUB|GITLAB|CI)_)/;

/** This process's environment without anything that would steer a run. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !STEERING.test(key)));
}

export type Finished = Awaited<ReturnType<typeof runToEnd>>;

/** Runs a command to its end, stdout and stderr collected, killed after `timeoutMs`. */
export async function runToEnd(
  command: string,
  args: string[],
  { cwd, env, timeoutMs }: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
) {
  const started = Date.now();
  const child = spawn(command, args, { cwd, env, timeout: timeoutMs, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  return { exitCode, output, durationMs: Date.now() - started };
}

export interface PlaywrightTestOptions {
  /** The project to run: this one, or a copy (copyProject). */
  cwd?: string;
  /** Environment on top of a clean one (cleanEnv, and no .env). */
  env?: NodeJS.ProcessEnv;
  /** Playwright's arguments, e.g. ['-c', 'playwright.nightly.config.ts', '--grep', 'R2']. */
  args?: string[];
  /** Reporters besides the JSON one read here (e.g. ['line']); without them, the config's own, its JSON report redirected. */
  reporters?: string[];
  /** Where the JSON report is kept; by default a temporary file, removed after reading. */
  jsonFile?: string;
  /** false: no --output, so a config's own per-project output folders stand (the kill matrix's). */
  output?: boolean;
  timeoutMs?: number;
}

export type PlaywrightTestRun = Awaited<ReturnType<typeof runPlaywrightTest>>;

/**
 * `playwright test` as a child process in a clean environment, its tests read from its JSON report,
 * and its errors outside any test in full (a failed preflight in global setup, the run-level verdict).
 */
export async function runPlaywrightTest(options: PlaywrightTestOptions = {}) {
  const { cwd = ROOT, env = {}, args = [], reporters, output = true, timeoutMs = 240_000 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'suite-run-'));
  const jsonFile = options.jsonFile ?? join(dir, 'results.json');
  const reporter = reporters ? [`--reporter=${['json', ...reporters].join(',')}`] : [];
  try {
    const argv = [PLAYWRIGHT_CLI, 'test', ...reporter, ...(output ? [`--output=${join(dir, 'test-results')}`] : []), ...args];
    const runEnv = { ...cleanEnv(), TRANSAK_ENV_FILE: join(dir, 'no.env'), PLAYWRIGHT_JSON_OUTPUT_FILE: jsonFile, ...env };
    const run = await runToEnd(process.execPath, argv, { cwd, env: runEnv, timeoutMs });
    const report = readReport(jsonFile);
    return { ...run, tests: report ? testsOf(report) : [], errors: report ? runErrors(report) : [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `produce`'s result for this self-test run: computed now in a fresh folder, or read from the cache
 * a previous worker of the run left (workers are the runner's children: its pid keys the run). Not
 * under test-results/, which any Playwright run of this project empties when it starts.
 */
export async function oncePerSelfTestRun<T>(prefix: string, produce: (cacheDir: string) => Promise<T>): Promise<T> {
  const cacheDir = join(tmpdir(), `${prefix}${process.ppid}`);
  const cached = join(cacheDir, 'run.json');
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as T;
  // Caches older than two hours are from finished self-test runs (another run may remove one first).
  for (const stale of readdirSync(tmpdir()).filter((name) => name.startsWith(prefix))) {
    const modified = statSync(join(tmpdir(), stale), { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - modified > 2 * 60 * 60 * 1000) rmSync(join(tmpdir(), stale), { recursive: true, force: true });
  }
  mkdirSync(cacheDir, { recursive: true });
  const run = await produce(cacheDir);
  writeFileSync(cached, JSON.stringify(run));
  return run;
}
