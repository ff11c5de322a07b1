/**
 * What the Playwright config and the configuration loader agree on about the embedded emulator:
 * how it starts, the variable its ready line is captured into, and its (shortened) OTP cooldown.
 */
export const EMULATOR_URL_VARIABLE = 'TRANSAK_EMULATOR_URL';

/**
 * How the emulator is started (the config's webServer, the self-tests, the rehearsal): one Node
 * process with tsx as its loader, so a signal reaches the server itself. tsx's CLI would relay it to
 * a child process and kill that child if it has not answered within 30 ms, as on a busy machine.
 */
export const EMULATOR_COMMAND = ['node', '--import', 'tsx', 'emulator/server.ts'] as const;

/** Captures the emulator's ready line; the named group becomes process.env.TRANSAK_EMULATOR_URL. */
export const EMULATOR_READY_LINE = /transak emulator listening on (?<transak_emulator_url>http:\/\/127\.0\.0\.1:\d+)/;

/**
 * The real gateway allows one OTP per email a minute. The embedded emulator gets a short cooldown
 * so that the same-user case (two logins of one email) does not idle a minute; the token helper
 * schedules with the same figure, so the rate-limit logic is exercised, just faster.
 */
export const EMBEDDED_OTP_COOLDOWN_MS = 1000;

export const EMULATOR_DEFAULT_API_KEY = 'emulator-partner-api-key';
export const EMULATOR_DEFAULT_OTP = '123456';
