import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/platform/paths';

export interface SchemaColumn {
  column: string;
  dataType: string;
  nullable: boolean;
}

export interface SchemaModel {
  table: string;
  columns: SchemaColumn[];
  indexes: string[];
}

export interface ParsedSchema {
  models: SchemaModel[];
  enums: Record<string, string[]>;
}

const SCALARS: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp with time zone',
  Bytes: 'bytea',
  Json: 'jsonb',
  Float: 'double precision',
};

/**
 * Reads what schema.prisma promises about the database: tables, columns with their
 * PostgreSQL types and nullability, named indexes, enums. Enough to detect drift between the
 * schema and the hand-written migrations without Prisma's schema engine.
 */
export function parsePrismaSchema(
  file = join(repoRoot(), 'prisma', 'schema.prisma'),
): ParsedSchema {
  const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
  const enums: Record<string, string[]> = {};
  for (const [, name, body] of text.matchAll(/enum\s+(\w+)\s*\{([^}]*)\}/g)) {
    enums[name] = body.split(/\s+/).filter(Boolean);
  }
  const modelNames = [...text.matchAll(/model\s+(\w+)\s*\{/g)].map((m) => m[1]);
  const models: SchemaModel[] = [];
  for (const [, name, body] of text.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)) {
    const table = body.match(/@@map\("([^"]+)"\)/)?.[1] ?? name;
    const columns: SchemaColumn[] = [];
    const indexes = [...body.matchAll(/@@(?:index|unique)\([^)]*map:\s*"([^"]+)"/g)].map(
      (m) => m[1],
    );
    for (const line of body.split('\n').map((l) => l.trim())) {
      const field = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/);
      if (!field || line.startsWith('@@')) continue;
      const [, fieldName, type, list, optional, attrs] = field;
      if (modelNames.includes(type)) continue; // relation fields have no column
      const uniqueMap = attrs.match(/@unique\(map:\s*"([^"]+)"\)/)?.[1];
      if (uniqueMap) indexes.push(uniqueMap);
      columns.push({
        column: attrs.match(/@map\("([^"]+)"\)/)?.[1] ?? fieldName,
        // A scalar list (Int[]) is a PostgreSQL array, reported as ARRAY by information_schema.
        dataType: list
          ? 'ARRAY'
          : enums[type]
            ? `enum:${type}`
            : (nativeType(attrs) ?? SCALARS[type]),
        nullable: Boolean(optional),
      });
    }
    models.push({ table, columns, indexes });
  }
  return { models, enums };
}

/** PostgreSQL types named by a native-type attribute (`@db.Uuid`, `@db.SmallInt`, …). */
const NATIVE_TYPES: Record<string, string> = {
  Uuid: 'uuid',
  SmallInt: 'smallint',
  Integer: 'integer',
  BigInt: 'bigint',
  Text: 'text',
  Date: 'date',
  Real: 'real',
  DoublePrecision: 'double precision',
  Inet: 'inet',
};

function nativeType(attrs: string): string | undefined {
  const name = attrs.match(/@db\.(\w+)/)?.[1];
  return name ? NATIVE_TYPES[name] : undefined;
}
