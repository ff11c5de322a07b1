/**
 * The CI workflows, checked without running them. First a real linter (npm run lint:workflows,
 * action-validator against GitHub's schema), then what no linter sees (workflow-checks.ts): where
 * secrets go, what the release gate checks out, action majors, artifact names, concurrency, which
 * steps survive a red suite, the job summary, expression references. Every check also runs on a
 * copy of the workflow with its bug planted, and must report it.
 */
import { expect, test } from '../fixtures';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { validateWorkflow } from '@action-validator/core';
import { lintWorkflow, WORKFLOWS_DIR } from '../../scripts/lint-workflows';
import { ROOT, TSX } from '../../helpers/repo-paths';
import {
  actionPins,
  artifactNames,
  checkoutsKeepNoCredentials,
  copyOf,
  expressionReferences,
  gateChecksOutTheSuite,
  gateRequiresRemote,
  installsWithoutScripts,
  docsAgree,
  dovecotRunner,
  ON_DEFAULT_BRANCH,
  toWorkflow,
  trendAndPages,
  LOCAL_TARGETS,
  loadWorkflows,
  nodeVersions,
  queuedConcurrency,
  secretsOnlyWhereNeeded,
  stepsSurviveARedSuite,
  strings,
  uniqueArtifactNames,
  writesSummary,
  type Step,
  type Workflow,
} from './workflow-checks';

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };
const workflows = loadWorkflows(WORKFLOWS_DIR);
const byFile = (file: string): Workflow => {
  const found = workflows.find((w) => w.file === file);
  if (!found) throw new Error(`.github/workflows/${file} is missing`);
  return found;
};
const nightly = byFile('nightly.yml');
const gate = byFile('release-gate.yml');
const selftests = byFile('selftests.yml');
const ENGINES_FLOOR = /^>=(\d+\.\d+)$/.exec(packageJson.engines.node)?.[1] ?? '(engines.node is not ">=X.Y")';

/** The step of `job` whose run or uses matches, to plant a bug in. */
function step(workflow: Workflow, job: string, match: RegExp): Step {
  const found = workflow.jobs[job].steps?.find((s) => match.test(s.run ?? s.uses ?? ''));
  if (!found) throw new Error(`${workflow.file} jobs.${job}: no step matching ${match}`);
  return found;
}

