/**
 * The verdict rules as boxed report steps, the only verdict API the specs see: a spec reads
 * "log out → rejected by Get User Details", and a failure points at the spec line that asked, with
 * the claim and then every violation on its own line, redacted.
 *
 * Hard or soft: a verdict step records its violations and lets the test go on (a soft assertion,
 * reported in its own step), so a contract drift met on the way never hides the verdict the test
 * exists for. Only the preconditions without which a verdict means nothing stop a test: the token
 * never worked (its control was not a 200), or the logout did not answer 2xx. A token that another
 * worker's logout ended before the test did anything to it stops the test as "cannot judge", with
 * rule 6's finding (logout-register.ts).
 *
 * One bug, one red rule: each check has an owning rule. A violation of another rule met on the way
 * (a logout 200 body off its schema met by a rule-2 test; any 5xx, which is rule 4's) is recorded
 * in the step and the report and left to its owner's run-level verdict (foreign-findings.ts); the
 * test that met it judges only its own rule.
 */
import { expect as base, test } from '@playwright/test';
import { EXPIRY_SKEW_MS, type UserToken } from './auth-flow';
import type { SameUserPolicy } from './config';
import { isServerError, isSuccess, type Exchange } from './exchange';
import type { ExchangeLog } from './exchange-log';
import { recordFinding, SPEC_DRIFT, type FindingOwner } from './foreign-findings';
import { endedByOthersLogout, openLogoutRegister, othersLogoutViolation } from './logout-register';
import { labelOf, type LogoutBodyShape, type TokenOperation } from './operations';
import { cannotJudge, notLiveControlNote, readControls, type ProbeControls } from './probe-controls';
import { ruleOfTags } from './rules';
import type { SchemaValidator } from './schema-validator';
import { POLICY_NOTES } from './policy-notes';
import type { Authorization, TransakApi } from './transak-api';
import {
  checkAccepted,
  checkClientError,
  checkLatency,
  checkLogoutSucceeded,
  checkRule4,
  checkNotServerError,
  checkRejected,
  checkSomeLogoutSucceeded,
} from './verdicts';

/**
 * `expect(violations).toHaveNoViolations(claim, redact)`: the one assertion behind every verdict.
 * A failure reads as the claim, then each violation on its own line, redacted: what a QA reader
 * needs, with no diff of arrays to decode.
 */

/** The failure message: the claim on the first line, then `  - <violation>` per line. */
export function violationMessage(claim: string, violations: readonly string[]): string {
  return [claim, ...violations.map((v) => `  - ${v}`)].join('\n');
}

/**
 * Last line of a failure: the matcher, as Playwright's own matchers name theirs. Reporters read it
 * (JUnit files an error naming an expect() matcher as a <failure>, anything else as an <error>).
 */
const MATCHER_HINT = 'expect(violations).toHaveNoViolations(claim)';
const OTHER_USER_CLAIM = "rule 6: logging out one user's token leaves another user's token working";
/** A token, and the gateway's own ends of it (token-supply.ts): what judging again with a new token needs. */
type SeenLive = { token: UserToken; endedBy: (token: UserToken) => string | undefined };
const LOGOUT_CLAIM = 'rule 1: logout of a live token answers 200, JSON, User_logout-user_Response_200';

export const expect = base.extend({
  toHaveNoViolations(violations: readonly string[], claim: string, redact: (text: string) => string = (text) => text) {
    const pass = violations.length === 0;
    return {
      name: 'toHaveNoViolations',
      pass,
      message: () =>
        `${pass ? `${claim}\n  (expected a violation, found none)` : violationMessage(claim, violations.map(redact))}\n\n${MATCHER_HINT}`,
    };
  },
});

