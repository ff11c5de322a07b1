/**
 * The verdict rules, as data: the one place a rule's id, title, claim, severity and place in
 * openapi/NOTES.md are written. Specs tag their tests with `ruleTag(id)` (`@R2`); the report labels,
 * the kill matrix (from the runner's JSON report), the fault catalogue's typed `rule` field and the
 * README's rule table all read this table. Nothing parses a test title.
 */

/** Rule 8's objective for a logout's p95 when LOGOUT_SLO_MS is unset. */
export const DEFAULT_LOGOUT_SLO_MS = 1500;

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';

export interface VerdictRuleSpec {
  id: RuleId;
  /** The rule's one-line name, as the report's story label shows it. */
  title: string;
  /** What the rule asks of a server, in one sentence (the README's rule table). */
  asks: string;
  /**
   * What a failure costs a user: a logged-out token that still works (R2) or a forged token that is
   * accepted (R3) is a security hole; a broken logout, a 5xx, an echoed token or one logout ending
   * another user's session breaks the feature; a wrong answer to another method or to a
   * double-click is normal; a slow logout is minor.
   */
  severity: Severity;
  /** Report tags besides the rule's own tag. */
  topics: string[];
  /** The numbered item of "What the suite holds a server to" in openapi/NOTES.md. */
  notesItem: number;
}

export const RULE_IDS = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8'] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const RULES: Readonly<Record<RuleId, VerdictRuleSpec>> = {
  R1: {
    id: 'R1',
    title: 'Logout of a fresh token answers 200 with the documented JSON body',
    asks: '200 (not another 2xx), a JSON content type, a body valid against User_logout-user_Response_200.',
    severity: 'critical',
    topics: ['contract'],
    notesItem: 1,
  },
  R2: {
    id: 'R2',
    title: 'A logged-out token is rejected everywhere, at once and later',
    asks: 'Get User Details, Refresh and Logout reject the token (400/401/403 with {error:{statusCode,message}}) right after logout and again later.',
    severity: 'blocker',
    topics: ['security', 'revocation'],
    notesItem: 2,
  },
  R3: {
    id: 'R3',
    title: 'Credentials that are not a live token are rejected',
    asks: 'No, empty, random, tampered, alg:none and foreign-key tokens are rejected as in R2; a Bearer-prefixed live token never draws a 5xx.',
    severity: 'blocker',
    topics: ['security', 'auth-bypass'],
    notesItem: 3,
  },
  R4: {
    id: 'R4',
    title: 'No 5xx and no echoed token',
    asks: 'No request the suite sends is answered with a 5xx, and no answer echoes the token in its body or headers.',
    severity: 'critical',
    topics: ['robustness', 'security'],
    notesItem: 4,
  },
  R5: {
    id: 'R5',
    title: 'Only POST logs out',
    asks: 'GET, PUT, PATCH and DELETE on the logout path answer 4xx and log nobody out.',
    severity: 'normal',
    topics: ['contract'],
    notesItem: 5,
  },
  R6: {
    id: 'R6',
    title: 'Logout ends one session, not another user’s',
    asks: "Another user's token keeps working; the same user's other sessions are observed, and asserted only when configured.",
    severity: 'critical',
    topics: ['isolation'],
    notesItem: 6,
  },
  R7: {
    id: 'R7',
    title: 'Concurrent logouts of one token are safe',
    asks: 'Simultaneous logouts of one token: at least one succeeds, the others answer 4xx, the token rejected afterwards (a 5xx is R4’s).',
    severity: 'normal',
    topics: ['concurrency'],
    notesItem: 7,
  },
  R8: {
    id: 'R8',
    title: 'Logout answers within the latency objective',
    asks: `p95 of at least 5 logouts of fresh tokens is within LOGOUT_SLO_MS (default ${DEFAULT_LOGOUT_SLO_MS} ms).`,
    severity: 'minor',
    topics: ['performance'],
    notesItem: 8,
  },
};

/** The Playwright tag that marks a test as judging a rule: `{ tag: ruleTag('R2') }`. */
export function ruleTag(id: RuleId): `@${RuleId}` {
  return `@${id}`;
}

/**
 * The rule a test judges, from its Playwright tags; undefined when it carries none. Reporters differ
 * on the "@": the runner's JSON report and Allure drop it (`R2`), the test API keeps it (`@R2`).
 */
export function ruleOfTags(tags: readonly string[]): RuleId | undefined {
  return RULE_IDS.find((id) => tags.includes(ruleTag(id)) || tags.includes(id));
}
