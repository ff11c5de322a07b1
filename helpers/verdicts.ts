/**
 * The checks behind the verdict rules of NOTES.md, as pure functions: each returns the violations
 * it found, one line each, named for the violation, saying expected / received / where. An empty
 * list is a pass. Tolerances are written next to their rule with the reason.
 */
import { describe, header, isClientError, isJsonContentType, isServerError, isSuccess, statusLine, type Exchange } from './exchange';
import type { SchemaValidator } from './schema-validator';

/** 400 and 401 are both "log in again" on this API; 403 is the standard answer for a refused credential. */
export const REJECTION_STATUSES = [400, 401, 403] as const;

const MAX_BODY_EXCERPT = 300;

function excerpt(ex: Exchange): string {
  const text = ex.bodyText.length > MAX_BODY_EXCERPT ? `${ex.bodyText.slice(0, MAX_BODY_EXCERPT)}…` : ex.bodyText;
  return text === '' ? '(empty body)' : text;
}

function contentTypeProblems(ex: Exchange, rule: string): string[] {
  const type = header(ex, 'content-type');
  if (isJsonContentType(type)) return [];
  return [`${rule}: expected a JSON content type (application/json), got ${type === undefined ? 'none' : `"${type}"`} for ${describe(ex)}`];
}

function schemaProblems(ex: Exchange, validator: SchemaValidator, rule: string): string[] {
  if (ex.operationId === undefined) return [];
  return validator
    .problems(ex.operationId, ex.status, ex.json)
    .map((p) => `${rule}: ${describe(ex)} ${ex.status} body breaks the documented schema: ${p}`);
}

/** Rule 1: a logout of a live token answers 200 (not another 2xx), JSON, the documented body. */
export function checkLogoutSucceeded(ex: Exchange, validator: SchemaValidator): string[] {
  if (ex.status !== 200) return [`logout_not_ok: expected 200, got ${statusLine(ex)} for ${describe(ex)}; body: ${excerpt(ex)}`];
  const problems = contentTypeProblems(ex, 'logout_not_json');
  if (ex.json === undefined) return [...problems, `logout_not_json: expected a JSON body, got ${excerpt(ex)} for ${describe(ex)}`];
  return [...problems, ...schemaProblems(ex, validator, 'logout_schema_violation')];
}

/** A login step's 200 (Send or Verify User OTP) matches its documented schema: drift is recorded, not fatal. */
export function checkLoginAnswer(ex: Exchange, validator: SchemaValidator): string[] {
  return schemaProblems(ex, validator, 'login_schema_violation');
}

/** A live token is accepted by a read-only operation: the control that makes "rejected later" meaningful. */
export function checkAccepted(ex: Exchange, validator: SchemaValidator): string[] {
  if (ex.status !== 200)
    return [`live_token_refused: expected 200 for a live token, got ${statusLine(ex)} for ${describe(ex)}; body: ${excerpt(ex)}`];
  if (ex.json === undefined) return [`live_token_refused: expected a JSON body, got ${excerpt(ex)} for ${describe(ex)}`];
  return schemaProblems(ex, validator, 'schema_violation');
}

/**
 * Rule 2: "rejected" means 400, 401 or 403; a JSON body {error:{statusCode, message}} whose
 * statusCode equals the HTTP status; and, where the operation documents that status, its schema in
 * full (so a 401 in the error-codes shape, without `name`, is fine; a logout 400 without it is not).
 */