export interface VerdictSteps {
  /** Rule 1: logs the token out and holds the answer to 200, JSON, the documented body. Stops the test unless 2xx. */
  logsOut(auth: Authorization, title?: string, shape?: LogoutBodyShape): Promise<Exchange>;
  /**
   * The same, for a token its control saw working. Refused, with the token dead and neither a logout
   * of this run nor the gateway's own ends (`endedBy`) to explain it, something outside the run ended
   * it first (on a gateway whose logout ends every token, the other shard's logouts): resolves
   * undefined to have the test judge again with a new token (while `judgeAgain`).
   */
  logsOutSeenLive(
    token: UserToken,
    endedBy: (token: UserToken) => string | undefined,
    judgeAgain: boolean,
    shape?: LogoutBodyShape,
    title?: string,
  ): Promise<Exchange | undefined>;
  /**
   * The same, after the test's verdict, for a token the gateway may have ended meanwhile by its own
   * policy (a later login of its address, its lifetime): then it is said so, not blamed.
   */
  logsOutUnlessEnded(token: UserToken, endedBy: (token: UserToken) => string | undefined, title: string): Promise<void>;
  /**
   * The control: Get User Details accepts the token (so a later rejection means something). Stops the
   * test unless 200; with `again` (the token, and the gateway's own ends), a refusal that none of them
   * explains resolves false instead, once, for the test to judge again with a new token (live-token.ts).
   */
  tokenWorks(auth: Authorization, title?: string, again?: SeenLive): Promise<boolean>;
  /**
   * Rule 5: the token still works after the test used it (`act`). A refusal while another worker's
   * logout ran may be that logout's doing (rule 6's bug): resolves false to have the test judge again
   * with a new token (while `judgeAgain`); on the last try the refusal is this test's violation.
   */
  stillWorksAfter(token: string, act: string, judgeAgain: boolean): Promise<boolean>;
  /** Rule 2: the operation rejects the credential: 400/401/403, the error body, the documented schema. */
  rejectedBy(operation: TokenOperation, auth: Authorization, title: string): Promise<Exchange>;
  /** Rule 3: a Bearer-prefixed live token is a 200 logout or a well-formed rejection, never a 5xx. */
  acceptedOrRejected(ex: Exchange, claim: string): Promise<void>;
  /** Rules 5 and 7: a 4xx. */
  clientError(ex: Exchange, claim: string, violation?: string): Promise<void>;
  /**
   * Rule 7: every answer is a 200 logout or a 4xx, and at least one is a 200. None succeeding on a
   * token found dead, while another worker's logout ran since its control, may be that logout's doing
   * (rule 6's bug): resolves false to have the test judge again with a new token (while `judgeAgain`).
   */
  concurrentLogoutsSafe(token: string, answers: readonly Exchange[], judgeAgain: boolean): Promise<boolean>;
  /** Rule 8: p95 of the figures within the objective. */
  latencyWithin(figuresMs: readonly number[], objectiveMs: number): Promise<void>;
  /**
   * Rule 6, another user, before the logout: the control, that user's borrowed token works. Its
   * owner's process may log that address in again at any time, which a gateway with one session per
   * user answers by ending the token: then, as below, nothing is judged. Stops the test on any other refusal.
   */
  borrowedTokenWorks(token: UserToken, endedBy: (token: UserToken) => string | undefined, judgeAgain: boolean): Promise<boolean>;
  /**
   * Rule 6, another user: after the logout, that user's token still works. A token that ended by
   * itself or by its own address logging in again (`endedBy`) says nothing of the logout: red as
   * "cannot judge", never a pass; unless `judgeAgain`, when the step says why, so that the test can
   * judge with a new pair. Both resolve true when judged, false when the token ended so.
   */
  otherUserUnaffected(token: UserToken, endedBy: (token: UserToken) => string | undefined, judgeAgain: boolean): Promise<boolean>;
  /**
   * Rule 6, same user: two sessions of one user, then a logout of the first; what the other session
   * answers is observed (and held to a configured policy). A gateway that keeps one session per user
   * (the second login ended the first) or whose tokens do not outlive the OTP cooldown gives no two
   * sessions to observe: said as such, and red only when a policy was configured.
   */
  sameUserSessions(
    first: UserToken,
    second: UserToken,
    policy: SameUserPolicy,
    endedBy: (token: UserToken) => string | undefined,
  ): Promise<string>;
  /** Rule 4: no exchange was a 5xx or carried the token back. */
  noServerErrorsOrEchoes(exchanges: readonly Exchange[], claim: string): Promise<void>;
  /**
   * Rule 2's later looks (ms after the logout) that come before the token would end by itself: a
   * look the token's lifetime cuts short is moved earlier and annotated; if even the first cannot be
   * made, rule 2 cannot be judged on this token (red, never a pass).
   */
  laterLooks(token: Pick<UserToken, 'expiresAt'>, loggedOutAt: number, wantedMs: readonly number[]): Promise<number[]>;
  /** Violations that `owner` judges: asserted in a test of that rule, else recorded for its run-level verdict. */
  judge(owner: FindingOwner, violations: string[], claim: string): void;
}

