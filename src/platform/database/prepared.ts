import { createHash } from 'node:crypto';

/**
 * A hot statement of fixed text, sent as a named prepared statement: PostgreSQL parses and plans
 * it once per connection instead of on every call (for intake's two statements that was about
 * 40 % of PostgreSQL's CPU per grievance, docs/benchmarks.md). Only for texts that never vary:
 * each distinct text stays prepared on every pooled connection.
 */
export interface Prepared {
  readonly name: string;
  readonly text: string;
}

/** Every statement declared so far in this process, by name (for the plan test of them all). */
const declared = new Map<string, Prepared>();

/** The statement named by its text's hash: one name per text, the same in every process. */
export function prepared(text: string): Prepared {
  const statement = {
    name: `hub_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`,
    text,
  };
  declared.set(statement.name, statement);
  return statement;
}

/**
 * The statements `prepared` has made in this process (those of every module loaded, and of
 * every key table constructed): test/integration/prepared-generic-plans reads each one's
 * generic plan, the plan the hub runs them on (decision 0036).
 */
export function declaredStatements(): Prepared[] {
  return [...declared.values()];
}

/**
 * The answers of a connection pooler that cannot keep prepared statements (PgBouncer before 1.21
 * in transaction mode, or with max_prepared_statements = 0): the statement does not exist on
 * the server connection the transaction got, or another client already prepared it there.
 * PostgreSQL refuses either before running anything, so the statement can be sent again unnamed.
 */
const POOLER_LOST_STATEMENT = new Set(['26000', '42P05']);

/**
 * Whether PostgreSQL refused a prepared statement before running it, so that sending it again
 * unnamed is safe: lost by a pooler (above), or its plan outdated by a migration that changed the
 * type of a column it returns ("cached plan must not change result type", raised when the plan
 * is revalidated, before execution).
 */
export function refusedBeforeRunning(error: unknown): boolean {
  if (lostByPooler(error)) return true;
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === '0A000' && /cached plan must not change result type/.test(message ?? '');
}

/** Whether a pooler lost the prepared statement (above): there is a pooler in between. */
export function lostByPooler(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: string };
  return code !== undefined && POOLER_LOST_STATEMENT.has(code);
}
