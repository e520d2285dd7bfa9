// Production authentication: bearer JWTs issued by the organisation's OIDC provider, verified with `jose`
// against the issuer's JWKS (fetched and cached by jose), with the issuer and audience checked.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../common/config';
import { Role } from '../workflows/domain/vocabulary';
import type { Principal } from './authz';

export type OidcVerifier = (token: string) => Promise<Principal | undefined>;

export function createOidcVerifier(cfg: Config): OidcVerifier | undefined {
  if (!cfg.OIDC_ISSUER) return undefined;
  const jwksUri = cfg.OIDC_JWKS_URI ?? `${cfg.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`;
  const jwks = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 30_000 });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: cfg.OIDC_ISSUER,
        audience: cfg.OIDC_AUDIENCE,
        algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'],
      }));
    } catch {
      return undefined;
    }
    const role = Role.safeParse(payload[cfg.OIDC_ROLE_CLAIM]);
    if (!role.success || typeof payload.sub !== 'string') return undefined;
    const office = payload[cfg.OIDC_OFFICE_CLAIM];
    const partnerId = payload[cfg.OIDC_PARTNER_CLAIM];
    return {
      userId: payload.sub,
      role: role.data,
      office: typeof office === 'string' ? office : undefined,
      partnerId: typeof partnerId === 'string' ? partnerId : undefined,
    };
  };
}
