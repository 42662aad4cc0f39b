import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** A database handle or an open transaction (Transaction extends Kysely). */
export type Executor = Kysely<Database>;
