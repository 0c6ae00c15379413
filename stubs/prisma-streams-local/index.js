'use strict';
// Only `prisma dev` (Prisma's local development server) imports this package; the hub uses its
// own PostgreSQL. The real package needs Node >= 22: docs/decisions/0011-node-20-dependency-tree.md.
throw new Error(
  '@prisma/streams-local is not installed: `prisma dev` is not supported by this project (it needs Node >= 22).',
);
