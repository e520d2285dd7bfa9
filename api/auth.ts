// Authentication: local accounts (bcrypt) issuing short-lived JWTs, and partner API keys (prefixed, hashed).
// Every request resolves to one Principal; scoping and the permission matrix are applied after this.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import bcrypt from 'bcryptjs';
import { SignJWT, jwtVerify } from 'jose';
import type { Pool } from 'pg';
import { Role } from '../workflows/domain/vocabulary';
import { can, type Permission, type Principal } from './authz';
import { Problem } from './problem';

export const API_KEY_PREFIX = 'avrr_pk_';
const TOKEN_TTL = '8h';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export interface Auth {
  login(email: string, password: string): Promise<string | undefined>;
  authenticate: RequestHandler;
  require(permission: Permission): RequestHandler;
}

export function createAuth(pool: Pool, secret: string): Auth {
  const key = new TextEncoder().encode(secret);

  async function login(email: string, password: string): Promise<string | undefined> {
    const { rows } = await pool.query('SELECT user_id, password_hash, role, office, partner_id FROM users WHERE email = $1', [email.toLowerCase()]);
    // Compare against a dummy hash when the user is unknown, so timing does not reveal which emails exist.
    const ok = await bcrypt.compare(password, rows[0]?.password_hash ?? DUMMY_HASH);
    if (!rows[0] || !ok) return undefined;
    return new SignJWT({ role: rows[0].role, office: rows[0].office ?? undefined, partnerId: rows[0].partner_id ?? undefined })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(rows[0].user_id)
      .setIssuedAt()
      .setExpirationTime(TOKEN_TTL)
      .sign(key);
  }

  async function fromBearer(token: string): Promise<Principal | undefined> {
    if (token.startsWith(API_KEY_PREFIX)) return fromApiKey(pool, token);
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
      const role = Role.safeParse(payload.role);
      if (!role.success || typeof payload.sub !== 'string') return undefined;
      return { userId: payload.sub, role: role.data, office: str(payload.office), partnerId: str(payload.partnerId) };
    } catch {
      return undefined;
    }
  }

  const authenticate: RequestHandler = async (req, _res, next) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.cookies?.avrr_session;
    if (!token) return next(new Problem(401, 'Unauthorized', 'Log in and send the token as `Authorization: Bearer <token>`'));
    const principal = await fromBearer(token);
    if (!principal) return next(new Problem(401, 'Unauthorized', 'The token or API key is invalid or expired'));
    req.principal = principal;
    next();
  };

  const requirePermission = (permission: Permission): RequestHandler => (req, _res, next) => {
    if (!req.principal || !can(req.principal.role, permission)) {
      return next(new Problem(403, 'Forbidden', `Your role may not do this (${permission})`));
    }
    next();
  };

  return { login, authenticate, require: requirePermission };
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
    'SELECT key_id, partner_id FROM partner_api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
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
