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
  'case.assign_partner',
  'partner.deliveries',
  'audit.verify',
  'report.read',
  'workqueue.read',
  // Cooperation projects: read (partners only their own), create and manage (staff), take steps (staff and partners).
  'project.read',
  'project.manage',
  'project.act',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const MATRIX: Record<Role, readonly Permission[]> = {
  caseworker: ['case.create', 'case.read', 'case.read_personal', 'case.read_health', 'case.act', 'case.assign', 'case.history', 'programme.read', 'workqueue.read', 'project.read', 'project.manage', 'project.act'],
  supervisor: ['case.create', 'case.read', 'case.read_personal', 'case.read_health', 'case.act', 'case.assign', 'case.assign_partner', 'case.history', 'case.replay', 'programme.read', 'workqueue.read', 'report.read', 'project.read', 'project.manage', 'project.act'],
  auditor: ['case.read', 'case.read_personal', 'case.history', 'case.replay', 'programme.read', 'audit.verify', 'partner.deliveries', 'report.read', 'project.read'],
  partner: ['case.read', 'case.act', 'programme.read', 'partner.deliveries', 'workqueue.read', 'project.read', 'project.act'],
  admin: ['case.read', 'programme.read', 'partner.manage', 'case.assign_partner', 'partner.deliveries', 'audit.verify', 'case.replay', 'report.read'],
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
