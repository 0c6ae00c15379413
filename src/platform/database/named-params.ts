/** The PostgreSQL types a parameter is sent as (an unnest's columns and arrays: arrays of it). */
export type SqlType =
  'uuid' | 'text' | 'boolean' | 'int' | 'real' | 'timestamptz' | 'jsonb' | 'bytea';

/** Column name → type, in the order the columns appear in the statement. */
export type ColumnTypes = Readonly<Record<string, SqlType>>;

/** One row of an unnest table: every column present (null for no value). */
export type RowOf<C extends ColumnTypes> = { [K in keyof C]: unknown };

/** A placeholder: a whole parameter (`column` absent), or one column of an unnest or a row. */
type Slot = { name: string; column?: string; kind: 'table' | 'row' | 'value'; type?: SqlType };

/**
 * Builds a statement's positional parameters from names, so that a long statement cannot get
 * its placeholders out of order: `unnest`, `row`, `array` and `value` hand out `$n` in the order they
 * are written into the SQL, and `values` lays the arguments out in that same order, by name.
 *
 *   const p = new NamedParams();
 *   const SQL = `INSERT INTO t (id, kind) SELECT id, kind FROM ${p.unnest('rows', { id: 'uuid', kind: 'text' })}`;
 *   db.query(SQL, p.values({ rows: [{ id, kind }] }));
 */
export class NamedParams {
  private readonly slots: Slot[] = [];
  private readonly names = new Set<string>();
  /** Placeholders that may be written again (arrays and values), by name. */
  private readonly reused = new Map<string, string>();

  /** `unnest($n::type[], …) AS alias(column, …)`: a table of rows passed as `name`. */
  unnest(name: string, columns: ColumnTypes, alias = name): string {
    this.claim(name);
    const entries = Object.entries(columns);
    if (entries.length === 0) throw new Error(`unnest ${name} has no columns`);
    const arrays = entries.map(
      ([column, type]) => `${this.slot({ name, column, kind: 'table' })}::${type}[]`,
    );
    return `unnest(${arrays.join(', ')}) AS ${alias}(${entries.map(([c]) => c).join(', ')})`;
  }

  /**
   * `(SELECT $n::type AS column, …) AS alias`: a table of exactly one row passed as `name` (an
   * object of its columns). Each column is one parameter, where an unnest sends a one-element
   * array that both sides must build and parse.
   */
  row(name: string, columns: ColumnTypes, alias = name): string {
    this.claim(name);
    const entries = Object.entries(columns);
    if (entries.length === 0) throw new Error(`row ${name} has no columns`);
    const fields = entries.map(
      ([column, type]) => `${this.slot({ name, column, kind: 'row' })}::${type} AS ${column}`,
    );
    return `(SELECT ${fields.join(', ')}) AS ${alias}`;
  }

  /** `$n::type[]`: one array passed as `name`; written again, the same placeholder. */
  array(name: string, type: SqlType): string {
    return this.reusable(name, `${type}[]`, { name, kind: 'table' });
  }

  /** `$n::type`: one value passed as `name` (null for NULL); written again, the same placeholder. */
  value(name: string, type: SqlType): string {
    return this.reusable(name, type, { name, kind: 'value', type });
  }

  /**
   * The parameter values in placeholder order: for an unnest, one array per column taken from
   * its rows; for a row, its columns' values; for an array, the array; for a value, the value
   * (null for NULL; an array or an object only for jsonb). Every name must be given, and no
   * other; every row must have every column (`undefined` is a bug, not a NULL).
   */
  values(args: Record<string, unknown>): unknown[] {
    for (const name of Object.keys(args))
      if (!this.names.has(name)) throw new Error(`No parameter named ${name}`);
    return this.slots.map((slot) => {
      const { name, column, kind } = slot;
      const given = args[name];
      if (given === undefined) throw new Error(`Parameter ${name} not given`);
      if (kind === 'value') {
        // node-postgres would send an array or an object as text PostgreSQL may well accept.
        const composite =
          Array.isArray(given) ||
          (typeof given === 'object' &&
            given !== null &&
            !(given instanceof Date) &&
            !Buffer.isBuffer(given));
        if (composite && slot.type !== 'jsonb')
          throw new Error(`Parameter ${name} is one ${slot.type}, not an array or an object`);
        return given;
      }
      if (kind === 'row') {
        if (given === null || typeof given !== 'object' || Array.isArray(given))
          throw new Error(`Parameter ${name} is not a row`);
        const value = (given as Record<string, unknown>)[column!];
        if (value === undefined) throw new Error(`The row ${name} has no ${column}`);
        return value;
      }
      if (!Array.isArray(given)) throw new Error(`Parameter ${name} is not an array`);
      if (column === undefined) return given;
      return given.map((row) => {
        const value = (row as Record<string, unknown>)[column];
        if (value === undefined) throw new Error(`A row of ${name} has no ${column}`);
        return value;
      });
    });
  }

  /** A placeholder `name` may be written more than once, always with the same type. */
  private reusable(name: string, type: string, slot: Slot): string {
    const again = this.reused.get(name);
    if (again !== undefined) {
      if (again.endsWith(`::${type}`)) return again;
      throw new Error(`Parameter ${name} is used with two types`);
    }
    this.claim(name);
    const placeholder = `${this.slot(slot)}::${type}`;
    this.reused.set(name, placeholder);
    return placeholder;
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`Parameter ${name} is used twice`);
    this.names.add(name);
  }

  private slot(slot: Slot): string {
    this.slots.push(slot);
    return `$${this.slots.length}`;
  }
}
