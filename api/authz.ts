// The role × permission matrix, defined once: the API checks it and the web app reads it to show what you may do.
import type { Role } from '../workflows/domain/vocabulary';

export const PERMISSIONS = [
  'case.create',
  'case.read',
  'case.read_personal',
  'case.read_health',
  'case.act',
  'case.assign',
  'case.history',
  'case.replay',
  'programme.read',
  'partner.manage',
  'partner.deliveries',
  'audit.verify',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const MATRIX: Record<Role, readonly Permission[]> = {
  caseworker: ['case.create', 'case.read', 'case.read_personal', 'case.read_health', 'case.act', 'case.assign', 'case.history', 'programme.read'],
  supervisor: ['case.create', 'case.read', 'case.read_personal', 'case.read_health', 'case.act', 'case.assign', 'case.history', 'case.replay', 'programme.read'],
  auditor: ['case.read', 'case.read_personal', 'case.history', 'case.replay', 'programme.read', 'audit.verify', 'partner.deliveries'],
  partner: ['case.read', 'case.act', 'programme.read', 'partner.deliveries'],
  admin: ['case.read', 'programme.read', 'partner.manage', 'partner.deliveries', 'audit.verify', 'case.replay'],
};

export function can(role: Role, permission: Permission): boolean {
  return MATRIX[role].includes(permission);
}

export interface Principal {
  userId: string;
  role: Role;
  office?: string;
  partnerId?: string;
}
