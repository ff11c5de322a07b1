import type { FastifyInstance } from 'fastify';
import { assertApiKey, requirePartner } from '../auth';
import type { EmulatorContext } from '../context';
import { STATE_TOKEN_TTL_SECONDS } from '../otp';
import { loginBody, okSchema, type LoginBody } from '../schemas';

export const LOGIN_PATH = '/api/v2/auth/login';

/** Send User OTP: the first half of getting a token. */
export function loginRoute(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post<{ Body: LoginBody }>(
    LOGIN_PATH,
    { onRequest: requirePartner(ctx), schema: { body: loginBody, response: { 200: okSchema('send-user-otp') } } },
    async (request) => {
      assertApiKey(request.body.apiKey, ctx);
      const email = normalizeEmail(request.body.email);
      const { stateToken, otp } = ctx.otps.issue(email);
      [stateToken, otp].forEach((issued) => ctx.options.onSecretIssued?.(issued));
      if (ctx.options.onOtpIssued) {
        try {
          await ctx.options.onOtpIssued(email, otp);
        } catch (error) {
          // An undelivered OTP must not cost the caller a minute of cooldown.
          ctx.otps.withdraw(email, stateToken);
          throw error;
        }
      }
      // A user who never verified an OTP has not accepted the terms yet (in the staging profile).
      const isTncAccepted = ctx.options.profile.newUserTncAccepted || ctx.otps.hasVerified(email);
      return { data: { isTncAccepted, stateToken, email, expiresIn: STATE_TOKEN_TTL_SECONDS } };
    },
  );
}

/** Emails differ only in case for the limits and the token subject, as mailboxes treat them. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