export function createVerdictSteps(api: TransakApi, log: ExchangeLog, validator: SchemaValidator, outputDir: string): VerdictSteps {
  const redact = (text: string): string => log.redactor.text(text);
  const hard = (violations: string[], claim: string): void => expect(violations).toHaveNoViolations(claim, redact);
  const soft = (violations: string[], claim: string): void => expect.soft(violations).toHaveNoViolations(claim, redact);
  const step = <T>(title: string, body: () => Promise<T> | T): Promise<T> => test.step(title, async () => body(), { box: true });
  let controls: ProbeControls | undefined;
  const logouts = openLogoutRegister(outputDir);

  const judge = (owner: FindingOwner, violations: string[], claim: string): void => {
    const info = test.info();
    const own = ruleOfTags(info.tags);
    if (own === owner || violations.length === 0) return soft(violations, claim);
    const redacted = violations.map(redact);
    const description = `${claim}\n${redacted.map((v) => `  - ${v}`).join('\n')}`;
    const whose = owner === SPEC_DRIFT ? 'spec drift' : owner;
    info.annotations.push({ type: `${whose} met on the way`, description: redacted.join('; ') });
    void info.attach(`belongs to ${whose}: ${claim}`, { body: description, contentType: 'text/plain' });
    recordFinding(outputDir, { rule: owner, metBy: info.titlePath.slice(1).join(' › '), violations: redacted });
  };
  /** A 5xx where a test needed an answer to go on: rule 4's finding (its guard records it), and this test cannot judge. */
  const stopOnServerError = (ex: Exchange, what: string): void => {
    if (!isServerError(ex)) return;
    const own = ruleOfTags(test.info().tags);
    if (own === 'R4' || own === undefined) hard(checkNotServerError(ex), 'rule 4: no 5xx');
    test.skip(true, `cannot judge this test: ${what} answered ${ex.status}, a 5xx that rule 4's run-level verdict reports`);
  };
  /**
   * A token accepted: a refusal is this test's violation (`refused`: soft, or hard where nothing is
   * left to judge without it), a 200 off its schema is spec drift.
   */
  const accepted = (ex: Exchange, claim: string, refused = soft): void =>
    ex.status === 200 ? judge(SPEC_DRIFT, checkAccepted(ex, validator), claim) : refused(checkAccepted(ex, validator), claim);
  /** Why `token`, refused in `dead`, may have been ended by another worker's logout (logout-register.ts). */
  const endedByAnotherWorker = async (token: string, dead: Exchange, pastOwnActs = false): Promise<string | undefined> =>
    (await endedByOthersLogout(logouts, log, test.info().parallelIndex, token, dead, pastOwnActs))?.cause;
  /** Says why the test judges again (rules 5, 6 and 7), and resolves the step to false. */
  const judgedAgain = (description: string): false => {
    test.info().annotations.push({ type: 'judged again', description });
    return false;
  };
  /**
   * A token refused (`dead`) before the test did anything to it, while another worker's logout ran:
   * rule 6's finding, and this test cannot judge. A refused logout counts only if the token is dead
   * (a logout that refuses a live token is rule 1's bug, not this). With no such logout, resolves to
   * why the token ended from outside the run, when `seenLive` rules out the gateway's own ends.
   */
  const stopIfEndedByOthersLogout = async (auth: Authorization, dead: Exchange, seenLive?: SeenLive): Promise<string | undefined> => {
    // Rule 6's own test judges such an end itself.
    if (typeof auth !== 'string' || isSuccess(dead) || isServerError(dead) || ruleOfTags(test.info().tags) === 'R6') return;
    if (dead.operationId === 'logout-user' && (await api.userDetails(auth)).status === 200) return;
    const outsideRun = seenLive !== undefined && seenLive.endedBy(seenLive.token) === undefined;
    const ended = await endedByOthersLogout(logouts, log, test.info().parallelIndex, auth, dead, false, outsideRun);
    if (ended === undefined || ended.outsideRun) return ended?.cause;
    judge('R6', [othersLogoutViolation(ended.cause)], OTHER_USER_CLAIM);
    test.skip(true, `cannot judge this test: ${ended.cause}; rule 6's run-level verdict reports it`);
  };
  /** A control: a live token accepted, or the test stops, having nothing to judge. */
  const works = (ex: Exchange): void => accepted(ex, 'a live token is accepted by Get User Details', hard);
  /**
   * A credential refused: whether it was refused at all is this test's verdict; the refusal's body
   * (its wrapper, statusCode, schema: the `rejection_*` violations) is what rule 2 defines a rejection
   * as, and rule 2 judges it wherever it is met.
   */
  const rejected = (ex: Exchange, claim: string, violation?: string): void => {
    const all = checkRejected(ex, validator, violation);
    soft(
      all.filter((v) => !v.startsWith('rejection_')),
      claim,
    );
    judge(
      'R2',
      all.filter((v) => v.startsWith('rejection_')),
      claim,
    );
  };
  /** Rule 1's part of a successful logout answer, judged by rule 1 wherever it is met. */
  const logoutAnswer = (ex: Exchange, claim: string): void => judge('R1', checkLogoutSucceeded(ex, validator), claim);
  /** A logout of a live token: its 2xx is rule 1's wherever met, anything else leaves the test nothing to judge. */
  const loggedOut = (ex: Exchange): void =>
    isSuccess(ex) ? logoutAnswer(ex, LOGOUT_CLAIM) : hard(checkLogoutSucceeded(ex, validator), LOGOUT_CLAIM);
  /** Rule 1's logout; `seenLive` (a token its control saw working) resolves undefined where it ended from outside the run. */
  const logOut = (auth: Authorization, title: string | undefined, shape: LogoutBodyShape | undefined, seenLive?: SeenLive) =>
    step(title ?? `log out${shape ? ` with ${shape.name}` : ''} → 200 with the documented JSON body`, async () => {
      const ex = await api.logout(auth, shape);
      stopOnServerError(ex, 'the logout');
      const outside = isSuccess(ex) ? undefined : await stopIfEndedByOthersLogout(auth, ex, seenLive);
      if (outside !== undefined) {
        judgedAgain(`the logout was refused, but ${outside}: judged with a new token`);
        return undefined;
      }
      loggedOut(ex);
      return ex;
    });
  /** Rule 6's borrowed token asked to Get User Details, and, if refused, whether the gateway's own policy ended it. */
  const askBorrowed = async (token: UserToken, endedBy: (token: UserToken) => string | undefined) => {
    const ex = await api.userDetails(token.token);
    stopOnServerError(ex, "Get User Details with the second user's token");
    return { ex, cause: ex.status === 200 ? undefined : endedBy(token) };
  };
  /** Rule 6's borrowed token, ended by the gateway's own policy: judged again with a new pair once, then "cannot judge". */
  const endedElsewhere = (why: string, judgeAgain: boolean): false => {
    if (judgeAgain) judgedAgain(`${why}: rule 6 is judged with a new pair`);
    else soft([`cannot judge: ${why}`], OTHER_USER_CLAIM);
    return false;
  };

  return {
    logsOut: (auth, title, shape) => logOut(auth, title, shape) as Promise<Exchange>,
    logsOutSeenLive: (token, endedBy, judgeAgain, shape, title) =>
      logOut(token.token, title, shape, judgeAgain ? { token, endedBy } : undefined),
    logsOutUnlessEnded: (token, endedBy, title) =>
      step(title, async () => {
        const ex = await api.logout(token.token);
        stopOnServerError(ex, 'the logout');
        const cause = isSuccess(ex) ? undefined : endedBy(token);
        if (cause)
          test.info().annotations.push({ type: 'token ended by the gateway', description: `refused (${ex.status}): ended by ${cause}` });
        else loggedOut(ex);
      }),
    tokenWorks: (auth, title = 'control: Get User Details accepts the token', again) =>
      step(title, async () => {
        const ex = await api.userDetails(auth);
        stopOnServerError(ex, 'Get User Details');
        const outside = await stopIfEndedByOthersLogout(auth, ex, again);
        if (ex.status !== 200 && again !== undefined && again.endedBy(again.token) === undefined)
          return judgedAgain(
            `the control refused the token before the test used it (${outside ?? "no logout of this run, nor the gateway's own ends, explain it"}): judged with a new token`,
          );
        works(ex);
        return true;
      }),
    stillWorksAfter: (token, act, judgeAgain) =>
      step(`the token still works after ${act}`, async () => {
        const ex = await api.userDetails(token);
        stopOnServerError(ex, 'Get User Details');
        const cause = ex.status === 200 || !judgeAgain ? undefined : await endedByAnotherWorker(token, ex, true);
        if (cause === undefined) return (works(ex), true);
        return judgedAgain(`refused after ${act}, but ${cause}: judged with a new token`);
      }),
    rejectedBy: (operation, auth, title) =>
      step(title, async () => {
        const ex = await api.call(operation, auth);
        controls ??= readControls(outputDir);
        const unjudged = cannotJudge(operation, controls[operation]);
        const note = notLiveControlNote(operation, controls[operation]);
        if (note !== undefined) test.info().annotations.push({ type: 'live control proved nothing', description: redact(note) });
        const claim = `${labelOf(operation)} rejects the token: 400/401/403 with {error:{statusCode,message}}`;
        // A 5xx is rule 4's (the guard records it); anything else is this rule's to judge.
        if (unjudged !== undefined) soft([unjudged], claim);
        else if (!isServerError(ex)) rejected(ex, claim);
        return ex;
      }),
    acceptedOrRejected: (ex, claim) =>
      step('the answer is a 200 logout or a well-formed rejection, not a 5xx', () => {
        if (isServerError(ex)) return;
        if (isSuccess(ex) && ex.operationId === 'logout-user') logoutAnswer(ex, claim);
        else if (isSuccess(ex)) accepted(ex, claim);
        else rejected(ex, claim, 'neither_accepted_nor_rejected');
      }),
    clientError: (ex, claim, violation) =>
      step('the answer is a 4xx', () => {
        if (!isServerError(ex)) soft(checkClientError(ex, violation), claim);
      }),
    concurrentLogoutsSafe: (token, answers, judgeAgain) =>
      // A race's answers are not rule 1's "logout of a fresh token": their bodies are left to rule 1's own test.
      step("each answer is a 2xx logout or a 4xx (a 5xx is rule 4's), and at least one succeeds", async () => {
        const first = log.exchanges.find((ex) => answers.includes(ex));
        if (judgeAgain && first !== undefined && !answers.some((ex) => isSuccess(ex) || isServerError(ex))) {
          const cause = await endedByAnotherWorker(token, first, true);
          if (cause !== undefined && (await api.userDetails(token)).status !== 200)
            return judgedAgain(`no logout succeeded, but ${cause}: judged with a new token`);
        }
        soft(
          answers.filter((ex) => !isSuccess(ex) && !isServerError(ex)).flatMap((ex) => checkClientError(ex)),
          'rule 7: the losers of the race answer a 4xx',
        );
        soft(checkSomeLogoutSucceeded(answers), 'rule 7: one of the logouts succeeds');
        return true;
      }),
    latencyWithin: (figuresMs, objectiveMs) =>
      step(`logout p95 is within the objective of ${objectiveMs} ms`, () =>
        soft(checkLatency(figuresMs, objectiveMs), 'rule 8: logout latency objective'),
      ),
    borrowedTokenWorks: (token, endedBy, judgeAgain) =>
      step("control: the second user's token works before the logout", async () => {
        const { ex, cause } = await askBorrowed(token, endedBy);
        if (cause) return endedElsewhere(`the second user's token was ended by ${cause} before the logout`, judgeAgain);
        works(ex);
        return true;
      }),
    otherUserUnaffected: (token, endedBy, judgeAgain) =>
      step("the second user's token still works", async () => {
        const { ex, cause } = await askBorrowed(token, endedBy);
        if (cause) return endedElsewhere(`the second user's token was ended by ${cause}, not by the logout`, judgeAgain);
        accepted(ex, OTHER_USER_CLAIM);
        return true;
      }),
    sameUserSessions: (first, second, policy, endedBy) =>
      step("the same user's other session after a logout", async () => {
        const info = test.info();
        const before = await api.userDetails(first.token);
        stopOnServerError(before, 'Get User Details with the first session');
        let seen: string;
        if (before.status !== 200) {
          const expired = endedBy(first) === 'its natural expiry';
          seen = expired
            ? 'not observed: tokens live shorter than the OTP cooldown between two logins of one address, so one user never holds two sessions'
            : `not observed: the gateway keeps one session per user (the second login ended the first, HTTP ${before.status}), so a logout leaves no other session of its user`;
          if (!expired)
            info.annotations.push({ type: POLICY_NOTES.sessionsPerUser, description: 'one: a new login ends the older session' });
          // A configured policy is a claim about other sessions after a logout: here there is none to judge it on.
          soft(
            policy === 'observe' ? [] : [`cannot judge TRANSAK_SAME_USER_SESSIONS=${policy}: ${seen}`],
            `TRANSAK_SAME_USER_SESSIONS=${policy}`,
          );
        } else {
          info.annotations.push({
            type: POLICY_NOTES.sessionsPerUser,
            description: 'several: a new login leaves the older session working',
          });
          const logout = await api.logout(first.token);
          stopOnServerError(logout, 'the logout of the first session');
          loggedOut(logout);
          const ex = await api.userDetails(second.token);
          stopOnServerError(ex, "Get User Details with the user's other session");
          const observed = ex.status === 200 ? 'survive' : 'revoked';
          // Either way the answer must be one of the two outcomes, well-formed; a configured policy must hold.
          const expected = policy === 'observe' ? observed : policy;
          const claim =
            policy === 'observe'
              ? 'the other session is either working or properly rejected'
              : `TRANSAK_SAME_USER_SESSIONS=${policy}: the other session ${policy === 'survive' ? 'still works' : 'is rejected'}`;
          if (expected === 'survive') accepted(ex, claim);
          else rejected(ex, claim);
          seen = `other sessions ${observed === 'survive' ? 'survive' : 'are revoked by'} a logout (HTTP ${ex.status})`;
        }
        info.annotations.push({ type: POLICY_NOTES.sameUserSessions, description: seen });
        return seen;
      }),
    noServerErrorsOrEchoes: (exchanges, claim) =>
      step('no answer was a 5xx or carried the token back', () => soft(exchanges.flatMap(checkRule4), claim)),
    laterLooks: (token, loggedOutAt, wantedMs) =>
      step('the later looks come before the token would end by itself', () => {
        const wanted = [...new Set(wantedMs)].sort((a, b) => a - b);
        const lastUseful = token.expiresAt === undefined ? Infinity : token.expiresAt - EXPIRY_SKEW_MS - loggedOutAt;
        if (lastUseful < wanted[0]) {
          soft(
            [
              `cannot judge rule 2's look ${wanted[0] / 1000} s after the logout: the token ends by itself ${Math.max(0, Math.round(lastUseful / 100) / 10)} s after it`,
            ],
            'rule 2 looks again at least 3 s after the logout, before the token expires',
          );
          return [];
        }
        const looks = [...new Set(wanted.map((ms) => Math.min(ms, lastUseful)))];
        if (looks.at(-1)! < wanted.at(-1)!) {
          test.info().annotations.push({
            type: POLICY_NOTES.tokenLifetime,
            description: `the latest look came ${Math.round(looks.at(-1)! / 1000)} s after the logout, not ${wanted.at(-1)! / 1000} s: the token would have ended by itself`,
          });
        }
        return looks;
      }),
    judge,
  };
}
