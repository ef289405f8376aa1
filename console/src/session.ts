// The signed-in token: held in memory, in sessionStorage only when asked (never localStorage).
// Its payload is decoded for display and to hide views its scopes do not allow; the service
// checks the token itself on every call.

export const ADMIN = 'privacykit:admin';

export interface Session {
  token: string;
  tenant: string | null;
  subject: string | null;
  issuer: string | null;
  scopes: string[];
  expiresAt: Date | null;
}

const TOKEN_KEY = 'privacykit.console.token';

/** The session of a bearer token (a JWT), or an Error saying why it is not one. */
export function sessionOf(token: string): Session | Error {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  const parts = trimmed.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    return new Error('not a JWT: expected three base64url parts separated by dots');
  }
  let claims: Record<string, unknown>;
  try {
    const json = new TextDecoder().decode(base64url(parts[1]!));
    claims = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return new Error('not a JWT: its payload is not base64url JSON');
  }
  if (typeof claims !== 'object' || claims === null) return new Error('not a JWT: its payload is not an object');
  return {
    token: trimmed,
    tenant: text(claims['tenant']),
    subject: text(claims['sub']),
    issuer: text(claims['iss']),
    scopes: scopesOf(claims),
    expiresAt: typeof claims['exp'] === 'number' ? new Date(claims['exp'] * 1000) : null,
  };
}

/** A data principal's own scopes, which the administrator scope does not grant. */
const SELF_SCOPES = ['consents:self', 'requests:self'];

/** Whether the token's scopes allow `scope` (the administrator scope allows all but the principal's own). */
export function allows(session: Session | null, scope: string): boolean {
  if (!session) return false;
  return session.scopes.includes(scope) || (!SELF_SCOPES.includes(scope) && session.scopes.includes(ADMIN));
}

/** The token kept for this tab, if the user asked to keep it. */
export function restoreToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Keeps the token for this tab (sessionStorage), or forgets it. */
export function keepToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // storage disabled: the token stays in memory only
  }
}

function scopesOf(claims: Record<string, unknown>): string[] {
  const value = claims['scope'] ?? claims['scp'];
  if (typeof value === 'string') return value.split(' ').filter((s) => s !== '');
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string');
  return [];
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function base64url(part: string): Uint8Array {
  const padded = part.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((part.length + 3) % 4);
  const binary = atob(padded);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
