import type { Role } from './api/types';

/**
 * What each role may do, mirrored from src/domain/roles.ts so the UI hides what
 * the API would refuse. The API stays the authority: this only shapes the screens.
 */
export type Permission =
  | 'company.update'
  | 'members.manage'
  | 'api_keys.manage'
  | 'customers.write'
  | 'products.write'
  | 'invoices.write'
  | 'invoices.issue'
  | 'invoices.send'
  | 'payments.write'
  | 'audit.read';

const INVOICING: Permission[] = ['invoices.write', 'invoices.issue', 'invoices.send', 'payments.write'];

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set<Permission>(['company.update', 'members.manage', 'api_keys.manage', 'customers.write', 'products.write', ...INVOICING, 'audit.read']),
  admin: new Set<Permission>(['company.update', 'members.manage', 'api_keys.manage', 'customers.write', 'products.write', ...INVOICING, 'audit.read']),
  biller: new Set<Permission>(['customers.write', 'products.write', ...INVOICING]),
  accountant: new Set<Permission>(['payments.write', 'audit.read']),
  read_only: new Set<Permission>(),
};

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role ? ROLE_PERMISSIONS[role].has(permission) : false;
}

/** Roles a member with `actorRole` may hand out (only an owner makes owners). */
export function assignableRoles(actorRole: Role | null | undefined): Role[] {
  if (actorRole === 'owner') return ['owner', 'admin', 'biller', 'accountant', 'read_only'];
  if (actorRole === 'admin') return ['admin', 'biller', 'accountant', 'read_only'];
  return [];
}
