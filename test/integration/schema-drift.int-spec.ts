import { parsePrismaSchema } from '../support/prisma-schema';
import { useTestDatabase } from '../support/database';

// The migrations are hand-written SQL; this is what keeps them and schema.prisma in step.
describe('schema.prisma matches the migrated database', () => {
  const pg = useTestDatabase();
  const schema = parsePrismaSchema();

  it('has the same tables', async () => {
    // A partitioned table is one model; its monthly partitions are not (decision 0026).
    const { rows } = await pg.client.query<{ table_name: string }>(
      `SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         AND c.relname <> '_hub_migrations'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(schema.models.map((m) => m.table).sort());
  });

  it.each(schema.models.map((m) => [m.table, m] as const))(
    '%s has the same columns, types and nullability',
    async (table, model) => {
      const { rows } = await pg.client.query<{
        column_name: string;
        data_type: string;
        udt_name: string;
        is_nullable: string;
      }>(
        `SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = $1`,
        [table],
      );
      const actual = rows
        .map((r) => ({
          column: r.column_name,
          dataType: r.data_type === 'USER-DEFINED' ? `enum:${r.udt_name}` : r.data_type,
          nullable: r.is_nullable === 'YES',
        }))
        .sort((a, b) => a.column.localeCompare(b.column));
      expect(actual).toEqual([...model.columns].sort((a, b) => a.column.localeCompare(b.column)));
    },
  );

  it.each(schema.models.map((m) => [m.table, m] as const))(
    '%s has the same named indexes',
    async (table, model) => {
      const { rows } = await pg.client.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1 AND indexname NOT LIKE '%_pkey'`,
        [table],
      );
      expect(rows.map((r) => r.indexname).sort()).toEqual([...model.indexes].sort());
    },
  );

  it('has the same enums and values', async () => {
    const { rows } = await pg.client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.typname, r.labels]))).toEqual(schema.enums);
  });
});
