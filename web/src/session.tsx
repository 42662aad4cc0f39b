import { createContext, useContext, type ReactNode } from 'react';
import type { Role, Session } from './api/types';
import { can, type Permission } from './permissions';

export interface SessionValue {
  session: Session;
  role: Role | null;
  /** Replaces the session after a call that returned a new one (switch company, refresh). */
  setSession(session: Session): void;
  /** Reloads the session from the API (e.g. after the company name changed). */
  refresh(): Promise<void>;
  logout(): Promise<void>;
  switchCompany(companyId: string): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ value, children }: { value: SessionValue; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** Whether the current role may do something (hides buttons and screens it may not). */
export function useCan(permission: Permission): boolean {
  return can(useSession().role, permission);
}
