/**
 * The report's environment block (Allure shows it as "Metadata"): what was tested, with what, when,
 * and from which CI run. playwright.config.ts calls this, and the config is loaded by every worker
 * too, so it only reads small files (no child process, no network) and never throws. It holds no
 * secret: the target is reduced to its host name.
 *
 * Every shard of a CI run writes its own block; scripts/allure-report.ts folds them into one
 * (mergeEnvironments) before the report is built, so the report shows the run, not the last shard.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './repo-paths';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Host of TRANSAK_BASE_URL, never its scheme, credentials or path. */
export function targetHost(baseUrl: string | undefined): string {
  if (baseUrl === undefined || baseUrl.trim() === '') return '127.0.0.1 (embedded emulator)';
  try {
    return new URL(baseUrl.trim()).hostname || 'unparsable TRANSAK_BASE_URL';
  } catch {
    return 'unparsable TRANSAK_BASE_URL';
  }
}

const SHA = /^[0-9a-f]{7,40}$/i;
const RUN_DATE = 'Run date';

/**
 * The suite's own commit, 12 hex digits, read from the checkout's .git without running git (HEAD, a
 * loose ref, or packed-refs). CI's commit variable is only the fallback for a checkout without
 * .git: in a release gate called from another repository, GITHUB_SHA is the caller's commit, not
 * the suite's. "unknown" outside a repository.
 */
export function gitCommit(root = ROOT, env: NodeJS.ProcessEnv = process.env): string {
  const fromGit = commitFromGit(root);
  if (fromGit !== 'unknown') return fromGit;
  return shortSha(env.GITHUB_SHA ?? env.CI_COMMIT_SHA);
}

function shortSha(sha: string | undefined): string {
  return sha && SHA.test(sha) ? sha.slice(0, 12) : 'unknown';
}

function commitFromGit(root: string): string {
  let gitDir = join(root, '.git');
  // A worktree or submodule has a .git file pointing at the real directory.
  const pointer = readText(gitDir);
  if (pointer?.startsWith('gitdir:')) gitDir = resolve(root, pointer.slice('gitdir:'.length).trim());
  const head = readText(join(gitDir, 'HEAD'))?.trim();
  if (head === undefined) return 'unknown';
  if (/^[0-9a-f]{40}$/i.test(head)) return head.slice(0, 12);
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  if (ref === undefined) return 'unknown';
  const commonDir = readText(join(gitDir, 'commondir'))?.trim();
  for (const dir of commonDir ? [gitDir, resolve(gitDir, commonDir)] : [gitDir]) {
    const loose = readText(join(dir, ref))?.trim();
    if (loose && /^[0-9a-f]{40}$/i.test(loose)) return loose.slice(0, 12);
    const packed = readText(join(dir, 'packed-refs'))
      ?.split('\n')
      .find((line) => line.endsWith(` ${ref}`));
    if (packed) return packed.slice(0, 12);
  }
  return existsSync(gitDir) ? 'unborn branch' : 'unknown';
}

function packageVersion(path: string): string {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The CI run that produced the report, and the commit that started it: in a release gate called
 * from another repository that is the caller's commit, told apart from the suite's own. Empty
 * outside CI. GitHub Actions and GitLab CI are read; values are ids and URLs, never secrets.
 */
export function ciEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
    return {
      'CI run': `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`,
      'Caller commit': `${env.GITHUB_REPOSITORY}@${shortSha(env.GITHUB_SHA)}`,
    };
  }
  if (env.GITLAB_CI === 'true' && env.CI_PROJECT_PATH) {
    return {
      'CI run': env.CI_PIPELINE_URL ?? env.CI_JOB_URL ?? 'unknown',
      'Caller commit': `${env.CI_PROJECT_PATH}@${shortSha(env.CI_COMMIT_SHA)}`,
    };
  }
  return {};
}

/** Key → value pairs for allure-playwright's `environmentInfo`. */
export function reportEnvironment(env: NodeJS.ProcessEnv = process.env, now = new Date()): Record<string, string> {
  const embedded = !env.TRANSAK_BASE_URL?.trim();
  return {
    'Target host': targetHost(env.TRANSAK_BASE_URL),
    'Embedded emulator': embedded ? 'yes' : 'no',
    'Suite version': packageVersion(join(ROOT, 'package.json')),
    'Suite commit': gitCommit(ROOT, env),
    ...ciEnvironment(env),
    Playwright: packageVersion(join(ROOT, 'node_modules', '@playwright', 'test', 'package.json')),
    Node: process.version,
    [RUN_DATE]: now.toISOString(),
  };
}

/**
 * One block for a run from the blocks its shards wrote: a key every shard agrees on keeps its
 * value, the run date is the earliest shard's, and any other disagreement (two shards that ran
 * against different targets, say) shows every value rather than whichever shard was read last.
 */
export function mergeEnvironments(blocks: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const key of [...new Set(blocks.flatMap((block) => Object.keys(block)))]) {
    const values = [...new Set(blocks.map((block) => block[key]).filter((v): v is string => v !== undefined))];
    merged[key] = key === RUN_DATE ? [...values].sort()[0] : values.join(' | ');
  }
  return merged;
}
