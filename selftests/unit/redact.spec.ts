import { expect, test } from '../fixtures';
import { createRedactor, mask, secretsOfEnv } from '../../helpers/redact';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJxYTFAZXhhbXBsZS5jb20iLCJqdGkiOiJhYmMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';

test.describe('redaction', () => {
  test('a JWT keeps its constant 6-character header prefix and its length; any other secret only its length', () => {
    expect(mask(JWT)).toBe(`eyJhbG…[redacted, ${JWT.length} chars]`);
    expect(mask('partner-api-key-0123456789')).toBe('[redacted, 26 chars]');
    expect(mask('123456')).toBe('[redacted, 6 chars]');
  });

  test('registered secrets are hidden wherever they appear', () => {
    const r = createRedactor(['partner-api-key-0123456789', '482913']);
    expect(r.text('key=partner-api-key-0123456789&otp=482913')).toBe('key=[redacted, 26 chars]&otp=[redacted, 6 chars]');
  });

  test('anything shaped like a JWT is hidden even if nobody registered it', () => {
    expect(createRedactor().text(`token ${JWT} end`)).not.toContain(JWT.slice(10));
  });

  test('secret-named fields are masked whatever they hold, other values are walked', () => {
    const r = createRedactor();
    const out = r.value({
      headers: { authorization: 'Bearer abc', 'x-api-key': 'k-123', accept: '*/*' },
      body: { data: { stateToken: 'st-1', email: 'qa@x.io', nested: [JWT] } },
    });
    expect(out).toEqual({
      headers: { authorization: '[redacted, 10 chars]', 'x-api-key': '[redacted, 5 chars]', accept: '*/*' },
      body: { data: { stateToken: '[redacted, 4 chars]', email: 'qa@x.io', nested: [mask(JWT)] } },
    });
  });

  test("a script's redactor knows every secret variable's value, each test address on its own, and nothing else", () => {
    const cases: Array<[name: string, value: string, secrets: string[]]> = [
      // Trimmed, as the suite reads it: a CI secret saved with a newline is still found.
      ['TRANSAK_API_KEY', 'pk-live-1234\n', ['pk-live-1234']],
      ['EMULATOR_OTP', '654321', ['654321']],
      // Whole, though it holds a comma: only the address list is split.
      ['TRANSAK_OTP_IMAP_URL', 'imaps://qa:pw,1@imap.example.com', ['imaps://qa:pw,1@imap.example.com']],
      ['TRANSAK_OTP_COMMAND', './otp.sh', ['./otp.sh']],
      ['TRANSAK_EMAILS', 'a@x.io, b@x.io', ['a@x.io', 'b@x.io']],
      ['TRANSAK_OTP', '', []],
      ['TRANSAK_BASE_URL', 'https://api-stg.transak.com', []],
    ];
    for (const [name, value, secrets] of cases) expect(secretsOfEnv({ [name]: value }), name).toEqual(secrets);
  });
});
