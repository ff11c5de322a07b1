/**
 * The CI workflows, checked without running them. First a real linter (npm run lint:workflows, action-validator against
 * GitHub's schema), then what no linter sees (workflow-checks.ts): where secrets go, what the release gate checks out, action
 * majors, artifact names, concurrency, which steps survive a red suite, the job summary, expression references. Every check
 * also runs on a copy of the workflow with its bug planted, and must report it.
 */
import { expect, test } from '../fixtures';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { validateWorkflow } from '@action-validator/core';
import { lintWorkflow } from '../../scripts/lint-workflows';
import { ROOT, TSX } from '../../helpers/repo-paths';
import packageJson from '../../package.json';
import * as checks from './workflow-checks';
import { step, type Workflow } from './workflow-checks';

const workflows = checks.loadWorkflows();
const [nightly, gate, selftests] = ['nightly.yml', 'release-gate.yml', 'selftests.yml'].map(checks.loadWorkflow);
const ENGINES_FLOOR = /^>=(\d+\.\d+)$/.exec(packageJson.engines.node)?.[1] ?? '(engines.node is not ">=X.Y")';

test.describe('the linter', () => {
  test('npm run lint:workflows passes every workflow', () => {
    const run = spawnSync(process.execPath, [TSX, 'scripts/lint-workflows.ts'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toBe(`workflows: ${workflows.length} valid (${workflows.map((w) => w.file).join(', ')})\n`);
  });

  test('it catches schema errors: an unknown key, a wrong type, a needs naming no job, a bad queue value', () => {
    const planted = (from: string, to: string) => {
      expect(nightly.text, `the nightly has ${JSON.stringify(from)} to replace`).toContain(from);
      return lintWorkflow(nightly.text.replace(from, to));
    };
    expect(planted('timeout-minutes: 15', 'timeout-minutes: fifteen')).toEqual(['/jobs/report/timeout-minutes: The value must be number']);
    expect(planted('    needs: test\n', '    needs: tests\n')).toEqual(['/jobs/report/needs: unresolved job tests']);
    expect(planted('      - name: job summary\n', '      - nme: job summary\n')).toEqual([
      "/jobs/report/steps/14: Additional property 'nme' is not allowed",
    ]);
    expect(planted('  queue: max', '  queue: maximum')).toEqual(['/concurrency/queue: must be one of single, max, got "maximum"']);
    expect(planted('  cancel-in-progress: false\n  queue: max', '  cancel-in-progress: true\n  queue: max')).toEqual([
      '/concurrency: queue: max cannot be combined with cancel-in-progress: true',
    ]);
    expect(lintWorkflow('jobs: [unclosed').length, 'a YAML syntax error').toBeGreaterThan(0);
  });

  test('its schema predates concurrency.queue, and queue is the only thing the script checks in its place', () => {
    const raw = validateWorkflow(nightly.text).errors;
    expect(JSON.stringify(raw), 'action-validator alone rejects the valid queue key').toContain(
      "Additional property 'queue' is not allowed",
    );
    const doc = parseDocument(nightly.text);
    doc.deleteIn(['concurrency', 'queue']);
    expect(validateWorkflow(doc.toString()).errors, 'without queue, the schema has nothing else to say').toEqual([]);
  });
});

/** Asserts `check` finds nothing in `clean`, and only then hands out what it reports on a copy with a bug planted. */
function passes(check: (w: Workflow) => string[], clean = workflows) {
  for (const w of clean) expect(check(w), w.file).toEqual([]);
  return (workflow: Workflow, plant: (copy: Workflow) => unknown) => {
    const copy = structuredClone(workflow);
    plant(copy);
    return check(copy);
  };
}

const GATE_CHECKOUT = "release-gate.yml jobs.gate.steps[1] (check out this suite (the workflow's own repository, not the caller's))";
const GATE_ALLURE = 'release-gate.yml jobs.gate.steps[8] (upload the Allure report (one file, opens with one click))';
const DOWNLOAD = "nightly.yml jobs.report.steps[3] (download the shards' blob reports)";
const PER_RUN = '${{ job.check_run_id }}';
const NIGHTLY_ALLURE = 'logout-suite-nightly-${{ github.run_id }}-${{ github.run_attempt }}.html';

const letThrough = (targets: readonly string[]) =>
  targets.map((target) => `release-gate.yml jobs.gate.steps[0]: base-url ${JSON.stringify(target)} is let through`);

test('each secret reaches only the one step that needs it (the suite run, the private checkout, the webhook post)', () => {
  const planted = passes(checks.secretsOnlyWhereNeeded);
  const inWorkflowAndJobEnv = planted(gate, (w) => {
    w.env = { GITHUB_TOKEN: '${{ github.token }}' };
    w.jobs.gate.env = { ...w.jobs.gate.env, TRANSAK_API_KEY: '${{ secrets.TRANSAK_API_KEY }}' };
  });
  expect(inWorkflowAndJobEnv).toEqual([
    'release-gate.yml env.GITHUB_TOKEN: the GitHub token belongs in the env of the one step that uses it',
    'release-gate.yml jobs.gate.env.TRANSAK_API_KEY: secrets.TRANSAK_API_KEY reaches more than the one step that needs it',
  ]);
  const inInstall = planted(nightly, (w) => {
    step(w, 'test', /^npm ci --ignore-scripts$/).env = { TRANSAK_EMAILS: '${{ secrets.TRANSAK_EMAILS }}' };
  });
  expect(inInstall).toEqual([
    'nightly.yml jobs.test.steps[2].env.TRANSAK_EMAILS: secrets.TRANSAK_EMAILS reaches more than the one step that needs it',
  ]);
});

test('npm ci runs no install scripts in the jobs that handle secrets (the nightly, the gate)', () => {
  const planted = passes(checks.installsWithoutScripts, [nightly, gate]);
  expect(planted(gate, (w) => (step(w, 'gate', /^npm ci/).run = 'npm ci'))).toEqual([
    'release-gate.yml jobs.gate.steps[3]: "npm ci" runs every dependency\'s install scripts in a job that handles secrets',
  ]);
});

test('every checkout keeps no credentials (persist-credentials: false)', () => {
  const planted = passes(checks.checkoutsKeepNoCredentials);
  expect(planted(selftests, (w) => delete step(w, 'npm-test', /actions\/checkout/).with!['persist-credentials'])).toEqual([
    'selftests.yml jobs.npm-test.steps[0]: actions/checkout without persist-credentials: false leaves the token in the workspace for every later step',
  ]);
});

test('checks out this suite’s repository, at the commit the caller pinned unless suite-ref says otherwise, with a token for a private repository', () => {
  const planted = passes(checks.gateChecksOutTheSuite, [gate]);
  const callersRepoAtMain = planted(gate, (w) => {
    Object.assign(step(w, 'gate', /actions\/checkout/).with!, { repository: undefined, ref: 'main' });
    (w.on.workflow_call as { inputs: Record<string, { default: string }> }).inputs['suite-ref'].default = 'main';
  });
  expect(callersRepoAtMain).toEqual([
    `${GATE_CHECKOUT}: repository is undefined; without \${{ job.workflow_repository }} a called workflow checks out the caller's repository`,
    `${GATE_CHECKOUT}: ref is "main", not the suite-ref input falling back to the commit the caller pinned`,
    "release-gate.yml: the suite-ref input must default to '' (the pinned commit), never a branch",
  ]);
});

test('judges nothing but a remote target: an empty or local base-url stops with one red line, and the suite itself is told to refuse one', () => {
  const planted = passes((w) => checks.gateRequiresRemote(w, 'gate'), [gate]);
  const unguarded = planted(gate, (w) => {
    delete w.jobs.gate.env!.TRANSAK_REQUIRE_REMOTE;
    w.jobs.gate.steps![0].run = 'echo "judging $TRANSAK_BASE_URL"';
  });
  expect(unguarded).toEqual([
    "release-gate.yml jobs.gate.env: TRANSAK_REQUIRE_REMOTE is not '1': an input that evaluates to '' routes the gate to the emulator",
    ...letThrough(checks.LOCAL_TARGETS),
  ]);
  // A guard that refuses only an empty base-url: each local target is judged on its own.
  const emptyOnly = planted(gate, (w) => {
    w.jobs.gate.steps![0].run = '[ -n "$TRANSAK_BASE_URL" ] || { echo "::error::base-url is empty"; exit 1; }';
  });
  expect(emptyOnly).toEqual(letThrough(checks.LOCAL_TARGETS.slice(1)));
});

test('names every artifact after the job’s check run, so a caller may run the gate twice in one run', () => {
  const planted = passes((w) => checks.uniqueArtifactNames(w, PER_RUN), [gate]);
  expect(planted(gate, (w) => (step(w, 'gate', /upload-artifact/).with!.path = 'reports/allure-report/index.html'))).toEqual([
    `${GATE_ALLURE}: artifact name index.html lacks ${PER_RUN}: a second call in the same run would collide`,
    `${GATE_ALLURE}: artifact index.html would fail a re-run of its job (no overwrite: true, no per-job name)`,
  ]);
  expect(step(gate, 'gate', /^cp reports\/allure-report/).run, 'the file uploaded unzipped is named by the same id').toContain(
    'logout-suite-gate-${CHECK_RUN_ID}.html',
  );
  expect(checks.artifactNames(gate).map((a) => a.name)).toEqual([
    `logout-suite-gate-${PER_RUN}.html`,
    `logout-suite-gate-playwright-${PER_RUN}`,
  ]);
});

test('no action at v4 or older; each at a major that runs on Node 24; pinned to a version', () => {
  const planted = passes(checks.actionPins);
  const unversionedSha = planted(gate, (w) =>
    Object.assign(w, checks.toWorkflow(w.file, w.text.replace(/(action-junit-report@[0-9a-f]{40}) # v[\d.]+/, '$1'))),
  );
  expect(unversionedSha).toEqual([
    `release-gate.yml jobs.gate.steps[6] (publish JUnit to the checks view): mikepenz/action-junit-report@d9f48fc87bc235f7e214acf696ca5abc0a986f16 names no version: add it as a comment (\`@<sha> # vX.Y.Z\`)`,
  ]);
  const oldUnpinnedAndThirdParty = planted(nightly, (w) => {
    step(w, 'report', /download-artifact/).uses = 'actions/download-artifact@v4';
    step(w, 'test', /setup-node/).uses = 'actions/setup-node';
    step(w, 'pages', /deploy-pages/).uses = 'someone/deploy-somewhere@v9';
  });
  expect(oldUnpinnedAndThirdParty).toEqual([
    'nightly.yml jobs.test.steps[1]: actions/setup-node is pinned to no version (use @vN or a full commit SHA)',
    `${DOWNLOAD}: actions/download-artifact@v4 is a v4 or older action, on a Node runtime the runners no longer have`,
    `${DOWNLOAD}: actions/download-artifact@v4 runs on Node 20; actions/download-artifact runs on Node 24 from v7`,
    "nightly.yml jobs.pages.steps[0]: someone/deploy-somewhere@v9 is a third-party action on a tag that can move: pin it to the tag's full commit SHA, the version in a comment",
    'nightly.yml jobs.pages.steps[0]: someone/deploy-somewhere is not in NODE24_MAJORS: read its README and add the first major that runs on Node 24',
  ]);
});

test('the suite runs on Node 24 in the pipelines; the self-tests also on the engines floor', () => {
  const expected = (w: Workflow) => (w.file === selftests.file ? ['24', ENGINES_FLOOR] : ['24']);
  const planted = passes((w) => checks.nodeVersions(w, expected(w)), [nightly, gate, selftests]);
  expect(planted(gate, (w) => (step(w, 'gate', /setup-node/).with!['node-version'] = 20))).toEqual([
    'release-gate.yml jobs.gate.steps[2]: runs on Node 20, expected 24',
  ]);
});

test('share one group per repository that queues a second run instead of cancelling a pending one; the gate’s at job level', () => {
  const planted = passes((w) => checks.queuedConcurrency(w, w.file === nightly.file ? 'workflow' : 'gate'), [nightly, gate]);
  const unqueuedAndWorkflowLevel = planted(gate, (w) => {
    delete (w.jobs.gate.concurrency as Record<string, unknown>).queue;
    w.concurrency = { group: 'transak-staging-logout-suite' };
  });
  expect(unqueuedAndWorkflowLevel).toEqual([
    'release-gate.yml jobs.gate.concurrency: without queue: max a second pending run cancels the first pending one',
    "release-gate.yml concurrency: a called workflow's workflow-level group can deadlock with its caller's",
  ]);
});

test('reports, summary and trend still run after a red suite; the summary is written in both pipelines', () => {
  const suiteRun: Record<string, Record<string, RegExp>> = {
    [gate.file]: { gate: /npm run test:api/ },
    [nightly.file]: { test: /npm run test:api/, report: /download-artifact/ },
  };
  const planted = passes((w) => checks.stepsSurviveARedSuite(w, suiteRun[w.file]), [gate, nightly]);
  expect(planted(nightly, (w) => delete step(w, 'report', /npm run summary/).if)).toEqual([
    'nightly.yml jobs.report.steps[14] (job summary): skipped when the suite is red (its if: lacks !cancelled())',
  ]);
  expect(nightly.jobs.report.if, 'the report job runs after red shards').toBe('${{ !cancelled() }}');
  // The nightly's summary step is the one the plant above edits.
  step(gate, 'gate', /\bnpm run summary\b/);
});

test('artifact names are unique in the run and survive a re-run; the Allure report goes up as one unzipped file', () => {
  const planted = passes((w) => checks.uniqueArtifactNames(w), [nightly]);
  const overwrittenAndReused = planted(nightly, (w) => {
    step(w, 'report', /upload-artifact/).with!.overwrite = true;
    step(w, 'test', /upload-artifact/).with!.name = 'allure-results-${{ matrix.shard }}';
  });
  expect(overwrittenAndReused).toEqual([
    "nightly.yml jobs.test.steps[5] (upload the shard's Allure results): artifact name allure-results-${{ matrix.shard }} is also used by jobs.test.steps[4] (upload the shard's blob report)",
    `nightly.yml jobs.report.steps[12] (upload the Allure report (one file, opens with one click)): overwrite: true on an unzipped upload deletes an artifact named "artifact", not ${NIGHTLY_ALLURE}`,
  ]);
  expect(checks.artifactNames(nightly).find((a) => a.step.with?.archive === false)?.name).toBe(NIGHTLY_ALLURE);
});

test('the trend is saved only after a restore, only the default branch saves it or publishes, the Pages artifact is named per attempt on both sides, a webhook outage blocks nothing', () => {
  const planted = passes((w) => checks.trendAndPages(w, 'report', 'pages'), [nightly]);
  const anyBranchOneName = planted(nightly, (w) => {
    step(w, 'report', /allure-history\.sh save$/).if = "${{ !cancelled() && steps.allure.outcome == 'success' }}";
    Object.assign(step(w, 'report', /upload-pages-artifact/), { if: "${{ !cancelled() && vars.PUBLISH_PAGES == 'true' }}", with: {} });
    delete step(w, 'report', /curl/)['continue-on-error'];
  });
  expect(anyBranchOneName).toEqual([
    'nightly.yml jobs.report: the trend is saved even when its restore failed',
    'nightly.yml jobs.report: a run on any branch saves the trend',
    'nightly.yml jobs.report (upload the Pages site): a run on any branch stages Pages',
    'nightly.yml jobs.report: the Pages artifact is named github-pages in every attempt: a re-run makes two, and deploy-pages refuses',
    "nightly.yml jobs.pages: deploy-pages looks for ${{ needs.report.outputs.pages-artifact }}, not this attempt's github-pages",
    'nightly.yml jobs.report: a webhook outage fails the report job',
  ]);
  const deployDefaultNoEnv = planted(nightly, (w) => {
    delete step(w, 'pages', /deploy-pages/).with;
    w.jobs.report.env = {};
  });
  expect(deployDefaultNoEnv).toEqual([
    `nightly.yml jobs.report.env.ON_DEFAULT_BRANCH is not ${checks.ON_DEFAULT_BRANCH}`,
    "nightly.yml jobs.pages: deploy-pages looks for github-pages, not this attempt's github-pages-${{ github.run_attempt }}",
  ]);
  expect(nightly.jobs.pages.if, 'deployed whenever this attempt uploaded the site').toBe(
    "${{ !cancelled() && needs.report.outputs.pages-artifact != '' }}",
  );
});

test('the self-tests run on every push and pull request: the README’s test command on a GitHub-hosted runner, with Chrome and dovecot', () => {
  const planted = passes(checks.dovecotRunner);
  expect(planted(selftests, (w) => (w.jobs['npm-test']['runs-on'] = 'ubuntu-latest'))).toEqual([
    'selftests.yml jobs.npm-test: runs-on "ubuntu-latest" may bring dovecot 2.4, which rejects the 2.3 settings scripts/dovecot.ts writes: pin ubuntu-24.04',
  ]);
  expect(Object.keys(selftests.on).sort()).toEqual(['pull_request', 'push']);
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'the README gives the same command').toContain('`npm ci && npm test`');
  expect(step(selftests, 'npm-test', /npm test/).run).toBe('npm ci && npm test');
  expect(selftests.jobs['npm-test'].env?.CHROMIUM_PATH, 'Ubuntu’s chromium is a snap stub; the runner has Google Chrome').toBe(
    '/usr/bin/google-chrome',
  );
  expect(
    packageJson.scripts.test,
    'npm test installs what is still missing itself (scripts/prepare-selftests.ts runs scripts/system-deps-install.ts, sudo -n on a runner)',
  ).toBe('tsx scripts/prepare-selftests.ts && playwright test -c selftests');
  expect(step(selftests, 'npm-test', /apt-get install/).run).toMatch(
    /sudo DEBIAN_FRONTEND=noninteractive apt-get install [^\n]*dovecot-imapd/,
  );
});

test('every expression names a step, need, input, matrix key or job that exists', () => {
  const planted = passes(checks.expressionReferences);
  const misspelt = planted(nightly, (w) => {
    step(w, 'report', /curl/).if = "${{ steps.sumary.outputs.colour == 'red' }}";
    w.jobs.pages.if = "${{ needs.reports.result == 'success' }}";
    w.jobs.test.name = 'suite (shard ${{ matrix.shrd }})';
    w.jobs.test.env = { TRANSAK_BASE_URL: '${{ inputs.base_url }}' };
  });
  expect(misspelt).toEqual([
    "nightly.yml jobs.test.name: matrix.shrd is not in jobs.test's matrix",
    'nightly.yml jobs.test.env.TRANSAK_BASE_URL: inputs.base_url is no declared input',
    'nightly.yml jobs.report.steps[15].if: steps.sumary is no step id of jobs.report',
    'nightly.yml jobs.pages.if: needs.reports is not in jobs.pages.needs',
  ]);
});

test('secrets appear only as ${{ secrets.X }}: no literal key, token, OTP or credentialed URL', () => {
  for (const w of workflows)
    for (const [path, value] of checks.strings({ on: w.on, env: w.env, jobs: w.jobs }))
      expect(looksLikeSecretLiteral(value), `${w.file} ${path} holds a literal secret`).toBeUndefined();
  expect(looksLikeSecretLiteral('123456')).toBe('an OTP-like number');
  expect(looksLikeSecretLiteral('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe('a JWT');
  expect(looksLikeSecretLiteral('imaps://qa:hunter2@imap.example.com/INBOX')).toBe('a URL with a password');
  expect(looksLikeSecretLiteral('pk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0')).toBe('a long key-like token');
  expect(looksLikeSecretLiteral('${{ secrets.TRANSAK_API_KEY }}')).toBeUndefined();
  expect(looksLikeSecretLiteral('https://api-gateway-stg.transak.com')).toBeUndefined();
});

test('judges without retries, publishes JUnit, and runs the suite’s own npm scripts and configs', () => {
  expect(step(gate, 'gate', /test:api/).run).toBe('npm run test:api -- --retries=0 ${GREP:+--grep "$GREP"}');
  expect(gate.text).not.toMatch(/playwright\.nightly\.config/);
  expect(step(gate, 'gate', /action-junit-report/).with).toMatchObject({ report_paths: 'reports/junit.xml' });
  for (const w of workflows) {
    for (const [, name] of w.text.matchAll(/npm run ([\w:.-]+)/g))
      expect(Object.keys(packageJson.scripts), `${w.file}: npm run ${name}`).toContain(name);
    for (const [, config] of w.text.matchAll(/-c ([\w./-]+\.ts)/g))
      expect(existsSync(join(ROOT, config)), `${w.file}: ${config}`).toBe(true);
  }
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

test('the night is judged whole: the summary gets the suite’s --list count and the shard jobs’ result; it alone decides the notification', () => {
  const list = step(nightly, 'report', /playwright test --list/);
  expect(list.run).toBe('npx playwright test --list -c playwright.nightly.config.ts --reporter=json');
  expect(list.env).toEqual({ PLAYWRIGHT_JSON_OUTPUT_FILE: 'suite-list.json' });
  const summary = step(nightly, 'report', /npm run summary/);
  expect(summary.run).toContain('--listed suite-list.json --shard-jobs "$SHARD_JOBS"');
  expect(summary.env?.SHARD_JOBS).toBe('${{ needs.test.result }}');
  expect(nightly.jobs.report.needs).toBe('test');
  expect(step(nightly, 'report', /npm run report/).run, 'the download folder, whatever its layout; never a glob of its entries').toBe(
    'npm run report -- all-allure-results',
  );
});

test('notifies unless the night is green, and only when the webhook secret is set', () => {
  const notify = step(nightly, 'report', /curl/);
  expect(notify.if, 'the summary decides; no output at all (it never ran) notifies too').toBe(
    "${{ !cancelled() && steps.summary.outputs.notify != 'false' }}",
  );
  expect(notify.env?.WEBHOOK_URL).toBe('${{ secrets.NIGHTLY_WEBHOOK_URL }}');
  expect(notify.run).toMatch(/^if \[ -z "\$WEBHOOK_URL" \]; then .*exit 0; fi/);
});

test('the docs describe the workflows as they are: how many, which runs the soak, what a caller must not do with the group, which action at which major', () => {
  const files = ['README.md', 'CONTRIBUTING.md', 'docs/ci.md', 'selftests/soak.config.ts', 'selftests/staging/never-cry-wolf.spec.ts'];
  const docs = files.map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
  expect(checks.docsAgree(docs, workflows)).toEqual([]);
  const stale = docs.map((d) => ({
    ...d,
    text: d.text
      .replace('Four GitHub Actions workflows', 'Three GitHub Actions workflows')
      .replace('soak.yml runs the soak every night', 'the nightly workflow runs the soak')
      .replace('soak.yml runs it every night', 'nightly.yml runs it every night')
      .replace(/\*\*Callers: never use the group name/, '**Callers: you may reuse the group name')
      .replace(/^(\| `actions\/checkout` +\| )v7( +\| )v5/m, '$1v6$2v4')
      .replace(/^\| `actions\/deploy-pages`.*\n/m, '| `actions/github-script` | v8 | v8 |\n'),
  }));
  expect(checks.docsAgree(stale, workflows)).toEqual([
    'docs/ci.md counts three workflows; there are 4',
    'selftests/soak.config.ts: says nightly runs the soak; soak.yml does',
    'selftests/staging/never-cry-wolf.spec.ts: says nightly runs the soak; soak.yml does',
    'docs/ci.md: does not tell callers never to reuse the group transak-staging-logout-suite',
    'docs/ci.md: actions/checkout: pinned v6 in the table, v7 in the workflows',
    'docs/ci.md: actions/checkout: first major on Node 24 is v4 in the table, v5 in NODE24_MAJORS',
    'docs/ci.md: the table of actions has no row for actions/deploy-pages, which the workflows use',
    'docs/ci.md: actions/github-script has a row in the table of actions, and no workflow uses it',
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
  const lines = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n');
  const ignored = lines.map((l) => l.trim());
  expect(ignored).toEqual(expect.arrayContaining(['allure-results/', 'allure-history/', 'blob-report/', '/reports/']));
  expect(ignored, 'a bare reports/ would also hide selftests/reports/').not.toContain('reports/');
});
