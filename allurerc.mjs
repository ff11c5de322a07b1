// Allure 3 report of the logout suite, built by `npm run report` (scripts/allure-report.ts) into one
// self-contained file that opens from file:// and makes no outside request. README.md, "Reports",
// says what each part shows.

import process from 'node:process';

/**
 * Failure categories, first match wins, judged on the error message, whose violations start with a
 * stable name (helpers/verdicts.ts):
 * - a broken verdict rule of the logout contract (R1..R8) is the server's fault;
 * - a supporting endpoint's or login step's 200 body off the reference, or a status it documents no
 *   body for, is spec drift: the reference or the server moved, and someone must decide which;
 * - configuration, reachability and the login flow mean the run could not judge the server at all;
 * - anything else that fails (TypeError, a test timeout, …) is the suite's own bug.
 */
const CONTRACT_VIOLATION =
  /\b(token_not_rejected|logout_not_ok|logout_not_json|logout_schema_violation|rejection_[a-z_]+|not_a_server_error|token_echoed|method_not_refused|not_a_client_error|logout_too_slow|live_token_refused|no_logout_succeeded|neither_accepted_nor_rejected|token_killed):/;
const SPEC_DRIFT = /(?<![a-z_])(?:login_)?schema_violation:|breaks its documented schema|document no JSON body/;
const TARGET_PROBLEM =
  /target unreachable|no answer in \d+ ms|\bTRANSAK_[A-Z_]+|ConfigError|TargetError|AuthFlowError|AccountLockedError|OtpError|PreflightError|User OTP failed|embedded emulator|webServer/;
const FAILED = ['failed', 'broken'];

export default {
  name: 'Transak Logout User API',
  output: 'reports/allure-report',
  // One line per run; keep the file between runs (CI: actions/cache) for trends and per-test history.
  historyPath: './allure-history/history.jsonl',
  historyLimit: 60,
  // scripts/allure-report.ts sets ALLURE_APPEND_HISTORY=0 when these results are already in the history.
  appendHistory: process.env.ALLURE_APPEND_HISTORY !== '0',
  // Plumbing labels every test has; the report's own label list keeps the ones a reader uses.
  hideLabels: ['titlePath', '_fallbackTestCaseId', 'language', 'framework'],
  plugins: {
    awesome: {
      options: {
        reportName: 'Transak Logout User API',
        singleFile: true,
        reportLanguage: 'en',
        groupBy: ['feature', 'story'],
        stepTreeExpansion: 'expand_failed_only',
      },
    },
  },
  categories: [
    { name: 'Contract violation by the server', matchers: { statuses: FAILED, message: CONTRACT_VIOLATION }, expand: true },
    { name: 'Spec drift (undocumented status or field)', matchers: { statuses: FAILED, message: SPEC_DRIFT } },
    { name: 'Target unreachable or misconfigured', matchers: { statuses: FAILED, message: TARGET_PROBLEM } },
    { name: 'Broken test', matchers: { statuses: FAILED } },
    { name: 'Flaky (passed on retry)', matchers: { statuses: ['passed'], flaky: true } },
  ],
};
