// Authentication: local accounts (bcrypt) issuing short-lived JWTs, and partner API keys (prefixed, hashed).
// The web app carries the same JWT in an httpOnly cookie; a cookie-authenticated write must also send a CSRF
// token derived from that session. Every request resolves to one Principal; the permission matrix comes after.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import bcrypt from 'bcryptjs';
import { SignJWT, jwtVerify } from 'jose';
import type { Pool } from 'pg';
import { Role } from '../workflows/domain/vocabulary';
import { can, type Permission, type Principal } from './authz';
import { recordDenied } from './denied-log';
import { Problem } from './problem';
import type { OidcVerifier } from './oidc';

export const API_KEY_PREFIX = 'avrr_pk_';
export const SESSION_COOKIE = 'avrr_session';
export const CSRF_HEADER = 'x-csrf-token';
const TOKEN_TTL = '8h';
export const SESSION_TTL_MS = 8 * 3600 * 1000;
/** Methods that change nothing: a cookie alone may authenticate them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** Set when the request was authenticated by the session cookie: the token its writes must echo. */
    csrfToken?: string;
  }
}

export interface Session {
  token: string;
  csrfToken: string;
  principal: Principal;
}

export interface Auth {
  login(email: string, password: string): Promise<string | undefined>;
  /** Logs in for the web app: the token goes into the cookie, the CSRF token to the page. */
  startSession(email: string, password: string): Promise<Session | undefined>;
  authenticate: RequestHandler;
  require(permission: Permission): RequestHandler;
}

export function createAuth(pool: Pool, secret: string, oidc?: OidcVerifier): Auth {
  const key = new TextEncoder().encode(secret);

  async function issue(email: string, password: string): Promise<{ token: string; jti: string; principal: Principal } | undefined> {
    const { rows } = await pool.query('SELECT user_id, password_hash, role, office, partner_id FROM users WHERE email = $1', [email.toLowerCase()]);
    // Compare against a dummy hash when the user is unknown, so timing does not reveal which emails exist.
    const ok = await bcrypt.compare(password, rows[0]?.password_hash ?? DUMMY_HASH);
    if (!rows[0] || !ok) return undefined;
    const principal: Principal = { userId: rows[0].user_id, role: rows[0].role, office: rows[0].office ?? undefined, partnerId: rows[0].partner_id ?? undefined };
    // Each token has its own ID, so each session has its own CSRF token.
    const jti = crypto.randomUUID();
    const token = await new SignJWT({ role: principal.role, office: principal.office, partnerId: principal.partnerId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principal.userId)
      .setJti(jti)
      .setIssuedAt()
      .setExpirationTime(TOKEN_TTL)
      .sign(key);
    return { token, jti, principal };
  }

  /** HMAC of the token's ID: only this server can compute it, and a page of another origin cannot read it. */
  function csrfTokenOf(jti: string): string {
    return crypto.createHmac('sha256', key).update(`csrf:${jti}`).digest('base64url');
  }

  async function fromJwt(token: string): Promise<{ principal: Principal; jti?: string } | undefined> {
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
      const role = Role.safeParse(payload.role);
      if (!role.success || typeof payload.sub !== 'string') return undefined;
      return { principal: { userId: payload.sub, role: role.data, office: str(payload.office), partnerId: str(payload.partnerId) }, jti: str(payload.jti) };
    } catch {
      return undefined;
    }
  }

  const authenticate: RequestHandler = async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const token = header.slice(7).trim();
      const principal = token.startsWith(API_KEY_PREFIX)
        ? await fromApiKey(pool, token)
        : ((await fromJwt(token))?.principal ?? (await oidc?.(token)));
      if (!principal) return next(new Problem(401, 'Unauthorized', 'The token or API key is invalid or expired'));
      req.principal = principal;
      return next();
    }
    const cookie: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof cookie !== 'string' || cookie === '') {
      return next(new Problem(401, 'Unauthorized', 'Log in and send the token as `Authorization: Bearer <token>`'));
    }
    // The cookie holds only what POST /auth/session put there: a JWT, never an API key.
    const session = await fromJwt(cookie);
    if (!session?.jti) return next(new Problem(401, 'Unauthorized', 'The session is invalid or expired; log in again'));
    const expected = csrfTokenOf(session.jti);
    // The browser attaches the cookie to any request, including one another site provokes: a write must
    // also prove it comes from our page, which alone could read the CSRF token.
    if (!SAFE_METHODS.has(req.method) && !sameSecret(req.header(CSRF_HEADER), expected)) {
      return next(new Problem(403, 'Forbidden', `Send the session's CSRF token in the ${CSRF_HEADER} header`, {}, 'csrf-token-invalid'));
    }
    req.principal = session.principal;
    req.csrfToken = expected;
    next();
  };

  const requirePermission = (permission: Permission): RequestHandler => async (req, _res, next) => {
    if (!req.principal || !can(req.principal.role, permission)) {
      // Auditors are read-only: their attempt to change a case is itself audited.
      if (req.principal?.role === 'auditor') await recordDenied(pool, req, permission);
      return next(new Problem(403, 'Forbidden', `Your role may not do this (${permission})`));
    }
    next();
  };

  return {
    login: async (email, password) => (await issue(email, password))?.token,
    startSession: async (email, password) => {
      const issued = await issue(email, password);
      return issued && { token: issued.token, csrfToken: csrfTokenOf(issued.jti), principal: issued.principal };
    },
    authenticate,
    require: requirePermission,
  };
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const DUMMY_HASH = bcrypt.hashSync('not-a-password', 10);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function hashApiKey(apiKey: string): string {
  return crypto.createHash('sha256').update(apiKey).digest('hex');
}

async function fromApiKey(pool: Pool, apiKey: string): Promise<Principal | undefined> {
  const { rows } = await pool.query(
    // A rotated key stays valid until its revoked_at, in the future during the overlap.
    'SELECT key_id, partner_id FROM partner_api_keys WHERE key_hash = $1 AND (revoked_at IS NULL OR revoked_at > now())',
    [hashApiKey(apiKey)],
  );
  if (!rows[0]) return undefined;
  return { userId: `partner:${rows[0].partner_id}`, role: 'partner', partnerId: rows[0].partner_id };
}

/** A new API key: shown once to the admin, stored only as its hash. */
export function newApiKey(): { apiKey: string; prefix: string; hash: string } {
  const apiKey = API_KEY_PREFIX + crypto.randomBytes(24).toString('base64url');
  return { apiKey, prefix: apiKey.slice(0, API_KEY_PREFIX.length + 6), hash: hashApiKey(apiKey) };
}
