import { defineConfig } from 'prisma/config';

// Migrations are applied by scripts/migrate.ts (see docs/decisions/0001-migrations.md);
// this file only tells `prisma generate` where the schema is.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