test.describe('the linter', () => {
  test('npm run lint:workflows passes every workflow', () => {
    const run = spawnSync(process.execPath, [TSX, 'scripts/lint-workflows.ts'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toBe(`workflows: ${workflows.length} valid (${workflows.map((w) => w.file).join(', ')})\n`);
  });

  test('it catches schema errors: an unknown key, a wrong type, a needs naming no job, a bad queue value', () => {
    const planted = (from: string, to: string) => {
      expect(nightly.text, `the nightly has ${JSON.stringify(from)} to replace`).toContain(from);
      return lintWorkflow(nightly.text.replace(from, to)).map((e) => `${e.where}: ${e.what}`);
    };
    expect(planted('timeout-minutes: 15', 'timeout-minutes: fifteen')).toEqual(['/jobs/report/timeout-minutes: The value must be number']);
    expect(planted('    needs: test\n', '    needs: tests\n')).toEqual(['/jobs/report/needs: unresolved job tests']);
    expect(planted('      - name: job summary\n', '      - nme: job summary\n')).toEqual(["/jobs/report/steps/14: Additional property 'nme' is not allowed"]);
    expect(planted('  queue: max', '  queue: maximum')).toEqual(['/concurrency/queue: must be one of single, max, got "maximum"']);
    expect(planted('  cancel-in-progress: false\n  queue: max', '  cancel-in-progress: true\n  queue: max')).toEqual(['/concurrency: queue: max cannot be combined with cancel-in-progress: true']);
    expect(lintWorkflow('jobs: [unclosed').length, 'a YAML syntax error').toBeGreaterThan(0);
  });

  test('its schema predates concurrency.queue, and queue is the only thing the script checks in its place', () => {
    const raw = validateWorkflow(nightly.text).errors;
    expect(JSON.stringify(raw), 'action-validator alone rejects the valid queue key').toContain("Additional property 'queue' is not allowed");
    const doc = parseDocument(nightly.text);
    doc.deleteIn(['concurrency', 'queue']);
    expect(validateWorkflow(doc.toString()).errors, 'without queue, the schema has nothing else to say').toEqual([]);
  });
});

test.describe('secrets and credentials', () => {
  test('secrets appear only as ${{ secrets.X }}: no literal key, token, OTP or credentialed URL', () => {
    for (const w of workflows) {
      for (const [path, value] of strings({ on: w.on, env: w.env, jobs: w.jobs })) expect(looksLikeSecretLiteral(value), `${w.file} ${path} holds a literal secret`).toBeUndefined();
    }
    expect(looksLikeSecretLiteral('123456')).toBe('an OTP-like number');
    expect(looksLikeSecretLiteral('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe('a JWT');
    expect(looksLikeSecretLiteral('imaps://qa:hunter2@imap.example.com/INBOX')).toBe('a URL with a password');
    expect(looksLikeSecretLiteral('pk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0')).toBe('a long key-like token');
    expect(looksLikeSecretLiteral('${{ secrets.TRANSAK_API_KEY }}')).toBeUndefined();
    expect(looksLikeSecretLiteral('https://api-gateway-stg.transak.com')).toBeUndefined();
  });

  test('each secret reaches only the one step that needs it (the suite run, the private checkout, the webhook post)', () => {
    for (const w of workflows) expect(secretsOnlyWhereNeeded(w)).toEqual([]);
    const jobEnv = copyOf(gate);
    jobEnv.jobs.gate.env = { ...jobEnv.jobs.gate.env, TRANSAK_API_KEY: '${{ secrets.TRANSAK_API_KEY }}' };
    expect(secretsOnlyWhereNeeded(jobEnv)).toEqual(['release-gate.yml jobs.gate.env.TRANSAK_API_KEY: secrets.TRANSAK_API_KEY reaches more than the one step that needs it']);
    const npmCi = copyOf(nightly);
    step(npmCi, 'test', /^npm ci --ignore-scripts$/).env = { TRANSAK_EMAILS: '${{ secrets.TRANSAK_EMAILS }}' };
    expect(secretsOnlyWhereNeeded(npmCi)).toEqual(['nightly.yml jobs.test.steps[2].env.TRANSAK_EMAILS: secrets.TRANSAK_EMAILS reaches more than the one step that needs it']);
    const token = copyOf(nightly);
    token.env = { ...token.env, GITHUB_TOKEN: '${{ github.token }}' };
    expect(secretsOnlyWhereNeeded(token)).toEqual(['nightly.yml env.GITHUB_TOKEN: the GitHub token belongs in the env of the one step that uses it']);
  });

  test('npm ci runs no install scripts in the jobs that handle secrets (the nightly, the gate)', () => {
    expect([...installsWithoutScripts(nightly), ...installsWithoutScripts(gate)]).toEqual([]);
    const scripted = copyOf(gate);
    step(scripted, 'gate', /^npm ci/).run = 'npm ci';
    expect(installsWithoutScripts(scripted)).toEqual(['release-gate.yml jobs.gate.steps[3]: "npm ci" runs every dependency\'s install scripts in a job that handles secrets']);
  });

  test('every checkout keeps no credentials (persist-credentials: false)', () => {
    for (const w of workflows) expect(checkoutsKeepNoCredentials(w)).toEqual([]);
    const planted = copyOf(selftests);
    delete step(planted, 'npm-test', /actions\/checkout/).with!['persist-credentials'];
    expect(checkoutsKeepNoCredentials(planted)).toEqual([
      'selftests.yml jobs.npm-test.steps[0]: actions/checkout without persist-credentials: false leaves the token in the workspace for every later step',
    ]);
  });
});

test.describe('the release gate', () => {
  test('checks out this suite’s repository, at the commit the caller pinned unless suite-ref says otherwise, with a token for a private repository', () => {
    expect(gateChecksOutTheSuite(gate)).toEqual([]);
    const callersRepo = copyOf(gate);
    const checkout = step(callersRepo, 'gate', /actions\/checkout/);
    delete checkout.with!.repository;
    checkout.with!.ref = 'main';
    expect(gateChecksOutTheSuite(callersRepo)).toEqual([
      'release-gate.yml jobs.gate.steps[1] (check out this suite (the workflow\'s own repository, not the caller\'s)): repository is undefined; without ${{ job.workflow_repository }} a called workflow checks out the caller\'s repository',
      'release-gate.yml jobs.gate.steps[1] (check out this suite (the workflow\'s own repository, not the caller\'s)): ref is "main", not the suite-ref input falling back to the commit the caller pinned',
    ]);
    const defaultMain = copyOf(gate);
    (defaultMain.on.workflow_call as { inputs: Record<string, { default: string }> }).inputs['suite-ref'].default = 'main';
    expect(gateChecksOutTheSuite(defaultMain)).toEqual(["release-gate.yml: the suite-ref input must default to '' (the pinned commit), never a branch"]);
  });

  test('judges nothing but a remote target: an empty or local base-url stops with one red line, and the suite itself is told to refuse one', () => {
    expect(gateRequiresRemote(gate, 'gate')).toEqual([]);
    const unguarded = copyOf(gate);
    delete unguarded.jobs.gate.env!.TRANSAK_REQUIRE_REMOTE;
    unguarded.jobs.gate.steps![0].run = 'echo "judging $TRANSAK_BASE_URL"';
    expect(gateRequiresRemote(unguarded, 'gate')).toEqual([
      "release-gate.yml jobs.gate.env: TRANSAK_REQUIRE_REMOTE is not '1': an input that evaluates to '' routes the gate to the emulator",
      ...LOCAL_TARGETS.map((target) => `release-gate.yml jobs.gate.steps[0]: base-url ${JSON.stringify(target)} is let through`),
    ]);
    const emptyOnly = copyOf(gate);
    emptyOnly.jobs.gate.steps![0].run = '[ -n "$TRANSAK_BASE_URL" ] || { echo "::error::base-url is empty"; exit 1; }';
    expect(gateRequiresRemote(emptyOnly, 'gate')).toEqual(LOCAL_TARGETS.slice(1).map((target) => `release-gate.yml jobs.gate.steps[0]: base-url ${JSON.stringify(target)} is let through`));
  });

  test('judges without retries, publishes JUnit, and runs the suite’s own npm scripts and configs', () => {
    expect(step(gate, 'gate', /test:api/).run).toBe('npm run test:api -- --retries=0 ${GREP:+--grep "$GREP"}');
    expect(gate.text).not.toMatch(/playwright\.nightly\.config/);
    expect(step(gate, 'gate', /action-junit-report/).with).toMatchObject({ report_paths: 'reports/junit.xml' });
    for (const w of workflows) {
      for (const [, name] of w.text.matchAll(/npm run ([\w:.-]+)/g)) expect(Object.keys(packageJson.scripts), `${w.file}: npm run ${name}`).toContain(name);
      for (const [, config] of w.text.matchAll(/-c ([\w./-]+\.ts)/g)) expect(existsSync(join(ROOT, config)), `${w.file}: ${config}`).toBe(true);
    }
  });

  test('names every artifact after the job’s check run, so a caller may run the gate twice in one run', () => {
    expect(artifactNames(gate).map((a) => a.name)).toEqual(['logout-suite-gate-${{ job.check_run_id }}.html', 'logout-suite-gate-playwright-${{ job.check_run_id }}']);
    expect(uniqueArtifactNames(gate, '${{ job.check_run_id }}')).toEqual([]);
    expect(step(gate, 'gate', /^cp reports\/allure-report/).run, 'the file uploaded unzipped is named by the same id').toContain('logout-suite-gate-${CHECK_RUN_ID}.html');
    const fixedName = copyOf(gate);
    step(fixedName, 'gate', /upload-artifact/).with!.path = 'reports/allure-report/index.html';
    expect(uniqueArtifactNames(fixedName, '${{ job.check_run_id }}')).toEqual([
      'release-gate.yml jobs.gate.steps[8] (upload the Allure report (one file, opens with one click)): artifact name index.html lacks ${{ job.check_run_id }}: a second call in the same run would collide',
      'release-gate.yml jobs.gate.steps[8] (upload the Allure report (one file, opens with one click)): artifact index.html would fail a re-run of its job (no overwrite: true, no per-job name)',
    ]);
  });
});

test.describe('runtimes and actions', () => {
  test('no action at v4 or older; each at a major that runs on Node 24; pinned to a version', () => {
    for (const w of workflows) expect(actionPins(w)).toEqual([]);
    const planted = copyOf(nightly);
    step(planted, 'report', /download-artifact/).uses = 'actions/download-artifact@v4';
    step(planted, 'test', /setup-node/).uses = 'actions/setup-node';
    step(planted, 'pages', /deploy-pages/).uses = 'someone/deploy-somewhere@v9';
    const floating = copyOf(gate);
    step(floating, 'gate', /action-junit-report/).uses = 'mikepenz/action-junit-report@v6';
    const unlabelled = toWorkflow(gate.file, gate.text.replace(/(action-junit-report@[0-9a-f]{40}) # v[\d.]+/, '$1'));
    expect([...actionPins(floating), ...actionPins(unlabelled)]).toEqual([
      'release-gate.yml jobs.gate.steps[6] (publish JUnit to the checks view): mikepenz/action-junit-report@v6 is a third-party action on a tag that can move: pin it to the tag\'s full commit SHA, the version in a comment',
      'release-gate.yml jobs.gate.steps[6] (publish JUnit to the checks view): mikepenz/action-junit-report@d9f48fc87bc235f7e214acf696ca5abc0a986f16 names no version: add it as a comment (`@<sha> # vX.Y.Z`)',
    ]);
    expect(actionPins(planted)).toEqual([
      'nightly.yml jobs.test.steps[1]: actions/setup-node is pinned to no version (use @vN or a full commit SHA)',
      'nightly.yml jobs.report.steps[3] (download the shards\' blob reports): actions/download-artifact@v4 is a v4 or older action, on a Node runtime the runners no longer have',
      'nightly.yml jobs.report.steps[3] (download the shards\' blob reports): actions/download-artifact@v4 runs on Node 20; actions/download-artifact runs on Node 24 from v7',
      'nightly.yml jobs.pages.steps[0]: someone/deploy-somewhere@v9 is a third-party action on a tag that can move: pin it to the tag\'s full commit SHA, the version in a comment',
      'nightly.yml jobs.pages.steps[0]: someone/deploy-somewhere is not in NODE24_MAJORS: read its README and add the first major that runs on Node 24',
    ]);
  });

  test('the suite runs on Node 24 in the pipelines; the self-tests also on the engines floor', () => {
    expect(nodeVersions(nightly, ['24'])).toEqual([]);
    expect(nodeVersions(gate, ['24'])).toEqual([]);
    expect(nodeVersions(selftests, ['24', ENGINES_FLOOR])).toEqual([]);
    const planted = copyOf(gate);
    step(planted, 'gate', /setup-node/).with!['node-version'] = 20;
    expect(nodeVersions(planted, ['24'])).toEqual(['release-gate.yml jobs.gate.steps[2]: runs on Node 20, expected 24']);
  });
});

test.describe('runs against staging', () => {
  test('share one group per repository that queues a second run instead of cancelling a pending one; the gate’s at job level', () => {
    expect(queuedConcurrency(nightly, 'workflow')).toEqual([]);
    expect(queuedConcurrency(gate, 'gate')).toEqual([]);
    const cancelling = copyOf(gate);
    delete (cancelling.jobs.gate.concurrency as Record<string, unknown>).queue;
    cancelling.concurrency = { group: 'transak-staging-logout-suite' };
    expect(queuedConcurrency(cancelling, 'gate')).toEqual([
      'release-gate.yml jobs.gate.concurrency: without queue: max a second pending run cancels the first pending one',
      "release-gate.yml concurrency: a called workflow's workflow-level group can deadlock with its caller's",
    ]);
  });

  test('reports, summary and trend still run after a red suite; the summary is written in both pipelines', () => {
    expect(stepsSurviveARedSuite(gate, 'gate', /npm run test:api/)).toEqual([]);
    expect(stepsSurviveARedSuite(nightly, 'test', /npm run test:api/)).toEqual([]);
    expect(stepsSurviveARedSuite(nightly, 'report', /download-artifact/)).toEqual([]);
    expect(nightly.jobs.report.if, 'the report job runs after red shards').toBe('${{ !cancelled() }}');
    expect(writesSummary(nightly, 'report')).toEqual([]);
    expect(writesSummary(gate, 'gate')).toEqual([]);
    const skipped = copyOf(nightly);
    delete step(skipped, 'report', /npm run summary/).if;
    expect(writesSummary(skipped, 'report')).toEqual(['nightly.yml jobs.report: the summary step is skipped after a red suite']);
    expect(stepsSurviveARedSuite(skipped, 'report', /download-artifact/)).toEqual(['nightly.yml jobs.report.steps[14] (job summary): skipped when the suite is red (its if: lacks !cancelled())']);
  });

  test('the nightly keeps its trend on a branch, not in a cache that 7 quiet days evict', () => {
    expect(nightly.text).not.toMatch(/actions\/cache/);
    const history = (action: string) => step(nightly, 'report', new RegExp(`allure-history\\.sh ${action}$`));
    expect(history('restore').env).toEqual({ GITHUB_TOKEN: '${{ github.token }}' });
    expect(history('save').if, 'saved only when the report was built, the trend restored, on the default branch').toBe(
      "${{ !cancelled() && steps.allure.outcome == 'success' && steps.restore.outcome == 'success' && env.ON_DEFAULT_BRANCH == 'true' }}",
    );
    expect(nightly.jobs.report.permissions).toEqual({ contents: 'write' });
    expect(() => accessSync(join(ROOT, '.github/scripts/allure-history.sh'), constants.X_OK), 'the script is executable').not.toThrow();
  });

  test('artifact names are unique in the run and survive a re-run; the Allure report goes up as one unzipped file', () => {
    expect(uniqueArtifactNames(nightly)).toEqual([]);
    const allure = artifactNames(nightly).find((a) => a.step.with?.archive === false);
    expect(allure?.name).toBe('logout-suite-nightly-${{ github.run_id }}-${{ github.run_attempt }}.html');
    const overwriting = copyOf(nightly);
    step(overwriting, 'report', /upload-artifact/).with!.overwrite = true;
    expect(uniqueArtifactNames(overwriting)).toEqual([
      'nightly.yml jobs.report.steps[12] (upload the Allure report (one file, opens with one click)): overwrite: true on an unzipped upload deletes an artifact named "artifact", not logout-suite-nightly-${{ github.run_id }}-${{ github.run_attempt }}.html',
    ]);
    const collide = copyOf(nightly);
    step(collide, 'test', /upload-artifact/).with!.name = 'allure-results-${{ matrix.shard }}';
    expect(uniqueArtifactNames(collide)).toEqual(['nightly.yml jobs.test.steps[5] (upload the shard\'s Allure results): artifact name allure-results-${{ matrix.shard }} is also used by jobs.test.steps[4] (upload the shard\'s blob report)']);
  });

  test('the trend is saved only after a restore, only the default branch saves it or publishes, the Pages artifact is named per attempt on both sides, a webhook outage blocks nothing', () => {
    expect(trendAndPages(nightly, 'report', 'pages')).toEqual([]);
    const careless = copyOf(nightly);
    const save = step(careless, 'report', /allure-history\.sh save$/);
    save.if = "${{ !cancelled() && steps.allure.outcome == 'success' }}";
    step(careless, 'report', /upload-pages-artifact/).if = "${{ !cancelled() && vars.PUBLISH_PAGES == 'true' }}";
    delete step(careless, 'report', /upload-pages-artifact/).with!.name;
    delete step(careless, 'report', /curl/)['continue-on-error'];
    expect(trendAndPages(careless, 'report', 'pages')).toEqual([
      'nightly.yml jobs.report: the trend is saved even when its restore failed',
      'nightly.yml jobs.report: a run on any branch saves the trend',
      'nightly.yml jobs.report (upload the Pages site): a run on any branch stages Pages',
      'nightly.yml jobs.report: the Pages artifact is named github-pages in every attempt: a re-run makes two, and deploy-pages refuses',
      "nightly.yml jobs.pages: deploy-pages looks for ${{ needs.report.outputs.pages-artifact }}, not this attempt's github-pages",
      'nightly.yml jobs.report: a webhook outage fails the report job',
    ]);
    const defaultName = copyOf(nightly);
    delete step(defaultName, 'pages', /deploy-pages/).with;
    defaultName.jobs.report.env = {};
    expect(trendAndPages(defaultName, 'report', 'pages')).toEqual([
      `nightly.yml jobs.report.env.ON_DEFAULT_BRANCH is not ${ON_DEFAULT_BRANCH}`,
      "nightly.yml jobs.pages: deploy-pages looks for github-pages, not this attempt's github-pages-${{ github.run_attempt }}",
    ]);
    expect(nightly.jobs.pages.if, 'deployed whenever this attempt uploaded the site').toBe("${{ !cancelled() && needs.report.outputs.pages-artifact != '' }}");
  });

  test('the night is judged whole: the summary gets the suite’s --list count and the shard jobs’ result; it alone decides the notification', () => {
    const list = step(nightly, 'report', /playwright test --list/);
    expect(list.run).toBe('npx playwright test --list -c playwright.nightly.config.ts --reporter=json');
    expect(list.env).toEqual({ PLAYWRIGHT_JSON_OUTPUT_FILE: 'suite-list.json' });
    const summary = step(nightly, 'report', /npm run summary/);
    expect(summary.run).toContain('--listed suite-list.json --shard-jobs "$SHARD_JOBS"');
    expect(summary.env?.SHARD_JOBS).toBe('${{ needs.test.result }}');
    expect(nightly.jobs.report.needs).toBe('test');
    expect(step(nightly, 'report', /npm run report/).run, 'the download folder, whatever its layout; never a glob of its entries').toBe('npm run report -- all-allure-results');
  });

  test('notifies unless the night is green, and only when the webhook secret is set', () => {
    const notify = step(nightly, 'report', /curl/);
    expect(notify.if, 'the summary decides; no output at all (it never ran) notifies too').toBe("${{ !cancelled() && steps.summary.outputs.notify != 'false' }}");
    expect(notify.env?.WEBHOOK_URL).toBe('${{ secrets.NIGHTLY_WEBHOOK_URL }}');
    expect(notify.run).toMatch(/^if \[ -z "\$WEBHOOK_URL" \]; then .*exit 0; fi/);
  });
});

test('the self-tests run on every push and pull request: the README’s test command on a GitHub-hosted runner, with Chrome and dovecot', () => {
  expect(Object.keys(selftests.on).sort()).toEqual(['pull_request', 'push']);
  const job = selftests.jobs['npm-test'];
  expect(job['runs-on']).toBe('ubuntu-24.04');
  for (const w of workflows) expect(dovecotRunner(w)).toEqual([]);
  const latest = copyOf(selftests);
  latest.jobs['npm-test']['runs-on'] = 'ubuntu-latest';
  expect(dovecotRunner(latest)).toEqual(['selftests.yml jobs.npm-test: runs-on "ubuntu-latest" may bring dovecot 2.4, which rejects the 2.3 settings scripts/dovecot.ts writes: pin ubuntu-24.04']);
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'the README gives the same command').toContain('`npm ci && npm test`');
  expect(step(selftests, 'npm-test', /npm test/).run).toBe('npm ci && npm test');
  expect(job.env?.CHROMIUM_PATH, 'Ubuntu’s chromium is a snap stub; the runner has Google Chrome').toBe('/usr/bin/google-chrome');
  expect(packageJson.scripts.test, 'npm test installs what is still missing itself (scripts/system-deps-install.ts, sudo -n on a runner)').toMatch(/^tsx scripts\/system-deps-install\.ts && /);
  expect(step(selftests, 'npm-test', /apt-get install/).run).toMatch(/sudo DEBIAN_FRONTEND=noninteractive apt-get install [^\n]*dovecot-imapd/);
});

test('the docs describe the workflows as they are: how many, which runs the soak, what a caller must not do with the group', () => {
  const files = ['README.md', 'CONTRIBUTING.md', 'docs/ci.md', 'selftests/soak.config.ts', 'selftests/staging/never-cry-wolf.spec.ts'];
  const docs = files.map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
  expect(docsAgree(docs, workflows)).toEqual([]);
  const stale = docs.map((d) => ({
    ...d,
    text: d.text
      .replace('Four GitHub Actions workflows', 'Three GitHub Actions workflows')
      .replace('which soak.yml runs every night.', 'which the nightly workflow runs.')
      .replace("default); soak.yml runs this one every night.", "default); the nightly workflow runs this one.")
      .replace(/\*\*Callers: never use the group name/, '**Callers: you may reuse the group name'),
  }));
  expect(docsAgree(stale, workflows)).toEqual([
    'docs/ci.md counts three workflows; there are 4',
    'selftests/soak.config.ts: says nightly runs the soak; soak.yml does',
    'selftests/staging/never-cry-wolf.spec.ts: says nightly runs the soak; soak.yml does',
    'docs/ci.md: does not tell callers never to reuse the group transak-staging-logout-suite',
  ]);
});

test('every expression names a step, need, input, matrix key or job that exists', () => {
  for (const w of workflows) expect(expressionReferences(w)).toEqual([]);
  const planted = copyOf(nightly);
  step(planted, 'report', /curl/).if = "${{ steps.sumary.outputs.colour == 'red' }}";
  planted.jobs.pages.if = "${{ needs.reports.result == 'success' }}";
  planted.jobs.test.name = 'suite (shard ${{ matrix.shrd }})';
  const call = copyOf(gate);
  call.jobs.gate.env = { TRANSAK_BASE_URL: '${{ inputs.base_url }}' };
  expect([...expressionReferences(planted), ...expressionReferences(call)]).toEqual([
    "nightly.yml jobs.test.name: matrix.shrd is not in jobs.test's matrix",
    'nightly.yml jobs.report.steps[15].if: steps.sumary is no step id of jobs.report',
    'nightly.yml jobs.pages.if: needs.reports is not in jobs.pages.needs',
    'release-gate.yml jobs.gate.env.TRANSAK_BASE_URL: inputs.base_url is no declared input',
  ]);
});

/** Strings that would be a secret if written out: a JWT, an OTP, a long key-like token, a URL with a password. */
function looksLikeSecretLiteral(value: string): string | undefined {
  // A commit an action is pinned to (`owner/action@<40 hex>`) is public, not a key.
  const literal = value.replace(/\$\{\{[^}]*\}\}/g, '').replace(/^([\w.-]+\/[\w./-]+)@[0-9a-f]{40}$/, '$1');
  if (/eyJ[\w-]{4,}\.eyJ[\w-]{2,}/.test(literal)) return 'a JWT';
  if (/^\s*\d{4,8}\s*$/.test(literal)) return 'an OTP-like number';
  if (/\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(literal)) return 'a URL with a password';
  if (/(?<![\w/.-])[A-Za-z0-9_-]{32,}(?![\w/.-])/.test(literal) && !/^[a-z0-9-]+$/.test(literal.trim())) return 'a long key-like token';
  return undefined;
}

test('the report outputs stay out of git: CI uploads them, nobody commits them', () => {
  const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n').map((l) => l.trim());
  expect(ignored).toEqual(expect.arrayContaining(['allure-results/', 'allure-history/', 'blob-report/', '/reports/']));
  expect(ignored, 'a bare reports/ would also hide selftests/reports/').not.toContain('reports/');
});
