/**
 * The nightly's trend store (.github/scripts/allure-history.sh), against a real git repository
 * standing in for GitHub (a bare repository served by file://): the first night starts empty, each
 * night's history comes back the next night from a fresh workspace, a rebuilt report adds no
 * commit, and a remote it cannot read stops it with one line instead of silently starting over.
 */
import { expect, test } from '../fixtures';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../helpers/repo-paths';

const SCRIPT = join(ROOT, '.github', 'scripts', 'allure-history.sh');

let dir: string;

test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'allure-history-'));
  const init = spawnSync('git', ['init', '-q', '--bare', join(dir, 'server', 'acme', 'logout-suite.git')], { encoding: 'utf8' });
  expect(init.status, init.stderr).toBe(0);
});

test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One job on a fresh runner: its own empty workspace, the script run there. */
function night(workspace: string, action: 'restore' | 'save', repository = 'acme/logout-suite') {
  mkdirSync(join(dir, workspace), { recursive: true });
  const github = { GITHUB_SERVER_URL: `file://${join(dir, 'server')}`, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: workspace };
  const env = { PATH: process.env.PATH ?? '', HOME: dir, ...github, GITHUB_TOKEN: 'ghs_not-a-real-token' };
  return spawnSync('bash', [SCRIPT, action], { cwd: join(dir, workspace), env, encoding: 'utf8' });
}
/** A file of a workspace's allure-history/. */
const history = (workspace: string, name = 'history.jsonl') => join(dir, workspace, 'allure-history', name);
const commits = () =>
  spawnSync('git', ['--git-dir', join(dir, 'server', 'acme', 'logout-suite.git'), 'rev-list', '--count', 'allure-history'], {
    encoding: 'utf8',
  }).stdout.trim();

test('the trend lives on the allure-history branch from one night to the next', () => {
  const first = night('night-1', 'restore');
  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout).toBe('allure-history: no allure-history branch yet: the trend starts with this run\n');
  writeFileSync(history('night-1'), '{"night":1}\n');
  writeFileSync(history('night-1', 'last-appended-results.txt'), 'fingerprint-1\n');
  writeFileSync(history('night-1', 'fingerprints.jsonl'), '{"run":"night-1"}\n');
  expect(night('night-1', 'save').stdout).toBe('allure-history: saved 1 runs to the allure-history branch\n');

  const second = night('night-2', 'restore');
  expect(second.stdout).toBe('allure-history: restored 1 runs from the allure-history branch\n');
  expect(readFileSync(history('night-2'), 'utf8')).toBe('{"night":1}\n');
  const appended = readFileSync(history('night-2', 'last-appended-results.txt'), 'utf8');
  expect(appended, 'the fingerprint travels too: a rebuild appends nothing').toBe('fingerprint-1\n');
  const kept = readFileSync(history('night-2', 'fingerprints.jsonl'), 'utf8');
  expect(kept, 'the gateway’s kept behaviour fingerprints travel too').toBe('{"run":"night-1"}\n');
  writeFileSync(history('night-2'), '{"night":1}\n{"night":2}\n');
  expect(night('night-2', 'save').stdout).toBe('allure-history: saved 2 runs to the allure-history branch\n');
  expect(night('night-2', 'save').stdout, 'the same history again: no commit').toBe(
    'allure-history: trend unchanged (these results were appended before)\n',
  );
  expect(commits()).toBe('2');

  night('night-3', 'restore');
  expect(readFileSync(history('night-3'), 'utf8')).toBe('{"night":1}\n{"night":2}\n');
});

test('a remote it cannot read stops it with one line; saving without a history is refused', () => {
  const unreadable = night('night-1', 'restore', 'acme/no-such-repo');
  expect(unreadable.status).not.toBe(0);
  expect(unreadable.stderr.trim().split('\n').pop()).toMatch(
    /^allure-history: cannot read file:\/\/.*no-such-repo\.git \(git exit \d+\): check the token's contents permission$/,
  );
  expect(existsSync(history('night-1')), 'no history invented').toBe(false);
  const nothing = night('night-2', 'save');
  expect(nothing.status).toBe(1);
  expect(nothing.stderr).toBe('allure-history: no allure-history/history.jsonl to save (build the report first)\n');
});
