/**
 * `npm run lint:workflows [-- <workflow files>]`: checks every workflow under .github/workflows/
 * against GitHub's workflow schema with action-validator (@action-validator/core, the engine of
 * its CLI), offline. One line per error: `<file>: <where>: <what>`; exit code 1 if any.
 *
 * What it catches: unknown or misspelt keys, wrong types and values (timeout, permissions,
 * input types), a `needs` naming no job, a bad cron, an unknown event, a step with both `run` and
 * `uses`. What it does not: anything inside `${{ }}` (a misspelt step id or context), an action
 * without a version, and keys GitHub added after its schema snapshot. The self-tests cover the
 * first two (selftests/reports/workflows.spec.ts); the last is NEWER_THAN_SCHEMA below, checked
 * here and then removed from the copy the validator reads. docs/ci.md says why not actionlint.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isMap, parseDocument, type Document, type YAMLMap } from 'yaml';
import { validateWorkflow, type ValidationError } from '@action-validator/core';
import { ROOT } from '../helpers/repo-paths';

export const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows');

/**
 * Keys GitHub accepts that action-validator 0.6.0's schema predates, each checked here instead:
 * `concurrency.queue` (single | max; max may not be combined with cancel-in-progress: true),
 * https://github.blog/changelog/2026-05-07-github-actions-concurrency-groups-now-allow-larger-queues
 */
const QUEUE_VALUES = ['single', 'max'];

interface Located {
  where: string;
  what: string;
}

/** The concurrency blocks of a workflow: its own and each job's, with where they are. */
function concurrencyBlocks(doc: Document): Array<{ where: string; block: YAMLMap }> {
  const blocks: Array<{ where: string; block: YAMLMap }> = [];
  const top = doc.get('concurrency');
  if (isMap(top)) blocks.push({ where: '/concurrency', block: top });
  const jobs = doc.get('jobs');
  if (isMap(jobs)) {
    for (const pair of jobs.items) {
      const job = pair.value;
      const concurrency = isMap(job) ? job.get('concurrency') : undefined;
      if (isMap(concurrency)) blocks.push({ where: `/jobs/${String(pair.key)}/concurrency`, block: concurrency });
    }
  }
  return blocks;
}

/** Checks the keys newer than the schema and removes them from `doc`; returns what is wrong with them. */
function checkNewerKeys(doc: Document): Located[] {
  const errors: Located[] = [];
  for (const { where, block } of concurrencyBlocks(doc)) {
    if (!block.has('queue')) continue;
    const queue = block.get('queue');
    if (typeof queue !== 'string' || !QUEUE_VALUES.includes(queue))
      errors.push({ where: `${where}/queue`, what: `must be one of ${QUEUE_VALUES.join(', ')}, got ${JSON.stringify(queue)}` });
    if (queue === 'max' && block.get('cancel-in-progress') === true)
      errors.push({ where, what: 'queue: max cannot be combined with cancel-in-progress: true' });
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

function describe(error: ValidationError): Located {
  const where = 'path' in error ? error.path : error.location ? `line ${error.location.line}` : '/';
  return { where: where || '/', what: error.detail ?? error.title };
}

/** Every error in one workflow's text, schema and newer keys together. */
export function lintWorkflow(text: string): Located[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    return doc.errors.map((e) => ({ where: `line ${e.linePos?.[0].line ?? '?'}`, what: e.message.split('\n')[0] }));
  const newer = checkNewerKeys(doc);
  const schema = validateWorkflow(doc.toString()).errors.flatMap(leaves).map(describe);
  return [...newer, ...schema];
}

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(WORKFLOWS_DIR, f));
}

if (require.main === module) {
  const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : workflowFiles();
  const lines = files.flatMap((file) =>
    lintWorkflow(readFileSync(file, 'utf8')).map((e) => `${relative(ROOT, file)}: ${e.where}: ${e.what}`),
  );
  for (const line of lines) console.error(line);
  console.log(
    lines.length === 0
      ? `workflows: ${files.length} valid (${files.map((f) => relative(WORKFLOWS_DIR, f)).join(', ')})`
      : `workflows: ${lines.length} error(s)`,
  );
  process.exit(lines.length === 0 ? 0 : 1);
}
