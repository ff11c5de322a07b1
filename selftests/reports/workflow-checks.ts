/**
 * What a workflow linter cannot see, as checks over the parsed YAML that return their problems, one line each (`<file>
 * <where>: <what>`): workflows.spec.ts runs each on the real workflows and on a copy with its bug planted.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { WORKFLOWS_DIR, workflowFiles } from '../../scripts/lint-workflows';

type Yaml = Record<string, unknown>;
type Env = Record<string, string>;
/** What a workflow and each of its jobs may set alike. */
type Scoped = { env?: Env; concurrency?: Yaml | string };
type Step = Yaml & Partial<Record<'id' | 'name' | 'uses' | 'run' | 'if', string>> & { env?: Env; with?: Yaml };
type Job = Yaml & Scoped & { needs?: string | string[]; steps?: Step[]; strategy?: { matrix?: Yaml }; outputs?: Env };
export type Workflow = Scoped & { file: string; text: string; on: Yaml; jobs: Record<string, Job> };

export const toWorkflow = (file: string, text: string): Workflow => ({ ...(parse(text) as Omit<Workflow, 'file' | 'text'>), file, text });
/** `.github/workflows/<file>`, parsed. */
export const loadWorkflow = (file: string) => toWorkflow(file, readFileSync(join(WORKFLOWS_DIR, file), 'utf8'));
export const loadWorkflows = () => workflowFiles().map(loadWorkflow);

/** The index of the first step of `job` whose run (or else uses) matches; -1 if none. */
export const stepIndex = (workflow: Workflow, job: string, match: RegExp): number =>
  workflow.jobs[job]?.steps?.findIndex((s) => match.test(s.run ?? s.uses ?? '')) ?? -1;

/** The first step of `job` whose run (or else uses) matches; a workflow without it is wrong. */
export function step(workflow: Workflow, job: string, match: RegExp): Step {
  const found = workflow.jobs[job]?.steps?.[stepIndex(workflow, job, match)];
  if (!found) throw new Error(`${workflow.file} jobs.${job}: no step matching ${match}`);
  return found;
}

/** Every step, `where` it is in its workflow and `at` (the same, after the file's name) for a problem's line. */
const stepsOf = (workflow: Workflow) =>
  Object.entries(workflow.jobs).flatMap(([job, j]) =>
    (j.steps ?? []).map((step, index) => {
      const where = `jobs.${job}.steps[${index}]${step.name ? ` (${step.name})` : ''}`;
      return { job, index, step, where, at: `${workflow.file} ${where}` };
    }),
  );

const usesAction = (step: Step, action: string) => step.uses?.split('@')[0] === action;
const stepsUsing = (workflow: Workflow, action: string) => stepsOf(workflow).filter(({ step }) => usesAction(step, action));

/** The problems whose condition held (the others are `false`), each as `<at>: <what>`. */
const found = (at: string, ...problems: Array<string | false>): string[] =>
  problems.filter((what) => what !== false).map((what) => `${at}: ${what}`);

/** Every string in a YAML tree with its path, e.g. ['jobs.gate.steps[3].env.TRANSAK_API_KEY', '${{ … }}']. */
export function strings(node: unknown, path = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[path, node]];
  if (Array.isArray(node)) return node.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (node !== null && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

/**
 * The first major of each action that runs on Node 24 (Node 20 left GitHub's runners on 16 September 2026), read from its
 * action.yml (`runs.using`) at its tags; for the composite upload-pages-artifact, the major whose inner upload-artifact
 * does. An action not listed here is a problem until someone reads its README and adds it.
 */
export const NODE24_MAJORS: Readonly<Record<string, number>> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/upload-artifact': 6,
  'actions/download-artifact': 7,
  'actions/cache': 5,
  'actions/upload-pages-artifact': 5,
  'actions/deploy-pages': 5,
  'mikepenz/action-junit-report': 6,
};

/** What a step's `uses:` pins: the version is its tag, or for a commit the `# vX.Y.Z` comment beside it. */
function pinOf(workflow: Workflow, uses: string) {
  const [action, ref = ''] = uses.split('@');
  const sha = /^[0-9a-f]{40}$/.test(ref);
  const version = sha ? new RegExp(`uses: ${action}@${ref} # (v\\d+(?:\\.\\d+){0,2})\\s*$`, 'm').exec(workflow.text)?.[1] : ref;
  const major = Number(/^v(\d+)(?:\.\d+){0,2}$/.exec(version ?? '')?.[1] ?? NaN);
  // A sub-action (actions/cache/restore) is released with its repository's action.
  return { action, repository: action.split('/').slice(0, 2).join('/'), sha, version, major };
}

