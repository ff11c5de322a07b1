/**
 * The report's environment block (Allure shows it as "Metadata"): what was tested, with what, when.
 * playwright.config.ts calls this, and the config is loaded by every worker too, so it only reads
 * small files (no child process, no network) and never throws. It holds no secret: the target is
 * reduced to its host name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

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

/**
 * The commit under test, 12 hex digits: CI's variable when set, else read from .git without running
 * git (HEAD, a loose ref, or packed-refs). "unknown" outside a repository.
 */
export function gitCommit(root = ROOT, env: NodeJS.ProcessEnv = process.env): string {
  const fromCi = env.GITHUB_SHA ?? env.CI_COMMIT_SHA;
  if (fromCi && /^[0-9a-f]{7,40}$/i.test(fromCi)) return fromCi.slice(0, 12);
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
    const packed = readText(join(dir, 'packed-refs'))?.split('\n').find((line) => line.endsWith(` ${ref}`));
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

/** Key → value pairs for allure-playwright's `environmentInfo`. */
export function reportEnvironment(env: NodeJS.ProcessEnv = process.env, now = new Date()): Record<string, string> {
  const embedded = !env.TRANSAK_BASE_URL?.trim();
  return {
    'Target host': targetHost(env.TRANSAK_BASE_URL),
    'Embedded emulator': embedded ? 'yes' : 'no',
    'Suite version': packageVersion(join(ROOT, 'package.json')),
    Playwright: packageVersion(join(ROOT, 'node_modules', '@playwright', 'test', 'package.json')),
    Node: process.version,
    'Git commit': gitCommit(ROOT, env),
    'Run date': now.toISOString(),
  };
}
