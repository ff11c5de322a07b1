import { randomUUID } from 'node:crypto';
import { SignJWT, errors, jwtVerify, type JWTPayload } from 'jose';
import type { TokenRejectionReason } from './errors';

export const ISSUER = 'transak-emulator';
export const AUDIENCE = 'transak-whitelabel';
/** The reference's lifetime, 30 days; a gateway may choose less (policies.ts). */
export const TOKEN_TTL_SECONDS = 2_592_000;

export type AccessClaims = { sub: string; jti: string; iat: number; exp: number };

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; reason: TokenRejectionReason };

/** Signs access tokens and verifies them: HS256 only, issuer, audience, expiry and partner checked. */
export class TokenService {
  constructor(
    private readonly secret: Uint8Array,
    private readonly apiKey: string,
    private readonly clock: () => number,
    /** The token lifetime in force (the short-token-lifetime policy may change it). */
    private readonly ttlSeconds: () => number = () => TOKEN_TTL_SECONDS,
  ) {}

  async issue(subject: string): Promise<{ token: string; claims: AccessClaims }> {
    const iat = Math.floor(this.clock() / 1000);
    const claims: AccessClaims = { sub: subject, jti: randomUUID(), iat, exp: iat + this.ttlSeconds() };
    const token = await new SignJWT({ partner_api_key: this.apiKey })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setJti(claims.jti)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(this.secret);
    return { token, claims };
  }

  async verify(token: string): Promise<VerifyResult> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        currentDate: new Date(this.clock()),
      });
      return acceptClaims(payload, this.apiKey);
    } catch (error) {
      return { ok: false, reason: reasonOf(error) };
    }
  }
}

/** The claims of a payload whose signature and times were already judged: typed, and of this partner. */
export function acceptClaims(payload: JWTPayload, apiKey: string): VerifyResult {
  const { sub, jti, iat, exp } = payload;
  if (typeof sub !== 'string' || typeof jti !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
    return { ok: false, reason: 'claims' };
  }
  if (payload.partner_api_key !== apiKey) return { ok: false, reason: 'claims' };
  return { ok: true, claims: { sub, jti, iat, exp } };
}

function reasonOf(error: unknown): TokenRejectionReason {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad-signature';
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'algorithm';
  if (error instanceof errors.JWTClaimValidationFailed) return 'claims';
  // Whatever else a hostile string provokes is still the client's bad token, never a 500.
  return 'malformed';
}