/**
 * GitHub's own actions (actions/*) may float on a major tag; any other owner's is pinned to a full commit SHA with its
 * version in a comment (`@<sha> # v6.4.2`), the major the Node 24 check reads: a tag can be moved to other code, a commit cannot.
 */
export function actionPins(workflow: Workflow): string[] {
  return stepsOf(workflow).flatMap(({ step, at }) => {
    if (step.uses === undefined || step.uses.startsWith('./')) return [];
    const { action, repository, sha, version, major } = pinOf(workflow, step.uses);
    const floor = NODE24_MAJORS[repository];
    return found(
      at,
      !action.startsWith('actions/') &&
        !sha &&
        `${step.uses} is a third-party action on a tag that can move: pin it to the tag's full commit SHA, the version in a comment`,
      version === undefined && `${step.uses} names no version: add it as a comment (\`@<sha> # vX.Y.Z\`)`,
      !sha && isNaN(major) && `${step.uses} is pinned to no version (use @vN or a full commit SHA)`,
      major <= 4 && `${step.uses} is a v4 or older action, on a Node runtime the runners no longer have`,
      floor === undefined
        ? `${action} is not in NODE24_MAJORS: read its README and add the first major that runs on Node 24`
        : major < floor && `${step.uses} runs on Node 20; ${action} runs on Node 24 from v${floor}`,
    );
  });
}

export function checkoutsKeepNoCredentials(workflow: Workflow): string[] {
  return stepsUsing(workflow, 'actions/checkout')
    .filter(({ step }) => step.with?.['persist-credentials'] !== false)
    .map(({ at }) => `${at}: actions/checkout without persist-credentials: false leaves the token in the workspace for every later step`);
}

/** Where each secret may appear: the one place that needs it. */
function secretAllowed(name: string, path: string, workflow: Workflow): boolean {
  const [, job, index, block, key] = /^jobs\.([^.]+)\.steps\[(\d+)\]\.(env|with)\.(.+)$/.exec(path) ?? [];
  if (job === undefined) return false;
  const s = workflow.jobs[job].steps![Number(index)];
  if (name.startsWith('TRANSAK_')) return block === 'env' && key === name && /\bnpm run test:api\b/.test(s.run ?? '');
  if (name === 'SUITE_REPO_TOKEN') return block === 'with' && key === 'token' && usesAction(s, 'actions/checkout');
  if (name === 'NIGHTLY_WEBHOOK_URL') return block === 'env' && /\bcurl\b/.test(s.run ?? '');
  return false;
}

/** Secrets (and the job's GitHub token) reach one step each: never a workflow or job env, never `secrets: inherit`. */
export function secretsOnlyWhereNeeded(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const [path, value] of strings({ env: workflow.env, jobs: workflow.jobs })) {
    for (const [, name] of value.matchAll(/secrets\.([A-Za-z_]+)/g))
      if (!secretAllowed(name, path, workflow))
        problems.push(`${workflow.file} ${path}: secrets.${name} reaches more than the one step that needs it`);
    if (/github\.token|secrets\.GITHUB_TOKEN/.test(value) && !/\.steps\[\d+\]\.(env|with)\./.test(path))
      problems.push(`${workflow.file} ${path}: the GitHub token belongs in the env of the one step that uses it`);
  }
  for (const [job, j] of Object.entries(workflow.jobs))
    if (j.secrets === 'inherit') problems.push(`${workflow.file} jobs.${job}: secrets: inherit hands every secret to the called workflow`);
  return problems;
}

export function nodeVersions(workflow: Workflow, expected: ReadonlyArray<string>): string[] {
  const problems: string[] = [];
  for (const { job, step, at } of stepsUsing(workflow, 'actions/setup-node')) {
    const version = String(step.with?.['node-version'] ?? '');
    const versions =
      version === '${{ matrix.node }}' ? ((workflow.jobs[job].strategy?.matrix?.node as unknown[]) ?? []).map(String) : [version];
    if (JSON.stringify([...versions].sort()) !== JSON.stringify([...expected].sort()))
      problems.push(`${at}: runs on Node ${versions.join(', ') || '(none)'}, expected ${expected.join(', ')}`);
  }
  return problems;
}

