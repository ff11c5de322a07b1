/**
 * Which operation an exchange called, and what kind of request it was (a live token, a logged-out
 * token at once or later, a refused credential of rule 3, another method on the logout path, …).
 *
 * The operation is read from the request itself (method and path, helpers/operations.ts). The kind
 * is read from the step that sent it: the step title is the only place a run records the intent of
 * a request (the token itself is redacted). The patterns are wide on purpose, and an exchange they
 * do not recognise is left out of the answers (it still counts for latency): a renamed step costs
 * the fingerprint one kind for a night, never a wrong one. selftests/reports/fingerprint.spec.ts
 * fails when a run's rule-2 kinds go missing.
 */
import type { RuleId } from '../helpers/rules';
import { OPERATIONS, type OperationId } from '../helpers/operations';
import type { Observation } from './fingerprint-read';

export interface Classified {
  operationId: OperationId | undefined;
  /** The operation's label; for another method on a documented path, that path's label. */
  operation: string;
  /** The kind of request, or undefined when the step does not say. */
  kind: string | undefined;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0];
  }
}

const samePath = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** Kinds read from step titles, first match wins; `rules` limits a pattern to those rules' tests. */
const STEP_KINDS: ReadonlyArray<{ kind: string | ((m: RegExpExecArray) => string); pattern: RegExp; rules?: readonly RuleId[] }> = [
  // Hand-on checks look at tokens other tests may have killed: no evidence about a live token.
  { kind: '', pattern: /\bhand(ed)?\b.*\bon\b/i },
  { kind: 'concurrent logouts', pattern: /\blogouts\b.*\bat once\b|simultaneous|concurrent/i },
  { kind: 'Bearer-prefixed live token', pattern: /"Bearer |Bearer-prefixed/ },
  { kind: 'logged-out token, at once', pattern: /first call after (the )?logout|\bat once\b.*\blogged.out\b/i },
  { kind: 'logged-out token, later', pattern: /\blater\b/i, rules: ['R2'] },
  { kind: "same user's other session after a logout", pattern: /\bother session\b/i },
  { kind: (m) => `refused credential: ${m[1]}`, pattern: /\brejects (.+)$/i, rules: ['R3'] },
  // Rule 4's sweep mixes live and dead tokens in one step: only its method and path say anything.
  { kind: 'live token', pattern: /^a live token\b/i, rules: ['R4'] },
  {
    kind: 'live token',
    pattern: /\blog out\b|^control\b|accepts the token|still works|^logout \d+ of \d+/i,
    rules: ['R1', 'R2', 'R3', 'R5', 'R6', 'R7', 'R8'],
  },
];

function kindFromSteps(obs: Observation): string | undefined {
  // The step nearest the exchange speaks first.
  for (const title of [...obs.steps].reverse()) {
    for (const { kind, pattern, rules } of STEP_KINDS) {
      if (rules && (obs.rule === undefined || !rules.includes(obs.rule))) continue;
      const match = pattern.exec(title);
      if (match) return (typeof kind === 'string' ? kind : kind(match)) || undefined;
    }
  }
  return undefined;
}

export function classify(obs: Observation): Classified {
  const method = obs.exchange.request.method.toUpperCase();
  const path = pathOf(obs.exchange.request.url);
  const entries = Object.entries(OPERATIONS) as Array<[OperationId, (typeof OPERATIONS)[OperationId]]>;
  const exact = entries.find(([, op]) => op.method === method && samePath(op.path, path));
  if (!exact) {
    const onPath = entries.find(([, op]) => samePath(op.path, path));
    if (onPath) return { operationId: undefined, operation: onPath[1].label, kind: `other method ${method}` };
    return { operationId: undefined, operation: `${method} ${path}`, kind: undefined };
  }
  const [operationId, op] = exact;
  if (operationId === 'send-user-otp' || operationId === 'verify-user-otp') return { operationId, operation: op.label, kind: 'login' };
  return { operationId, operation: op.label, kind: kindFromSteps(obs) };
}
