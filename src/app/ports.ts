/** Interfaces the application needs from the outside world; main.ts wires real adapters. */

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new time-ordered unique id (UUIDv7). */
  newId(): string;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}
