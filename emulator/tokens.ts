import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { TokenRejectionReason } from './errors';

export const ISSUER = 'transak-emulator';
export const AUDIENCE = 'transak-whitelabel';
export const TOKEN_TTL_SECONDS = 2_592_000;

export interface AccessClaims {
  sub: string;
  jti: string;
  iat: number;
  exp: number;
}

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; reason: TokenRejectionReason };

/** The lax ways a buggy server may read a token; both false for a correct one. */
export interface VerifyLaxity {
  skipSignature: boolean;
  acceptAlgNone: boolean;
}

export class TokenService {
  constructor(
    private readonly secret: Uint8Array,
    private readonly apiKey: string,
    private readonly clock: () => number,
  ) {}

  async issue(subject: string): Promise<{ token: string; claims: AccessClaims }> {
    const iat = Math.floor(this.clock() / 1000);
    const claims: AccessClaims = { sub: subject, jti: randomUUID(), iat, exp: iat + TOKEN_TTL_SECONDS };
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

  async verify(token: string, laxity: VerifyLaxity): Promise<VerifyResult> {
    if (laxity.skipSignature || (laxity.acceptAlgNone && algorithmOf(token) === 'none')) {
      return this.checkUnverified(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        currentDate: new Date(this.clock()),
      });
      return this.accept(payload);
    } catch (error) {
      return { ok: false, reason: reasonOf(error) };
    }
  }

  /** What a server that trusts the payload without its signature does (fault modes only). */
  private checkUnverified(token: string): VerifyResult {
    let payload: JWTPayload;
    try {
      payload = decodeJwt(token);
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const now = Math.floor(this.clock() / 1000);
    if (typeof payload.exp !== 'number' || payload.exp <= now) return { ok: false, reason: 'expired' };
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (payload.iss !== ISSUER || !audiences.includes(AUDIENCE)) return { ok: false, reason: 'claims' };
    return this.accept(payload);
  }

  private accept(payload: JWTPayload): VerifyResult {
    const { sub, jti, iat, exp } = payload;
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
      return { ok: false, reason: 'claims' };
    }
    if (payload.partner_api_key !== this.apiKey) return { ok: false, reason: 'claims' };
    return { ok: true, claims: { sub, jti, iat, exp } };
  }
}

function algorithmOf(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}

function reasonOf(error: unknown): TokenRejectionReason {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad-signature';
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'algorithm';
  if (error instanceof errors.JWTClaimValidationFailed) return 'claims';
  // Whatever else a hostile string provokes is still the client's bad token, never a 500.
  return 'malformed';
}