/** The release gate checks out ITS repository (not the caller's) at the caller's pinned commit or a given ref. */
export function gateChecksOutTheSuite(workflow: Workflow): string[] {
  const checkouts = stepsUsing(workflow, 'actions/checkout');
  const call = workflow.on.workflow_call as { inputs?: Record<string, { default?: unknown }>; secrets?: Yaml } | undefined;
  return [
    ...found(workflow.file, checkouts.length !== 1 && `expected one checkout, found ${checkouts.length}`),
    ...checkouts.flatMap(({ step, at, job, index }) => {
      const w = step.with ?? {};
      return found(
        at,
        workflow.jobs[job].steps!.slice(0, index).some((s) => s.uses !== undefined) &&
          'the checkout must be the first action (no action runs before this suite is checked out)',
        w.repository !== '${{ job.workflow_repository }}' &&
          `repository is ${JSON.stringify(w.repository)}; without \${{ job.workflow_repository }} a called workflow checks out the caller's repository`,
        w.ref !== '${{ inputs.suite-ref || job.workflow_sha }}' &&
          `ref is ${JSON.stringify(w.ref)}, not the suite-ref input falling back to the commit the caller pinned`,
        !/secrets\.SUITE_REPO_TOKEN/.test(String(w.token)) && 'no SUITE_REPO_TOKEN for a private suite repository',
      );
    }),
    ...found(
      workflow.file,
      call?.inputs?.['suite-ref']?.default !== '' && "the suite-ref input must default to '' (the pinned commit), never a branch",
      !(call?.secrets && 'SUITE_REPO_TOKEN' in call.secrets) && 'workflow_call declares no SUITE_REPO_TOKEN secret',
    ),
  ];
}

/** The names of every upload, as GitHub will see them (an unzipped upload is named after its file). */
export const artifactNames = (workflow: Workflow) =>
  stepsUsing(workflow, 'actions/upload-artifact').map((s) => ({
    ...s,
    name: s.step.with?.archive === false ? basename(String(s.step.with.path ?? '')) : String(s.step.with?.name ?? 'artifact'),
  }));

/**
 * Artifact names are unique in the run: distinct templates, each with something that differs per call (`perCall`, e.g. the
 * job's check run id) where one run may call the workflow twice, and safe to re-run (a new name, or overwriting its own).
 */
export function uniqueArtifactNames(workflow: Workflow, perCall?: string): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { where, at, name, step } of artifactNames(workflow)) {
    if (seen.has(name)) problems.push(`${at}: artifact name ${name} is also used by ${seen.get(name)}`);
    seen.set(name, where);
    if (perCall !== undefined && !name.includes(perCall))
      problems.push(`${at}: artifact name ${name} lacks ${perCall}: a second call in the same run would collide`);
    const unzipped = step.with?.archive === false;
    // Unzipped, overwrite deletes the artifact named by the name input ("artifact"), not this file's.
    const deleted = JSON.stringify(String(step.with?.name ?? 'artifact'));
    if (unzipped && step.with?.overwrite === true)
      problems.push(`${at}: overwrite: true on an unzipped upload deletes an artifact named ${deleted}, not ${name}`);
    const perJob = name.includes('job.check_run_id') || (unzipped && name.includes('github.run_attempt'));
    if (!perJob && (unzipped || step.with?.overwrite !== true))
      problems.push(`${at}: artifact ${name} would fail a re-run of its job (no overwrite: true, no per-job name)`);
  }
  return problems;
}

export const STAGING_GROUP = 'transak-staging-logout-suite';

/** Staging runs share one group that queues instead of cancelling; `level` says where it must sit. */
export function queuedConcurrency(workflow: Workflow, level: 'workflow' | string): string[] {
  const block = level === 'workflow' ? workflow.concurrency : workflow.jobs[level]?.concurrency;
  const at = `${workflow.file} ${level === 'workflow' ? 'concurrency' : `jobs.${level}.concurrency`}`;
  if (typeof block !== 'object' || block === null) return [`${at}: missing (as a mapping with group, cancel-in-progress and queue)`];
  const deadlock = level !== 'workflow' && workflow.concurrency !== undefined;
  return [
    ...found(
      at,
      block.group !== STAGING_GROUP && `group ${JSON.stringify(block.group)} is not ${STAGING_GROUP}`,
      block['cancel-in-progress'] !== false && 'cancel-in-progress must be false: a new run must not cancel one against staging',
      block.queue !== 'max' && 'without queue: max a second pending run cancels the first pending one',
    ),
    ...found(`${workflow.file} concurrency`, deadlock && "a called workflow's workflow-level group can deadlock with its caller's"),
  ];
}

