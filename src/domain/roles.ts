/**
 * Roles and what they may do. A role is held per company (membership) or by an
 * API key. The permission table is the single source of truth for route guards.
 */
export const ROLES = ['owner', 'admin', 'biller', 'accountant', 'read_only'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'company.read',
  'company.update',
  'members.read',
  'members.manage',
  'api_keys.manage',
  'customers.read',
  'customers.write',
  'products.read',
  'products.write',
  'invoices.read',
  'invoices.write',
  'invoices.issue',
  'invoices.send',
  'payments.write',
  'exports.run',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ['company.read', 'members.read', 'customers.read', 'products.read', 'invoices.read'];
const ALL: Permission[] = [...PERMISSIONS];

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(ALL),
  admin: new Set(ALL),
  biller: new Set<Permission>([
    ...READ,
    'customers.write',
    'products.write',
    'invoices.write',
    'invoices.issue',
    'invoices.send',
    'payments.write',
  ]),
  // The accountant reconciles: registers and reverses payments, but writes no invoices.
  accountant: new Set<Permission>([...READ, 'payments.write', 'exports.run', 'audit.read']),
  read_only: new Set<Permission>(READ),
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/**
 * Which roles a member with `actorRole` may hand out: only an owner may make or
 * change owners; an admin manages every other role.
 */
export function canAssignRole(actorRole: Role, targetRole: Role): boolean {
  if (actorRole === 'owner') {
    return true;
  }
  return actorRole === 'admin' && targetRole !== 'owner';
}
