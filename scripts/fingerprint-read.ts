/**
 * What a finished run left behind, read back for the behaviour fingerprint: every HTTP exchange
 * with the test and the step that made it, and every test annotation.
 *
 * The exchanges come from allure-results/, not from Playwright's JSON report: the JSON reporter
 * lists a result's attachments flat and its steps without them, so it cannot say which step an
 * exchange belonged to, and the step is what says what kind of request it was. allure-playwright
 * nests each attachment inside its step. Annotations are only in the JSON report.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleOfTags, type RuleId } from '../helpers/rules';
import { readReport, testsOf } from './json-report';

/** An exchange as helpers/exchange-log.ts renders it: already redacted. */
export interface RenderedExchange {
  request: { method: string; url: string; headers?: Record<string, string>; body?: unknown };
  response: { status: number; statusText?: string; headers?: Record<string, string>; body?: unknown };
  timing: { ms: number };
}

export interface Observation {
  rule: RuleId | undefined;
  test: string;
  /** Names of the steps around the exchange, outermost first. */
  steps: string[];
  exchange: RenderedExchange;
}

export interface Annotation {
  type: string;
  description: string;
}

interface AllureAttachment {
  name: string;
  source: string;
  type?: string;
}
interface AllureStep {
  name?: string;
  steps?: AllureStep[];
  attachments?: AllureAttachment[];
}
interface AllureResult extends AllureStep {
  labels?: Array<{ name: string; value: string }>;
}

/** The title exchange-log.ts gives an exchange: `GET /api/v2/user/ → 401 Unauthorized (3 ms)`. */
const EXCHANGE_NAME = /^[A-Z]+ \S+ → \d{3}\b/;

function parse<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function isExchange(value: unknown): value is RenderedExchange {
  const ex = value as RenderedExchange | undefined;
  return typeof ex?.request?.method === 'string' && typeof ex.request.url === 'string' && Number.isInteger(ex.response?.status);
}

export function resultFiles(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('-result.json')) : [])).sort();
}

export function readObservations(dirs: readonly string[]): Observation[] {
  const out: Observation[] = [];
  for (const dir of dirs.filter((d) => existsSync(d))) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('-result.json'))) {
      const result = parse<AllureResult>(join(dir, file));
      if (!result) continue;
      const rule = ruleOfTags((result.labels ?? []).filter((l) => l.name === 'tag').map((l) => l.value));
      const walk = (step: AllureStep, path: string[]): void => {
        for (const attachment of step.attachments ?? []) {
          if (attachment.type !== 'application/json' || !EXCHANGE_NAME.test(attachment.name)) continue;
          const exchange = parse<unknown>(join(dir, attachment.source));
          // The attachment sits in a step of its own name: the step that made it is the one above.
          const steps = path[path.length - 1] === attachment.name ? path.slice(0, -1) : path;
          if (isExchange(exchange)) out.push({ rule, test: result.name ?? '', steps, exchange });
        }
        for (const child of step.steps ?? []) walk(child, [...path, child.name ?? '']);
      };
      walk(result, []);
    }
  }
  return out;
}

/** Every annotation of every test and attempt; none when the report is missing. */
export function readAnnotations(reportFile: string): Annotation[] {
  const report = readReport(reportFile);
  return (report ? testsOf(report) : []).flatMap((t) => t.annotations).map((a) => ({ type: a.type, description: a.description ?? '' }));
}
