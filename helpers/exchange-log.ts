/**
 * Per-test record of every HTTP exchange: each one attached to the report as a readable, redacted
 * request/response pair, and kept for the checks that span the whole test (rule 4).
 */
import type { TestInfo } from '@playwright/test';
import { describe, statusLine, type Exchange } from './exchange';
import type { Redactor } from './redact';

export type ExchangeLog = ReturnType<typeof createExchangeLog>;

export function redactedUrl(url: string, redactor: Redactor): string {
  const parsed = new URL(url);
  for (const key of [...parsed.searchParams.keys()]) {
    if (/key|token|otp/i.test(key)) parsed.searchParams.set(key, '[redacted]');
  }
  return redactor.text(parsed.toString()).replace(/%5Bredacted%5D/g, '[redacted]');
}

/** What a reader sees of an exchange: method, URL, status, headers, body, timing, all redacted. */
export function renderExchange(ex: Exchange, redactor: Redactor): string {
  return JSON.stringify(
    redactor.value({
      request: { method: ex.method, url: redactedUrl(ex.url, redactor), headers: ex.requestHeaders, body: ex.requestBody ?? null },
      response: {
        status: ex.status,
        statusText: ex.statusText,
        headers: ex.responseHeaders,
        body: ex.json !== undefined ? ex.json : ex.bodyText,
      },
      timing: { ms: Math.round(ex.ms * 10) / 10 },
    }),
    null,
    2,
  );
}

/** `onRecord` is told of each exchange as it is recorded, with when it was answered (ms since the epoch). */
export function createExchangeLog(
  testInfo: Pick<TestInfo, 'attach'>,
  redactor: Redactor,
  onRecord: (ex: Exchange, at: number) => void = () => undefined,
) {
  const exchanges: Exchange[] = [];
  const answered = new WeakMap<Exchange, number>();
  return {
    redactor,
    exchanges: exchanges as readonly Exchange[],
    /** When a recorded exchange was answered (ms since the epoch). */
    answeredAt: (ex: Exchange): number | undefined => answered.get(ex),
    async record(ex: Exchange): Promise<void> {
      const at = Date.now();
      exchanges.push(ex);
      answered.set(ex, at);
      onRecord(ex, at);
      await testInfo.attach(`${describe(ex)} → ${statusLine(ex)} (${Math.round(ex.ms)} ms)`, {
        body: renderExchange(ex, redactor),
        contentType: 'application/json',
      });
    },
  };
}
