import { describe, expect, it } from 'vitest';
import { canAssignRole, hasPermission, PERMISSIONS, ROLES, type Permission, type Role } from './roles.js';

/**
 * The expected permission matrix, written out in full so that any change to a
 * role (or a new permission) has to be made here on purpose as well.
 */
const EXPECTED: Record<Permission, Record<Role, boolean>> = {
  //                      owner  admin  biller accountant read_only
  'company.read':     { owner: true, admin: true, biller: true, accountant: true, read_only: true },
  'company.update':   { owner: true, admin: true, biller: false, accountant: false, read_only: false },
  'members.read':     { owner: true, admin: true, biller: true, accountant: true, read_only: true },
  'members.manage':   { owner: true, admin: true, biller: false, accountant: false, read_only: false },
  'api_keys.manage':  { owner: true, admin: true, biller: false, accountant: false, read_only: false },
  'customers.read':   { owner: true, admin: true, biller: true, accountant: true, read_only: true },
  'customers.write':  { owner: true, admin: true, biller: true, accountant: false, read_only: false },
  'products.read':    { owner: true, admin: true, biller: true, accountant: true, read_only: true },
  'products.write':   { owner: true, admin: true, biller: true, accountant: false, read_only: false },
  'invoices.read':    { owner: true, admin: true, biller: true, accountant: true, read_only: true },
  'invoices.write':   { owner: true, admin: true, biller: true, accountant: false, read_only: false },
  'invoices.issue':   { owner: true, admin: true, biller: true, accountant: false, read_only: false },
  'invoices.send':    { owner: true, admin: true, biller: true, accountant: false, read_only: false },
  'payments.write':   { owner: true, admin: true, biller: true, accountant: true, read_only: false },
  'exports.run':      { owner: true, admin: true, biller: false, accountant: true, read_only: false },
  'audit.read':       { owner: true, admin: true, biller: false, accountant: true, read_only: false },
};

const MATRIX: Array<[Role, Permission, boolean]> = ROLES.flatMap((role) =>
  PERMISSIONS.map((permission): [Role, Permission, boolean] => [role, permission, EXPECTED[permission][role]]),
);

describe('roles and permissions lists', () => {
  it('has exactly the five roles', () => {
    expect([...ROLES]).toEqual(['owner', 'admin', 'biller', 'accountant', 'read_only']);
  });

  it('has exactly the permissions in the expected matrix', () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(new Set(PERMISSIONS).size).toBe(PERMISSIONS.length);
  });
});

describe('hasPermission', () => {
  it.each(MATRIX)('%s has %s: %s', (role, permission, expected) => {
    expect(hasPermission(role, permission)).toBe(expected);
  });

  describe('key rules, stated directly', () => {
    it.each(['customers.write', 'products.write', 'invoices.write', 'invoices.issue', 'invoices.send', 'members.manage', 'api_keys.manage', 'company.update'] as const)(
      'accountant cannot %s',
      (permission) => {
        expect(hasPermission('accountant', permission)).toBe(false);
      },
    );

    it.each(['audit.read', 'exports.run', 'invoices.read', 'customers.read'] as const)('accountant can %s', (permission) => {
      expect(hasPermission('accountant', permission)).toBe(true);
    });

    it('read_only holds only *.read permissions, and all of them except audit.read', () => {
      const granted = PERMISSIONS.filter((permission) => hasPermission('read_only', permission));
      expect(granted.every((permission) => permission.endsWith('.read'))).toBe(true);
      expect(granted.sort()).toEqual(
        ['company.read', 'customers.read', 'invoices.read', 'members.read', 'products.read'].sort(),
      );
    });

    it.each(['members.manage', 'api_keys.manage', 'audit.read', 'exports.run', 'company.update'] as const)(
      'biller cannot %s',
      (permission) => {
        expect(hasPermission('biller', permission)).toBe(false);
      },
    );

    it.each(['customers.write', 'invoices.issue', 'invoices.send'] as const)('biller can %s', (permission) => {
      expect(hasPermission('biller', permission)).toBe(true);
    });

    it.each(['owner', 'admin'] as const)('%s holds every permission', (role) => {
      expect(PERMISSIONS.filter((permission) => !hasPermission(role, permission))).toEqual([]);
    });

    it('every role can read the company', () => {
      expect(ROLES.filter((role) => !hasPermission(role, 'company.read'))).toEqual([]);
    });
  });
});

describe('canAssignRole', () => {
  const EXPECTED_ASSIGN: Record<Role, Record<Role, boolean>> = {
    owner: { owner: true, admin: true, biller: true, accountant: true, read_only: true },
    admin: { owner: false, admin: true, biller: true, accountant: true, read_only: true },
    biller: { owner: false, admin: false, biller: false, accountant: false, read_only: false },
    accountant: { owner: false, admin: false, biller: false, accountant: false, read_only: false },
    read_only: { owner: false, admin: false, biller: false, accountant: false, read_only: false },
  };

  const CASES: Array<[Role, Role, boolean]> = ROLES.flatMap((actor) =>
    ROLES.map((target): [Role, Role, boolean] => [actor, target, EXPECTED_ASSIGN[actor][target]]),
  );

  it.each(CASES)('%s may assign %s: %s', (actor, target, expected) => {
    expect(canAssignRole(actor, target)).toBe(expected);
  });

  it('an admin cannot grant owner, an owner can', () => {
    expect(canAssignRole('admin', 'owner')).toBe(false);
    expect(canAssignRole('owner', 'owner')).toBe(true);
  });

  it('only roles that can manage members can assign any role', () => {
    for (const actor of ROLES) {
      const assignsSomething = ROLES.some((target) => canAssignRole(actor, target));
      expect(assignsSomething, actor).toBe(hasPermission(actor, 'members.manage'));
    }
  });
});