/** After the step matching `from[job]` (the suite's run), every step of that job still runs when the suite is red. */
export function stepsSurviveARedSuite(workflow: Workflow, from: Record<string, RegExp>): string[] {
  return Object.entries(from).flatMap(([job, match]) => {
    const start = stepIndex(workflow, job, match);
    if (start < 0) return [`${workflow.file} jobs.${job}: no step matching ${match}`];
    return stepsOf(workflow)
      .filter((s) => s.job === job && s.index > start && !/!cancelled\(\)|always\(\)/.test(s.step.if ?? ''))
      .map(({ at }) => `${at}: skipped when the suite is red (its if: lacks !cancelled())`);
  });
}

/** `steps.X`, `needs.X`, `inputs.X`, `matrix.X` and `jobs.X` name something that exists: a misspelt one is '' without an error. */
export function expressionReferences(workflow: Workflow): string[] {
  const on = workflow.on as Record<string, { inputs?: Yaml; outputs?: Yaml } | null>;
  const inputs = Object.keys({ ...on.workflow_call?.inputs, ...on.workflow_dispatch?.inputs });
  const problems = strings(on.workflow_call?.outputs, 'on.workflow_call.outputs').flatMap(([path, value]) =>
    [...value.matchAll(/\bjobs\.([A-Za-z0-9_-]+)\./g)]
      .filter(([, id]) => !Object.hasOwn(workflow.jobs, id))
      .map(([, id]) => `${workflow.file} ${path}: jobs.${id} is no job`),
  );
  for (const [job, j] of Object.entries(workflow.jobs)) {
    const known: Record<string, [unknown[], string]> = {
      steps: [(j.steps ?? []).map((s) => s.id), `is no step id of jobs.${job}`],
      needs: [[j.needs ?? []].flat(), `is not in jobs.${job}.needs`],
      inputs: [inputs, 'is no declared input'],
      matrix: [Object.keys(j.strategy?.matrix ?? {}), `is not in jobs.${job}'s matrix`],
    };
    for (const [path, value] of strings(j, `jobs.${job}`))
      for (const expression of value.match(/\$\{\{[\s\S]*?\}\}/g) ?? [])
        for (const [, kind, id] of expression.matchAll(/\b(steps|needs|inputs|matrix)\.([A-Za-z0-9_-]+)/g))
          if (!known[kind][0].includes(id)) problems.push(`${workflow.file} ${path}: ${kind}.${id} ${known[kind][1]}`);
  }
  return problems;
}

/** Runs a step's `run` script as GitHub does (`bash --noprofile --norc -eo pipefail`) against `target`. */
function runWithTarget(script: string, target: string) {
  const env = { PATH: process.env.PATH, TRANSAK_BASE_URL: target };
  const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { env, encoding: 'utf8' });
  return { status: run.status, lines: `${run.stdout}${run.stderr}`.split('\n').filter(Boolean) };
}

/** Targets a gate must refuse, each as an input that evaluated to it, and one it must judge. */
export const LOCAL_TARGETS = [
  '',
  'http://127.0.0.1:4010',
  'https://localhost:8443',
  'https://127.0.0.1',
  'https://[::1]:8443',
  'http://api-gateway-stg.transak.com',
];
const REMOTE_TARGET = 'https://api-gateway-stg.transak.com';

/**
 * The gate judges nothing but a remote target: its job sets TRANSAK_REQUIRE_REMOTE=1 (the suite then refuses any other,
 * helpers/config.ts), and its first step, run here with each target, stops an empty or local one with one red line.
 */
