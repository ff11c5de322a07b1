/**
 * `npm run lint:workflows [-- <workflow files>]`: each workflow (default: all of .github/workflows/) against GitHub's
 * schema, offline, with action-validator (@action-validator/core); one line per error, `<file>: <where>: <what>`, and
 * exit code 1 if any. It misses anything inside `${{ }}` and an action without a version (selftests/reports/workflows.spec.ts
 * checks those), and keys newer than its schema (checked here, then removed from what it reads). docs/ci.md says why not actionlint.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isMap, parseDocument, type Document } from 'yaml';
import { validateWorkflow, type ValidationError } from '@action-validator/core';
import { ROOT } from '../helpers/repo-paths';

export const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows');

/**
 * The one key GitHub accepts that action-validator 0.6.0's schema predates: `concurrency.queue` (single | max; max not with
 * cancel-in-progress: true), https://github.blog/changelog/2026-05-07-github-actions-concurrency-groups-now-allow-larger-queues
 */
const QUEUE_VALUES = ['single', 'max'];

/** Checks the keys newer than the schema and removes them from `doc`; returns what is wrong with them. */
function checkNewerKeys(doc: Document): string[] {
  const errors: string[] = [];
  const jobs = Object.keys((doc.toJS() as { jobs?: object }).jobs ?? {});
  for (const path of [['concurrency'], ...jobs.map((job) => ['jobs', job, 'concurrency'])]) {
    const block = doc.getIn(path);
    if (!isMap(block) || !block.has('queue')) continue;
    const where = `/${path.join('/')}`;
    const queue = block.get('queue');
    if (typeof queue !== 'string' || !QUEUE_VALUES.includes(queue))
      errors.push(`${where}/queue: must be one of ${QUEUE_VALUES.join(', ')}, got ${JSON.stringify(queue)}`);
    if (queue === 'max' && block.get('cancel-in-progress') === true)
      errors.push(`${where}: queue: max cannot be combined with cancel-in-progress: true`);
    block.delete('queue');
  }
  return errors;
}

/** The innermost errors worth a line: of a oneOf, the branch that came closest (fewest errors). */
function leaves(error: ValidationError): ValidationError[] {
  if (!('states' in error) || !error.states?.length) return [error];
  const branches = error.states.map((state) => state.errors.flatMap(leaves));
  return branches.reduce((best, branch) => (branch.length < best.length ? branch : best));
}

const describe = (error: ValidationError) =>
  `${('path' in error ? error.path : error.location && `line ${error.location.line}`) || '/'}: ${error.detail ?? error.title}`;

/** Every error in one workflow's text, schema and newer keys together, each as `<where>: <what>`. */
export function lintWorkflow(text: string): string[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return doc.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`);
  const newer = checkNewerKeys(doc);
  return [...newer, ...validateWorkflow(doc.toString()).errors.flatMap(leaves).map(describe)];
}

/** The names of the workflows in WORKFLOWS_DIR. */
export const workflowFiles = () =>
  readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

if (require.main === module) {
  const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : workflowFiles().map((f) => join(WORKFLOWS_DIR, f));
  const lines = files.flatMap((file) => lintWorkflow(readFileSync(file, 'utf8')).map((e) => `${relative(ROOT, file)}: ${e}`));
  for (const line of lines) console.error(line);
  if (lines.length > 0) console.log(`workflows: ${lines.length} error(s)`);
  else console.log(`workflows: ${files.length} valid (${files.map((f) => relative(WORKFLOWS_DIR, f)).join(', ')})`);
  process.exit(lines.length === 0 ? 0 : 1);
}
