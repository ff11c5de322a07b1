/**
 * `npm run report [-- <results dir>...]`: builds the Allure 3 report from allure-results/ (or the
 * results folders under the given paths: the downloaded shards) into reports/allure-report/, offline:
 * - removes the old report first (Allure 3 nests a second report into a non-empty folder);
 * - appends a run to allure-history/history.jsonl once: rebuilt results add no second trend point;
 * - folds the shards' environment blocks into one, written back to each folder: Allure keeps the
 *   last it reads, which would show one shard's run date, or hide that two saw different targets;
 * - strips the generator's analytics tag, and fails if any tag still loads from outside.
 * The Allure CLI is spawned, never imported (importing the package runs its CLI).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { mergeEnvironments } from '../helpers/report-environment';
import { ROOT } from '../helpers/repo-paths';

// The .properties reader and writer allure-playwright itself uses. Required: the package declares
// this entry point only in its "exports" map, which this project's module resolution (node) ignores.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseEnvInfo, stringifyEnvInfo } = require('allure-js-commons/sdk/reporter') as {
  parseEnvInfo(text: string): Record<string, string>;
  stringifyEnvInfo(info: Record<string, string>): string;
};

export const RESULTS_DIR = join(ROOT, 'allure-results');
const REPORT_DIR = join(ROOT, 'reports', 'allure-report');
const HISTORY_DIR = join(ROOT, 'allure-history');
const ALLURE_CLI = join(ROOT, 'node_modules', 'allure', 'cli.js');
/** Which results were last appended to the history, so a rebuild does not append them twice. */
const LAST_APPENDED = join(HISTORY_DIR, 'last-appended-results.txt');

/** The analytics block of @allurereport/plugin-awesome's page template (3.18.0). */
const ANALYTICS_BLOCK =
  /<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js\?id=[^"]*"><\/script>\s*<script>\s*window\.dataLayer = window\.dataLayer \|\| \[\];[\s\S]*?<\/script>/g;
/** A tag that would load something from outside the report. */
const OUTSIDE_LOAD = /<(?:script|link|img|iframe)\b[^>]*\s(?:src|href)="(?:https?:)?\/\/[^"]*"/i;

export const stripAnalytics = (html: string): string => html.replace(ANALYTICS_BLOCK, '');

/** The first tag of the page shell (everything outside inline scripts) that loads from outside, if any. */
export function outsideLoad(html: string): string | undefined {
  const shell = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
  return OUTSIDE_LOAD.exec(shell)?.[0];
}

export function resultFiles(dirs: readonly string[]): string[] {
  return dirs
    .flatMap((dir) => (existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter((f) => f.endsWith('-result.json')) : []))
    .sort();
}

/** Identifies a run's results: rebuilding or re-recording the same results is no new run. */
export const resultsId = (files: readonly string[]): string => createHash('sha256').update(files.join('\n')).digest('hex');

const ENVIRONMENT_FILE = 'environment.properties';

/** A results folder's environment block; undefined when it has none. */
export function readEnvironment(dir: string): Record<string, string> | undefined {
  const file = join(dir, ENVIRONMENT_FILE);
  return existsSync(file) ? parseEnvInfo(readFileSync(file, 'utf8')) : undefined;
}

export const writeEnvironment = (dir: string, environment: Record<string, string>) =>
  writeFileSync(join(dir, ENVIRONMENT_FILE), stringifyEnvInfo(environment));

/** Writes the run's one environment block into every results folder that had one; returns it. */
export function unifyEnvironment(resultsDirs: string[]): Record<string, string> | undefined {
  const withBlock = resultsDirs.filter((dir) => readEnvironment(dir));
  if (withBlock.length === 0) return undefined;
  const merged = mergeEnvironments(withBlock.map((dir) => readEnvironment(dir)!));
  for (const dir of withBlock) writeEnvironment(dir, merged);
  return merged;
}

export function buildAllureReport(resultsDirs = [RESULTS_DIR]) {
  const started = Date.now();
  const done = (status: 'built' | 'no-results' | 'failed', message: string) => ({ status, message, durationMs: Date.now() - started });
  rmSync(REPORT_DIR, { recursive: true, force: true });
  const results = resultFiles(resultsDirs);
  const where = resultsDirs.map((d) => relative(ROOT, d) || '.').join(', ');
  if (results.length === 0) return done('no-results', `no Allure results in ${where}: run the suite first (npm run test:api)`);
  unifyEnvironment(resultsDirs);
  const id = resultsId(results);
  const alreadyAppended = existsSync(LAST_APPENDED) && readFileSync(LAST_APPENDED, 'utf8').trim() === id;
  mkdirSync(HISTORY_DIR, { recursive: true });
  const args = [ALLURE_CLI, 'generate', ...resultsDirs, '--config', join(ROOT, 'allurerc.mjs'), '--output', REPORT_DIR];
  const env = { ...process.env, ALLURE_APPEND_HISTORY: alreadyAppended ? '0' : '1' };
  const run = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
  if (run.status !== 0) return done('failed', `allure generate failed (exit ${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
  if (!alreadyAppended) writeFileSync(LAST_APPENDED, `${id}\n`);
  const index = join(REPORT_DIR, 'index.html');
  if (!existsSync(index)) return done('failed', `allure generate wrote no ${relative(ROOT, index)}`);
  const html = stripAnalytics(readFileSync(index, 'utf8'));
  const outside = outsideLoad(html);
  if (outside !== undefined)
    return done('failed', `the report still loads from outside after stripping the analytics tag: ${outside.slice(0, 200)}`);
  writeFileSync(index, html);
  return done('built', `Allure report (${results.length} results): ${relative(ROOT, index)}`);
}

const holdsResults = (dir: string): boolean => resultFiles([dir]).length > 0 || existsSync(join(dir, ENVIRONMENT_FILE));

/**
 * The results folders under what the command line names, whatever download-artifact made of it:
 * shards unpack into `<path>/<artifact>/`, but from v5 a single artifact (a shard missing) straight
 * into `<path>`. A folder is taken when it holds results, and so is each folder directly inside it
 * that does; a file stands for its folder (a shell glob over a flat layout).
 */
export function resultsDirsIn(paths: string[]): string[] {
  const dirs = paths.flatMap((path) => {
    if (!existsSync(path)) return [];
    if (!statSync(path).isDirectory()) return [dirname(path)];
    const inside = readdirSync(path)
      .map((name) => join(path, name))
      .filter((child) => statSync(child).isDirectory() && holdsResults(child));
    return holdsResults(path) ? [path, ...inside] : inside;
  });
  return [...new Set(dirs)].sort();
}

if (require.main === module) {
  const args = process.argv.slice(2).map((d) => resolve(d));
  const dirs = args.length ? resultsDirsIn(args) : [RESULTS_DIR];
  const build = buildAllureReport(dirs.length ? dirs : args);
  console.log(`${build.status === 'built' ? '' : 'report: '}${build.message} (${build.durationMs} ms)`);
  process.exit(build.status === 'built' ? 0 : 1);
}