export function gateRequiresRemote(workflow: Workflow, job: string): string[] {
  const j = workflow.jobs[job];
  const problems = found(
    `${workflow.file} jobs.${job}.env`,
    j?.env?.TRANSAK_REQUIRE_REMOTE !== '1' &&
      "TRANSAK_REQUIRE_REMOTE is not '1': an input that evaluates to '' routes the gate to the emulator",
  );
  const at = `${workflow.file} jobs.${job}.steps[0]`;
  const script = j?.steps?.[0]?.run;
  if (script === undefined) return [...problems, `${at}: the first step must refuse an empty or local target`];
  for (const target of LOCAL_TARGETS) {
    const { status, lines } = runWithTarget(script, target);
    if (status === 0) problems.push(`${at}: base-url ${JSON.stringify(target)} is let through`);
    else if (lines.length !== 1 || !lines[0].startsWith('::error'))
      problems.push(`${at}: base-url ${JSON.stringify(target)} stops with ${lines.length} lines, not one ::error line`);
  }
  const remote = runWithTarget(script, REMOTE_TARGET);
  if (remote.status !== 0) problems.push(`${at}: the remote ${REMOTE_TARGET} is refused: ${remote.lines.join(' ')}`);
  return problems;
}

/** The expression a job's own env gives ON_DEFAULT_BRANCH: a scheduled run's event carries no repository. */
export const ON_DEFAULT_BRANCH =
  "${{ github.event_name == 'schedule' || github.ref == format('refs/heads/{0}', github.event.repository.default_branch) }}";

/**
 * The trend is saved only after a successful restore (else a one-night history overwrites the branch's) and only on the
 * default branch, which alone publishes; the Pages artifact is named per attempt on both sides (deploy-pages refuses two
 * of one name in a run); a failed notification blocks nothing.
 */
export function trendAndPages(workflow: Workflow, job: string, pagesJob: string): string[] {
  const problems: string[] = [];
  const at = (match: RegExp) => step(workflow, job, match);
  const where = `${workflow.file} jobs.${job}`;
  const onBranch = "env.ON_DEFAULT_BRANCH == 'true'";
  if (workflow.jobs[job]?.env?.ON_DEFAULT_BRANCH !== ON_DEFAULT_BRANCH)
    problems.push(`${where}.env.ON_DEFAULT_BRANCH is not ${ON_DEFAULT_BRANCH}`);
  const restore = at(/allure-history\.sh restore$/);
  const saveIf = at(/allure-history\.sh save$/).if ?? '';
  if (restore.id === undefined || !saveIf.includes(`steps.${restore.id}.outcome == 'success'`))
    problems.push(`${where}: the trend is saved even when its restore failed`);
  if (!saveIf.includes(onBranch)) problems.push(`${where}: a run on any branch saves the trend`);
  for (const s of workflow.jobs[job]?.steps ?? [])
    if (/upload-pages-artifact|site/.test(`${s.uses ?? ''} ${s.run ?? ''}`) && !s.if?.includes(onBranch))
      problems.push(`${where} (${s.name}): a run on any branch stages Pages`);
  const uploaded = String(at(/^actions\/upload-pages-artifact@/).with?.name ?? 'github-pages');
  if (!uploaded.includes('${{ github.run_attempt }}'))
    problems.push(`${where}: the Pages artifact is named ${uploaded} in every attempt: a re-run makes two, and deploy-pages refuses`);
  const deployed = String(step(workflow, pagesJob, /^actions\/deploy-pages@/).with?.artifact_name ?? 'github-pages');
  const output = /^\$\{\{ needs\.([\w-]+)\.outputs\.([\w-]+) \}\}$/.exec(deployed);
  const resolved = output ? (workflow.jobs[output[1]]?.outputs?.[output[2]] ?? '') : deployed;
  const sameName = uploaded.replace('${{ github.run_attempt }}', '{0}');
  if (!resolved.includes(`format('${sameName}', github.run_attempt)`) && resolved !== uploaded)
    problems.push(`${workflow.file} jobs.${pagesJob}: deploy-pages looks for ${deployed}, not this attempt's ${uploaded}`);
  if (at(/\bcurl\b/)['continue-on-error'] !== true) problems.push(`${where}: a webhook outage fails the report job`);
  return problems;
}

/** Jobs that install dovecot run on the Ubuntu whose dovecot (2.3) reads scripts/dovecot.ts's settings. */
export function dovecotRunner(workflow: Workflow): string[] {
  return Object.entries(workflow.jobs)
    .filter(([, j]) => j['runs-on'] !== 'ubuntu-24.04' && (j.steps ?? []).some((s) => /apt-get install[^\n]*dovecot/.test(s.run ?? '')))
    .map(
      ([job, j]) =>
        `${workflow.file} jobs.${job}: runs-on ${JSON.stringify(j['runs-on'])} may bring dovecot 2.4, which rejects the 2.3 settings scripts/dovecot.ts writes: pin ubuntu-24.04`,
    );
}

