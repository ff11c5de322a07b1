import { stripVTControlCharacters } from 'node:util';
import { expect as plain, test } from '../fixtures';
import { createRedactor } from '../../helpers/redact';
import { expect, violationMessage } from '../../helpers/verdict-steps';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxYUB4LmlvIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl';

function failureOf(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return stripVTControlCharacters((error as Error).message);
  }
  throw new Error('expected the assertion to fail');
}

test.describe('the verdict matcher', () => {
  test('a failure reads as the claim, then each violation on its own line, redacted', () => {
    const redactor = createRedactor([TOKEN]);
    const message = failureOf(() =>
      expect([
        `token_not_rejected: expected a rejection, got 200 OK for GET /api/v2/user/; body: {"token":"${TOKEN}"}`,
        'rejection_body_malformed: expected {"error":…}',
      ]).toHaveNoViolations('Get User Details rejects the token', (t) => redactor.text(t)),
    );
    plain(message).toBe(
      [
        'Get User Details rejects the token',
        '  - token_not_rejected: expected a rejection, got 200 OK for GET /api/v2/user/; body: {"token":"eyJhbG…[redacted, 81 chars]"}',
        '  - rejection_body_malformed: expected {"error":…}',
        '',
        'expect(violations).toHaveNoViolations(claim)',
      ].join('\n'),
    );
    plain(message).not.toContain('Array');
  });

  test('no violation passes, and .not says what was expected', () => {
    expect([]).toHaveNoViolations('a claim');
    plain(failureOf(() => expect([]).not.toHaveNoViolations('a claim'))).toBe(
      'a claim\n  (expected a violation, found none)\n\nexpect(violations).toHaveNoViolations(claim)',
    );
  });

  test('the message format is one function', () => {
    plain(violationMessage('claim', ['a: 1', 'b: 2'])).toBe('claim\n  - a: 1\n  - b: 2');
  });
});
