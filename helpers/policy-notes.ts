/**
 * The annotations that say which gateway policies a test saw (openapi/NOTES.md, "Policies the
 * reference does not fix"): written by the suite, read by the behaviour fingerprint.
 */
export const POLICY_NOTES = {
  sameUserSessions: 'same-user sessions',
  sessionsPerUser: 'sessions per user',
  rateLimiting: 'rate limiting',
  tokenLifetime: 'token lifetime',
} as const;