/**
 * Where a job handles secrets, npm ci runs no lifecycle scripts: a step-level secret keeps the value out of npm ci's
 * environment, not out of reach of what an install script leaves running or rewrites in node_modules (docs/ci.md).
 */
export function installsWithoutScripts(workflow: Workflow): string[] {
  return stepsOf(workflow)
    .filter(({ step }) => /\bnpm ci\b/.test(step.run ?? '') && !/\bnpm ci --ignore-scripts\b/.test(step.run ?? ''))
    .map(({ at, step }) => `${at}: ${JSON.stringify(step.run)} runs every dependency's install scripts in a job that handles secrets`);
}

const COUNT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** What the docs say of the workflows: how many, which runs the soak, and never to reuse the staging group (a deadlock). */
export function docsAgree(docs: Array<{ file: string; text: string }>, workflows: Workflow[]): string[] {
  const problems: string[] = [];
  const ci = docs.find((d) => d.file === 'docs/ci.md')?.text ?? '';
  const counted = /^(\w+) GitHub Actions workflows/m.exec(ci)?.[1]?.toLowerCase() ?? '';
  if (COUNT_WORDS.indexOf(counted) !== workflows.length)
    problems.push(`docs/ci.md counts ${counted || 'no'} workflows; there are ${workflows.length}`);
  const soak = workflows.find((w) => /npm run soak/.test(w.text))?.file;
  for (const { file, text } of docs) {
    // A sentence ends at a period followed by white space, not at the one in `soak.config.ts`.
    for (const [sentence] of [...text.matchAll(/(?:[^.]|\.(?=\S))+\./g)].filter(([t]) => /\bsoak\b/i.test(t))) {
      const claims = sentence.matchAll(
        /(?:\b([\w-]+)(?:\.yml`?| workflow) runs (?:it|this one|the soak)\b|\bwhich (?:the )?([\w-]+)(?:\.yml`?| workflow) runs\b)/gi,
      );
      for (const claim of claims) {
        const named = (claim[1] ?? claim[2]).toLowerCase();
        if (`${named}.yml` !== soak) problems.push(`${file}: says ${named} runs the soak; ${soak} does`);
      }
    }
  }
  if (!new RegExp(`never use the group name\\s+\`${STAGING_GROUP}\``).test(ci))
    problems.push(`docs/ci.md: does not tell callers never to reuse the group ${STAGING_GROUP}`);
  if (/wait for its caller,?\s+forever/.test(ci))
    problems.push('docs/ci.md: says a reused group waits forever; GitHub cancels it as a deadlock');
  return [...problems, ...runtimeTableAgrees(ci, workflows)];
}

/**
 * docs/ci.md's table of actions (`| \`owner/name\` … | vN … | vM |`): one row for each action the workflows use, its
 * pinned major as they pin it, its first major on Node 24 as NODE24_MAJORS has it.
 */
function runtimeTableAgrees(ci: string, workflows: Workflow[]): string[] {
  const rows = new Map(
    [...ci.matchAll(/^\| `([\w.-]+\/[\w.-]+)`[^|]*\| v(\d+)[^|]*\| v(\d+) +\|$/gm)].map(([, action, pinned, floor]) => [
      action,
      { pinned: Number(pinned), floor: Number(floor) },
    ]),
  );
  const pinned = new Map<string, Set<number>>();
  for (const workflow of workflows)
    for (const { step } of stepsOf(workflow)) {
      if (step.uses === undefined || step.uses.startsWith('./')) continue;
      const { repository, major } = pinOf(workflow, step.uses);
      pinned.set(repository, (pinned.get(repository) ?? new Set()).add(major));
    }
  return [...new Set([...pinned.keys(), ...rows.keys()])].flatMap((action) => {
    const row = rows.get(action);
    const majors = [...(pinned.get(action) ?? [])];
    if (row === undefined) return [`docs/ci.md: the table of actions has no row for ${action}, which the workflows use`];
    if (majors.length === 0) return [`docs/ci.md: ${action} has a row in the table of actions, and no workflow uses it`];
    return found(
      `docs/ci.md: ${action}`,
      majors.some((m) => m !== row.pinned) && `pinned v${row.pinned} in the table, v${majors.join(', v')} in the workflows`,
      row.floor !== NODE24_MAJORS[action] &&
        `first major on Node 24 is v${row.floor} in the table, v${NODE24_MAJORS[action]} in NODE24_MAJORS`,
    );
  });
}
