import type { Role } from '../domain/roles.js';

/** Who did something: a logged-in user, an API key, or the CLI/system. */
export interface Actor {
  type: 'user' | 'api_key' | 'cli' | 'system';
  id: string | null;
  /** Human-readable label kept in the audit log (e-mail, key name). */
  label: string;
}

/**
 * Everything a company-scoped use case needs to know about its caller. Every
 * query a service runs for this context is filtered by `companyId`.
 */
export interface CompanyContext {
  companyId: string;
  role: Role;
  actor: Actor;
  ipAddress: string | null;
}

export const CLI_ACTOR: Actor = { type: 'cli', id: null, label: 'fakturaflyt CLI' };
