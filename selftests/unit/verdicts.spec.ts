import { expect, test } from '../fixtures';
import { createSchemaValidator } from '../../helpers/schema-validator';
import { fakeExchange } from '../support/fake-exchange';
import {
  checkClientError,
  checkLogoutSucceeded,
  checkNoEcho,
  checkNotServerError,
  checkRejected,
  percentile,
} from '../../helpers/verdicts';

const validator = createSchemaValidator();
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxYSJ9.abcdefghijklmnopqrstuvwxyz012345';

const exchange = (overrides: Parameters<typeof fakeExchange>[0]) =>
  fakeExchange({ requestHeaders: { authorization: TOKEN }, ...overrides });
const succeeded = (overrides: Parameters<typeof exchange>[0]) => checkLogoutSucceeded(exchange(overrides), validator);
const rejected = (overrides: Parameters<typeof exchange>[0], rule?: string) => checkRejected(exchange(overrides), validator, rule);

const OK = { data: { message: 'User logged out successfully' } };
const UNAUTHORIZED = { error: { statusCode: 401, message: 'Token missing, invalid or expired', errorCode: 1002 } };

test.describe('verdict checks: rule 1', () => {
  test('a correct 200 passes, with charset, any header casing and extra fields', () => {
    expect(succeeded({ body: { ...OK, meta: 1 }, responseHeaders: { 'Content-Type': 'Application/JSON; Charset=UTF-8' } })).toEqual([]);
  });

  test('another 2xx is named with expected and received', () => {
    expect(succeeded({ status: 204, statusText: 'No Content', bodyText: '', json: undefined })).toEqual([
      'logout_not_ok: expected 200, got 204 No Content for POST /api/v1/auth/logout; body: (empty body)',
    ]);
  });

  test('a text/plain 200 and a body without data are each named', () => {
    expect(succeeded({ body: OK, responseHeaders: { 'content-type': 'text/plain' } })).toEqual([
      'logout_not_json: expected a JSON content type (application/json), got "text/plain" for POST /api/v1/auth/logout',
    ]);
    expect(succeeded({ body: { message: 'bye' } })).toEqual([
      "logout_schema_violation: POST /api/v1/auth/logout 200 body breaks the documented schema: body must have required property 'data'",
    ]);
  });
});

test.describe('verdict checks: rule 2 rejections', () => {
  test('401 in the error-codes shape (no name) is a correct rejection, and so is 403', () => {
    expect(rejected({ status: 401, statusText: 'Unauthorized', body: UNAUTHORIZED })).toEqual([]);
    expect(rejected({ status: 403, body: { error: { statusCode: 403, message: 'Forbidden' } } })).toEqual([]);
  });

  test('a logout 400 is held to its documented schema (name required)', () => {
    expect(rejected({ status: 400, statusText: 'Bad Request', body: { error: { statusCode: 400, message: 'bad' } } })).toEqual([
      "rejection_schema_violation: POST /api/v1/auth/logout 400 body breaks the documented schema: body/error must have required property 'name'",
    ]);
  });

  test('a 200 is no rejection', () => {
    expect(rejected({ body: OK })).toEqual([
      `token_not_rejected: expected a rejection (400, 401 or 403), got 200 OK for POST /api/v1/auth/logout; body: ${JSON.stringify(OK)}`,
    ]);
  });

  test('a body without the error wrapper, or with another statusCode, is named', () => {
    expect(rejected({ status: 401, body: { statusCode: 401, message: 'no' } })).toEqual([
      'rejection_body_malformed: expected {"error":{"statusCode","message"}}, got {"statusCode":401,"message":"no"} for POST /api/v1/auth/logout 401',
    ]);
    expect(rejected({ status: 401, body: { error: { statusCode: 400, message: 'no' } } })).toEqual([
      'rejection_status_mismatch: expected error.statusCode 401 (the HTTP status), got 400 for POST /api/v1/auth/logout',
    ]);
  });
});

test.describe('verdict checks: rules 3, 4 and 5', () => {
  test('a 5xx is named, whatever else', () => {
    expect(checkNotServerError(exchange({ status: 500, statusText: 'Internal Server Error', bodyText: 'boom', json: undefined }))).toEqual([
      'not_a_server_error: expected no 5xx, got 500 Internal Server Error for POST /api/v1/auth/logout; body: boom',
    ]);
  });

  test('a Bearer token may be accepted or rejected: each is judged as such', () => {
    expect(succeeded({ body: OK })).toEqual([]);
    expect(rejected({ status: 401, body: UNAUTHORIZED }, 'neither_accepted_nor_rejected')).toEqual([]);
  });

  test('an echoed token is found in the body or any header', () => {
    expect(checkNoEcho(exchange({ body: { data: { message: 'bye', token: TOKEN } } }))).toEqual([
      'token_echoed: POST /api/v1/auth/logout 200 echoed the token it was sent, in the body',
    ]);
    expect(checkNoEcho(exchange({ status: 401, body: UNAUTHORIZED, responseHeaders: { 'X-Rejected-Token': `Bearer ${TOKEN}` } }))).toEqual([
      'token_echoed: POST /api/v1/auth/logout 401 echoed the token it was sent, in header X-Rejected-Token',
    ]);
    expect(checkNoEcho(exchange({ body: OK }))).toEqual([]);
  });

  test('refresh handing back a token is not an echo', () => {
    expect(
      checkNoEcho(
        exchange({
          operationId: 'refresh-user-access-token',
          method: 'GET',
          path: '/api/v2/auth/refresh',
          body: { data: { accessToken: TOKEN } },
        }),
      ),
    ).toEqual([]);
  });

  test('another method must be a 4xx', () => {
    expect(checkClientError(exchange({ status: 405, method: 'GET' }))).toEqual([]);
    expect(checkClientError(exchange({ status: 200, method: 'GET', body: OK }), 'method_not_refused')).toEqual([
      `method_not_refused: expected a 4xx, got 200 OK for GET /api/v1/auth/logout; body: ${JSON.stringify(OK)}`,
    ]);
  });
});

test('percentile is nearest-rank', () => {
  expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
  expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
  const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
  expect(percentile(oneToTwenty, 95)).toBe(19);
});
