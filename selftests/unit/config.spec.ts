import { expect, test } from '../fixtures';
import { loadConfig } from '../../helpers/config';
import { EMBEDDED_OTP_COOLDOWN_MS } from '../../helpers/embedded-emulator';
import { configErrorOf, STAGING_ENV } from '../support/staging-env';

const EMULATOR = { TRANSAK_EMULATOR_URL: 'http://127.0.0.1:4010' };

test.describe('configuration', () => {
  test('the embedded emulator needs nothing configured and gets the emulator defaults', () => {
    const config = loadConfig(EMULATOR);
    expect(config).toMatchObject({
      target: 'embedded-emulator',
      baseUrl: 'http://127.0.0.1:4010',
      emails: null,
      userIp: '127.0.0.1',
      sloMs: 1500,
      otpCooldownMs: EMBEDDED_OTP_COOLDOWN_MS,
    });
    expect(config.otp).toEqual({ kind: 'fixed', otp: '123456' });
  });

  test('a configured base URL wins over the emulator, and a loopback one keeps the emulator defaults', () => {
    const config = loadConfig({ ...EMULATOR, TRANSAK_BASE_URL: 'http://localhost:9999/' });
    expect(config).toMatchObject({ target: 'loopback', baseUrl: 'http://localhost:9999', otpCooldownMs: 60_000 });
  });

  test('staging with everything set is a remote target', () => {
    const config = loadConfig(STAGING_ENV);
    expect(config).toMatchObject({
      target: 'remote',
      emails: ['qa1@example.com', 'qa2@example.com'],
      otp: { kind: 'fixed', otp: '654321' },
    });
  });

  /** What a configuration changes of `base` (STAGING_ENV unless given), and the one line it is refused with. */
  const BAD: Array<[string, Record<string, string>, RegExp, Record<string, string>?]> = [
    ['no target at all', {}, /TRANSAK_BASE_URL is unset.*npm run test:api/, {}],
    ['a base URL that is not a URL', { TRANSAK_BASE_URL: 'staging' }, /TRANSAK_BASE_URL="staging" is not a URL/],
    ['a base URL that is not http(s)', { TRANSAK_BASE_URL: 'ftp://x.example' }, /must be http\(s\)/],
    ['an opt-in that is not 1', { TRANSAK_ALLOW_PRODUCTION: 'yes' }, /TRANSAK_ALLOW_PRODUCTION="yes"/],
    [
      'a rule-2 late look under 3 s',
      { TRANSAK_R2_LATE_LOOK_MS: '1000' },
      /TRANSAK_R2_LATE_LOOK_MS="1000" is not a whole number of at least 3000/,
    ],
    ['a remote target without an API key', { TRANSAK_API_KEY: '' }, /TRANSAK_API_KEY is unset/],
    ['a remote target without emails', { TRANSAK_EMAILS: '' }, /TRANSAK_EMAILS is unset/],
    ['an email pool with a non-address', { TRANSAK_EMAILS: 'qa1@example.com,nobody' }, /TRANSAK_EMAILS holds "nobody"/],
    ['an email listed twice', { TRANSAK_EMAILS: 'a@b.co,A@b.co' }, /lists an address twice/],
    ['a remote target without an OTP source', { TRANSAK_OTP: '' }, /no OTP source.*TRANSAK_OTP_COMMAND/],
    ['two OTP sources', { TRANSAK_OTP_COMMAND: 'echo 1234' }, /TRANSAK_OTP and TRANSAK_OTP_COMMAND are both set/],
    ['a fixed OTP that is not digits', { TRANSAK_OTP: '12ab' }, /TRANSAK_OTP is not 4 to 8 digits/],
    [
      'an IMAP URL of another scheme',
      { TRANSAK_OTP: '', TRANSAK_OTP_IMAP_URL: 'https://mail' },
      /TRANSAK_OTP_IMAP_URL must start with imaps:\/\//,
    ],
    [
      'plain imap:// to a mail server that is not loopback',
      { TRANSAK_OTP: '', TRANSAK_OTP_IMAP_URL: 'imap://qa:pw@imap.example.com/INBOX' },
      /TRANSAK_OTP_IMAP_URL uses plain imap:\/\/ for imap\.example\.com, which would send the password unencrypted: use imaps:\/\//,
    ],
    [
      'an IMAP URL without a password',
      { TRANSAK_OTP: '', TRANSAK_OTP_IMAP_URL: 'imaps://qa@imap.example.com/INBOX' },
      /TRANSAK_OTP_IMAP_URL has no user or no password/,
    ],
    ['a user IP that is not an IP', { TRANSAK_USER_IP: 'home' }, /TRANSAK_USER_IP="home" is not an IP address/],
    [
      'a remote target without the end user IP',
      { TRANSAK_USER_IP: '' },
      /^TRANSAK_USER_IP is unset: a remote target needs the end user's real IP/,
    ],
    ['an SLO that is not a number', { LOGOUT_SLO_MS: 'fast' }, /LOGOUT_SLO_MS="fast" is not a whole number/],
    ['fewer than 5 latency samples', { LOGOUT_SLO_SAMPLES: '3' }, /LOGOUT_SLO_SAMPLES="3" is not a whole number of at least 5/],
    [
      'an unknown same-user policy',
      { TRANSAK_SAME_USER_SESSIONS: 'maybe' },
      /TRANSAK_SAME_USER_SESSIONS="maybe" is not one of observe, survive, revoked/,
    ],
    // The production guard compares hosts as hosts, whatever the spelling.
    ...[
      'https://api-gateway.transak.com',
      'https://API-GATEWAY.Transak.COM',
      'https://api-gateway.transak.com./',
      'https://api-gateway.transak.com:443/api',
      'https://qa:pw@api-gateway.transak.com/',
      'https://API-GATEWAY.transak.com.:443/',
    ].map((url): [string, Record<string, string>, RegExp] => [
      `production without the opt-in, as ${url}`,
      { TRANSAK_BASE_URL: url },
      /points at production.*TRANSAK_ALLOW_PRODUCTION=1/,
    ]),
  ];
  for (const [what, env, expected, base = STAGING_ENV] of BAD) {
    test(`${what} fails with one line naming the variable and the fix`, () => {
      expect(configErrorOf({ ...base, ...env })).toMatch(expected);
    });
  }

  test('an IMAP mailbox URL is TLS by default, and plain imap:// is accepted for a loopback test server', () => {
    const remote = loadConfig({
      ...STAGING_ENV,
      TRANSAK_OTP: '',
      TRANSAK_OTP_IMAP_URL: 'imaps://qa%40example.com:p%3Ass@imap.example.com/Transak%20OTP',
    });
    expect(remote.otp).toEqual({
      kind: 'imap',
      mailbox: {
        host: 'imap.example.com',
        port: 993,
        secure: true,
        user: 'qa@example.com',
        password: 'p:ss',
        mailbox: 'Transak OTP',
        display: 'imaps://qa@example.com@imap.example.com:993/Transak OTP',
      },
      timeoutMs: 60_000,
      // Well below the gateway's cooldown: the previous OTP email of an address never passes as new.
      clockSlackMs: 5000,
    });
    const loopback = loadConfig({ ...EMULATOR, TRANSAK_OTP_IMAP_URL: 'imap://qa:pw@127.0.0.1:1143/INBOX', TRANSAK_OTP_TIMEOUT_MS: '9000' });
    expect(loopback.otp).toMatchObject({
      kind: 'imap',
      mailbox: { host: '127.0.0.1', port: 1143, secure: false },
      timeoutMs: 9000,
      // A quarter of the cooldown, which is short on the emulator.
      clockSlackMs: EMBEDDED_OTP_COOLDOWN_MS / 4,
    });
  });

  test("rule 2's latest look is free time: the OTP cooldown on a remote gateway, 5 s on the emulator", () => {
    expect(loadConfig(STAGING_ENV).r2LateLookMs).toBe(60_000);
    expect(loadConfig({ ...STAGING_ENV, TRANSAK_OTP_COOLDOWN_MS: '20000' }).r2LateLookMs).toBe(20_000);
    expect(loadConfig(EMULATOR).r2LateLookMs).toBe(5000);
    expect(loadConfig({ ...EMULATOR, TRANSAK_R2_LATE_LOOK_MS: '8000' }).r2LateLookMs).toBe(8000);
  });

  test('a host that only resembles production is not production, and production is allowed with TRANSAK_ALLOW_PRODUCTION=1', () => {
    expect(loadConfig({ ...STAGING_ENV, TRANSAK_BASE_URL: 'https://api-gateway.transak.com.evil.example' }).target).toBe('remote');
    const production = { ...STAGING_ENV, TRANSAK_BASE_URL: 'https://api-gateway.transak.com', TRANSAK_ALLOW_PRODUCTION: '1' };
    expect(loadConfig(production).target).toBe('remote');
  });

  test('no configuration error ever echoes a secret value', () => {
    expect(configErrorOf({ ...STAGING_ENV, TRANSAK_OTP: '12ab' })).not.toContain('12ab');
    expect(configErrorOf({ ...STAGING_ENV, TRANSAK_API_KEY: 'pk live' })).not.toContain('pk live');
    expect(configErrorOf({ ...STAGING_ENV, TRANSAK_OTP: '', TRANSAK_OTP_IMAP_URL: 'imap://qa:hunter2@imap.example.com/' })).not.toContain(
      'hunter2',
    );
    for (const url of [
      'https://qa:hunter2@api gateway.example.com',
      'https://qa:hun/ter2@api.example.com',
      'ftp://qa:hunter2@example.com',
      'http://qa:hunter2@127.0.0.1:4000',
      'https:qa:hunter2@127.0.0.1',
      'qa:hunter2@api.example.com',
    ]) {
      const line = configErrorOf({ ...STAGING_ENV, TRANSAK_BASE_URL: url, TRANSAK_REQUIRE_REMOTE: '1' });
      expect(line, 'the URL is still named').toContain('***@');
      expect(line).not.toContain('hunter2');
    }
  });
});
