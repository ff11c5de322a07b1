/**
 * What the Playwright config and the configuration loader agree on about the embedded emulator:
 * the variable its ready line is captured into, and its (shortened) OTP cooldown.
 */
export const EMULATOR_URL_VARIABLE = 'TRANSAK_EMULATOR_URL';

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
