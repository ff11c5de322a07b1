/**
 * `npm run summary [-- --report <json>] [--title <text>] [--link "<name>=<url>"]... [--listed <json>]
 * [--shard-jobs <result>]`: what QA reads on the run's page without opening a zip, from Playwright's
 * JSON report: the counts, each failure under its verdict rule with its one-line violation, the
 * flaky tests, errors outside any test (a failed preflight), what the behaviour fingerprint saw
 * change, and links to the reports. It appends to $GITHUB_STEP_SUMMARY when set, else writes
 * reports/summary.md; $GITHUB_OUTPUT gets `colour` (green, flaky or red), `notify` (not green) and a
 * one-line `headline`. Everything is redacted first: no JWT, test address or secret value reaches
 * the page. A sharded night passes `--listed <JSON of playwright test --list>` and `--shard-jobs
 * <needs.<shard job>.result>` (scripts/night-completeness.ts).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { createRedactor, secretsOfEnv } from '../helpers/redact';
import { ROOT } from '../helpers/repo-paths';
import { RULE_IDS, RULES, ruleOfTags, type RuleId } from '../helpers/rules';
import { countTests, readReport, runErrors, testsOf, type JSONReport, type ReportTest } from './json-report';
import { judgeCompleteness, type Judged } from './night-completeness';
import { redactAddresses } from './redact-addresses';
import { behaviourSection, changeReportBeside, withPinnedChanges, type ChangeReport } from './fingerprint';

const DEFAULT_REPORT = join(ROOT, 'reports', 'results.json');
const DEFAULT_SUMMARY_FILE = join(ROOT, 'reports', 'summary.md');
/** Longest line a failure gets in the summary; the reports hold the rest. */
const MAX_LINE = 300;

type TestLine = { rule: RuleId | undefined; title: string; line: string };
export type RunSummary = Judged & Record<'passed' | 'failed' | 'flaky' | 'skipped', number> & { failures: TestLine[]; flakies: TestLine[] };

/** A violation line of a verdict failure: `  - token_not_rejected: expected …` (helpers/verdict-steps.ts). */
const VIOLATION_LINE = /^\s*- ([a-z0-9]+(?:_[a-z0-9]+)+: .*)$/;

/** The one line a reader needs from a failure message: the first violation, else the first line. */
export function oneLine(message: string): string {
  const lines = stripVTControlCharacters(message).split('\n');
  const violation = lines.map((line) => VIOLATION_LINE.exec(line)?.[1]).find((v) => v !== undefined);
  const line = (violation ?? lines.find((l) => l.trim() !== '') ?? '(no message)').trim().replace(/^Error: /, '');
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}

export function summarize(report: JSONReport): RunSummary {
  const tests = testsOf(report);
  const outcome = (which: ReportTest['outcome']) => tests.filter((t) => t.outcome === which);
  const entry = (t: ReportTest, message: string | undefined): TestLine => ({
    rule: ruleOfTags(t.tags),
    title: t.title,
    line: oneLine(message ?? `${t.status} with no message`),
  });
  const [failures, flakies, errors] = [outcome('unexpected'), outcome('flaky'), runErrors(report).map(oneLine)];
  return {
    total: tests.length,
    passed: outcome('expected').length,
    failed: failures.length,
    flaky: flakies.length,
    skipped: outcome('skipped').length,
    // A failure reads as its last attempt; a flaky test as its first failed one.
    failures: failures.map((t) => entry(t, t.errors[0])),
    flakies: flakies.map((t) => entry(t, t.results.map((r) => r.errors[0]?.message).find(Boolean))),
    runErrors: errors,
    colour: failures.length > 0 || errors.length > 0 || tests.length === 0 ? 'red' : flakies.length > 0 ? 'flaky' : 'green',
  };
}

export function headline(summary: RunSummary): string {
  const { colour, total, failed, flaky, runErrors } = summary;
  const mark = { green: '✅', flaky: '⚠️', red: '❌' }[colour];
  if (runErrors.length > 0 && total === 0) return `${mark} Logout User API: stopped before any test ran`;
  const parts = [failed > 0 ? `${failed} failed` : '', flaky > 0 ? `${flaky} flaky` : ''].filter(Boolean);
  const incomplete = summary.incomplete ? `incomplete: ${summary.incomplete}; ` : '';
  return `${mark} Logout User API: ${incomplete}${parts.length ? `${parts.join(', ')} of ${total} tests` : `all ${total} tests passed`}`;
}

/** Markdown's active characters, so a test title or message shows as text, never as markup or HTML. */
const text = (value: string): string => value.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);

type Link = { name: string; url: string };

