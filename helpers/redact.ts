/**
 * Redaction of secrets before anything is written: access tokens, state tokens, OTPs and API keys.
 * Known secrets are replaced wherever they appear; anything shaped like a JWT is replaced even if
 * nobody registered it (a server may mint one we never saw, e.g. on refresh).
 */
import { listOf } from './config';

/**
 * A JWT keeps its first 6 characters (always the encoded `{"alg` of its header, so they say what
 * kind of value it was, never which one); anything else keeps only its length.
 */
export function mask(secret: string): string {
  return secret.startsWith('eyJ') && secret.length >= 24
    ? `${secret.slice(0, 6)}…[redacted, ${secret.length} chars]`
    : `[redacted, ${secret.length} chars]`;
}

// The signature part is optional: a body excerpt cut short (helpers/verdicts.ts keeps 300 chars) can
// end inside a token, and its payload still carries the partner API key and the user's email.
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g;

/** Names of JSON fields and headers whose values are secrets, whatever they hold. */
const SECRET_FIELD =
  /^(authorization|x-api-key|apikey|api_key|partner_api_key|accesstoken|access_token|statetoken|state_token|otp|token|password)$/i;

/** The suite's secret variables: the API key, the OTP and where it comes from, the test addresses. */
const SECRET_VARIABLE = /^(TRANSAK|EMULATOR)_(API_KEY|OTP|OTP_IMAP_URL|OTP_COMMAND|EMAILS)$/;

/** Their values in `env`, trimmed as the suite reads them, for a redactor of what a script writes: TRANSAK_EMAILS one address each. */
export function secretsOfEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([name, value]) =>
    !SECRET_VARIABLE.test(name) || !value ? [] : name.endsWith('_EMAILS') ? listOf(value) : [value.trim()],
  );
}

export type Redactor = ReturnType<typeof createRedactor>;

export function createRedactor(initial: Array<string | undefined> = []) {
  const secrets = new Set<string>();
  /** Registers a secret so every later text() hides it. Short values (< 4 chars) are ignored. */
  function add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 4) secrets.add(secret);
  }
  function text(input: string): string {
    let out = input;
    // Longest first, so a token that contains a shorter secret is masked whole.
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(mask(secret));
    }
    return out.replace(JWT_SHAPE, (jwt) => mask(jwt));
  }
  /** A deep copy with secret-named fields masked and every string run through text(). */
  function value<T>(input: T): T {
    const walk = (node: unknown, key?: string): unknown => {
      if (typeof node === 'string') return key !== undefined && SECRET_FIELD.test(key) && node !== '' ? mask(node) : text(node);
      if (Array.isArray(node)) return node.map((item) => walk(item));
      if (node !== null && typeof node === 'object') {
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
      }
      return node;
    };
    return walk(input) as T;
  }
  initial.forEach(add);
  return { add, text, value };
}