export function checkRejected(ex: Exchange, validator: SchemaValidator, rule = 'token_not_rejected'): string[] {
  if (!(REJECTION_STATUSES as readonly number[]).includes(ex.status)) {
    return [`${rule}: expected a rejection (400, 401 or 403), got ${statusLine(ex)} for ${describe(ex)}; body: ${excerpt(ex)}`];
  }
  const problems = contentTypeProblems(ex, 'rejection_not_json');
  const body = ex.json as { error?: { statusCode?: unknown; message?: unknown } } | undefined;
  const error = body !== null && typeof body === 'object' ? body.error : undefined;
  if (error === null || typeof error !== 'object') {
    return [
      ...problems,
      `rejection_body_malformed: expected {"error":{"statusCode","message"}}, got ${excerpt(ex)} for ${describe(ex)} ${ex.status}`,
    ];
  }
  if (!Number.isInteger(error.statusCode) || error.statusCode !== ex.status) {
    problems.push(
      `rejection_status_mismatch: expected error.statusCode ${ex.status} (the HTTP status), got ${JSON.stringify(error.statusCode)} for ${describe(ex)}`,
    );
  }
  if (typeof error.message !== 'string') {
    problems.push(
      `rejection_body_malformed: expected error.message to be a string, got ${JSON.stringify(error.message)} for ${describe(ex)} ${ex.status}`,
    );
  }
  const documented = ex.operationId !== undefined && validator.documentedStatuses(ex.operationId).includes(String(ex.status));
  return documented ? [...problems, ...schemaProblems(ex, validator, 'rejection_schema_violation')] : problems;
}

/** Rule 4: no request the suite sends is answered with a 5xx. */
export function checkNotServerError(ex: Exchange): string[] {
  return isServerError(ex) ? [`not_a_server_error: expected no 5xx, got ${statusLine(ex)} for ${describe(ex)}; body: ${excerpt(ex)}`] : [];
}

/**
 * Rule 4: no answer echoes the credential it was sent, in its body or any header. Refresh's 200 is
 * exempt: it hands out a token by design, and a server may legitimately hand back the same one.
 */
export function checkNoEcho(ex: Exchange): string[] {
  const sent = ex.requestHeaders.authorization;
  if (sent === undefined || sent.trim().length < 16) return [];
  const needle = sent.replace(/^Bearer\s+/i, '');
  if (ex.operationId === 'refresh-user-access-token' && ex.status === 200) return [];
  const where: string[] = [];
  if (ex.bodyText.includes(needle)) where.push('the body');
  for (const [name, value] of Object.entries(ex.responseHeaders)) if (value.includes(needle)) where.push(`header ${name}`);
  return where.length ? [`token_echoed: ${describe(ex)} ${ex.status} echoed the token it was sent, in ${where.join(' and ')}`] : [];
}

/** Rule 4, both halves, for one exchange: the check every request of every test is held to. */
export function checkRule4(ex: Exchange): string[] {
  return [...checkNotServerError(ex), ...checkNoEcho(ex)];
}

/** Rules 5 and 7: a client error (for another method on the logout path 405 is usual; 404 is allowed). */
export function checkClientError(ex: Exchange, rule = 'not_a_client_error'): string[] {
  return isClientError(ex) ? [] : [`${rule}: expected a 4xx, got ${statusLine(ex)} for ${describe(ex)}; body: ${excerpt(ex)}`];
}

/**
 * Rule 7: of several simultaneous logouts of one token, at least one succeeds (a 2xx: whether it is
 * the documented 200 with its body is rule 1's to judge).
 */
export function checkSomeLogoutSucceeded(answers: readonly Exchange[]): string[] {
  return answers.some(isSuccess)
    ? []
    : [
        `no_logout_succeeded: expected at least one 2xx among ${answers.length} simultaneous logouts, got ${answers.map((ex) => ex.status).join(', ')}`,
      ];
}

/** Rule 8: the p95 of the logouts' latencies is within the objective. */
export function checkLatency(figuresMs: readonly number[], objectiveMs: number): string[] {
  const p95 = percentile(figuresMs, 95);
  return p95 <= objectiveMs
    ? []
    : [`logout_too_slow: expected p95 ≤ ${objectiveMs} ms, got ${p95} ms over ${figuresMs.length} logouts (${figuresMs.join(', ')} ms)`];
}

/** A token a test only borrowed (never logged out) still works when it hands it on. */
export function checkStillAlive(ex: Exchange): string[] {
  return ex.status === 200
    ? []
    : [`token_killed: the test never logged this token out, yet ${describe(ex)} now answers ${statusLine(ex)}; body: ${excerpt(ex)}`];
}

/** Nearest-rank percentile of a sample, e.g. p95 of five figures is the largest. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