/** `changes`: the behaviour fingerprint's, under the headline and the title, before the counts. */
export function renderMarkdown(summary: RunSummary, options: { title?: string; links?: Link[]; changes?: ChangeReport } = {}): string {
  const out = [`## ${text(headline(summary))}`, ''];
  if (options.title) out.push(text(options.title), '');
  if (options.changes) out.push(...behaviourSection(options.changes, text), '');
  out.push('| Total | Passed | Failed | Flaky | Skipped |', '|---:|---:|---:|---:|---:|');
  out.push(`| ${summary.total} | ${summary.passed} | ${summary.failed} | ${summary.flaky} | ${summary.skipped} |`, '');
  if (summary.runErrors.length > 0) {
    out.push('### Run errors (outside any test)', '', ...summary.runErrors.map((e) => `- ${text(e)}`), '');
  }
  if (summary.failures.length > 0) {
    out.push('### Failed, by verdict rule', '');
    const order = (rule: RuleId | undefined) => (rule ? RULE_IDS.indexOf(rule) : RULE_IDS.length);
    const rules = [...new Set(summary.failures.map((f) => f.rule))].sort((a, b) => order(a) - order(b));
    for (const rule of rules) {
      const heading = rule ? `${rule} · ${RULES[rule].title} (${RULES[rule].severity})` : 'No verdict rule (the test carries no @R tag)';
      out.push(`#### ${text(heading)}`, '');
      for (const f of summary.failures.filter((x) => x.rule === rule)) out.push(`- **${text(f.title)}**: ${text(f.line)}`);
      out.push('');
    }
  }
  if (summary.flakies.length > 0) {
    out.push('### Flaky (failed, then passed on retry)', '');
    for (const f of summary.flakies) out.push(`- ${f.rule ?? 'no rule'} · **${text(f.title)}**: first attempt: ${text(f.line)}`);
    out.push('');
  }
  const links = (options.links ?? []).filter((l) => l.url !== '');
  if (links.length > 0) out.push('### Reports', '', ...links.map((l) => `- [${text(l.name)}](${encodeURI(l.url)})`), '');
  return out.join('\n');
}

/** The secret variables' values this process has, JWTs, and every test address by its shape (the report job holds no TRANSAK_EMAILS). */
function redactorFor(env: NodeJS.ProcessEnv): (input: string) => string {
  const secrets = createRedactor(secretsOfEnv(env));
  return (input) => redactAddresses(secrets.text(input));
}

/**
 * The summary with every title and line redacted. Before rendering, not after: Markdown escaping
 * puts backslashes inside a token (`_`), and the redactor would no longer see its shape.
 */
function redactSummary(summary: RunSummary, redact: (input: string) => string): RunSummary {
  const line = (t: TestLine): TestLine => ({ ...t, title: redact(t.title), line: redact(t.line) });
  return { ...summary, failures: summary.failures.map(line), flakies: summary.flakies.map(line), runErrors: summary.runErrors.map(redact) };
}

/** Writes the page (redacted once more as a whole, links included); returns where. */
function writeSummary(markdown: string, env: NodeJS.ProcessEnv): string {
  const file = env.GITHUB_STEP_SUMMARY || DEFAULT_SUMMARY_FILE;
  mkdirSync(dirname(file), { recursive: true });
  (file === env.GITHUB_STEP_SUMMARY ? appendFileSync : writeFileSync)(file, `${redactorFor(env)(markdown)}\n`);
  return file;
}

/** GitHub's outputs for the notification step, which notifies on anything but green. */
function writeOutputs(summary: RunSummary, env: NodeJS.ProcessEnv): void {
  if (!env.GITHUB_OUTPUT) return;
  appendFileSync(
    env.GITHUB_OUTPUT,
    `colour=${summary.colour}\nnotify=${summary.colour !== 'green'}\nheadline=${headline(summary).replace(/\n/g, ' ')}\n`,
  );
}

function parseLink(value: string): Link {
  const at = value.indexOf('=');
  if (at < 1) throw new Error(`--link "${value}": write it as "<name>=<url>", e.g. --link "Allure report=https://…"`);
  return { name: value.slice(0, at), url: value.slice(at + 1) };
}

function main(): number {
  const { values } = parseArgs({
    options: {
      report: { type: 'string' },
      title: { type: 'string' },
      link: { type: 'string', multiple: true },
      // A sharded night: the JSON report of `playwright test --list`, and needs.<shard job>.result.
      listed: { type: 'string' },
      'shard-jobs': { type: 'string' },
    },
  });
  const env = process.env;
  const reportPath = resolve(values.report ?? DEFAULT_REPORT);
  const links = (values.link ?? []).map(parseLink);
  if (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    const url = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
    links.push({ name: 'This run (all artifacts)', url });
  }
  const evidence = {
    listed: values.listed === undefined ? undefined : countTests(resolve(values.listed)),
    shardJobs: values['shard-jobs'],
  };
  const report = readReport(reportPath);
  // Without a report the page still says what happened: a red run with no report, not a missing summary
  // (nor a missing shard: with no report there is nothing to count).
  const noReport = [`the run wrote no ${relative(ROOT, reportPath)}: see the job log`];
  const merged = report ? summarize(report) : { ...summarize({ suites: [] } as unknown as JSONReport), runErrors: noReport };
  // The gateway's behaviour fingerprint (scripts/fingerprint.ts), when the run recorded one.
  const changes = report && changeReportBeside(reportPath);
  const summary = withPinnedChanges(redactSummary(report ? judgeCompleteness(merged, evidence) : merged, redactorFor(env)), changes);
  const where = writeSummary(renderMarkdown(summary, { title: values.title, links, changes }), env);
  writeOutputs(summary, env);
  if (!report) {
    console.error(
      `job summary: no Playwright JSON report at ${relative(ROOT, reportPath)}: run the suite first (npm run test:api), or pass --report <file>`,
    );
    return 1;
  }
  console.log(`${headline(summary)} (job summary: ${where})`);
  return 0;
}

if (require.main === module) {
  try {
    process.exit(main());
  } catch (error) {
    console.error(`job summary: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
