import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

type Schema = Record<string, unknown>;
export type OpenApiDocument = { paths: Record<string, Record<string, Schema>> } & Schema;

export interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  pointer: string;
}

/** Runs `redocly lint` with its recommended rules on the document, as an integrator would. */
export async function redoclyLint(doc: object): Promise<LintProblem[]> {
  const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  try {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc, null, 2));
    const cli = require.resolve('@redocly/cli/bin/cli.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'lint', file, '--extends=recommended', '--format=json'],
      // No telemetry or update check: the test must not depend on the network.
      {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as {
      problems: {
        ruleId: string;
        severity: string;
        message: string;
        location: { pointer: string }[];
      }[];
    };
    return report.problems.map((p) => ({
      ruleId: p.ruleId,
      severity: p.severity,
      message: p.message,
      pointer: p.location[0]?.pointer ?? '',
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function resolve(doc: Schema, ref: string): Schema {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Schema>((node, key) => node[key] as Schema, doc);
}

/**
 * The value Swagger UI's "Try it out" fills in: the media example if there is one, else built
 * from the schema (each property's example, default or first enum value, else a placeholder).
 */
export function sampleBody(doc: Schema, media: Schema): unknown {
  return 'example' in media ? media.example : sampleOf(doc, media.schema as Schema);
}

function sampleOf(doc: Schema, schema: Schema): unknown {
  if (typeof schema.$ref === 'string') return sampleOf(doc, resolve(doc, schema.$ref));
  if ('example' in schema) return schema.example;
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t !== 'null');
  if (type === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    return Object.fromEntries(
      Object.entries(properties).map(([name, property]) => [name, sampleOf(doc, property)]),
    );
  }
  if (type === 'array') return [sampleOf(doc, schema.items as Schema)];
  if (type === 'integer' || type === 'number') return 0;
  if (type === 'boolean') return true;
  return 'string';
}

/**
 * Where a documented example and a real response differ in shape: object keys (recursively),
 * arrays by their first item, primitive types. A null or an empty array matches anything.
 */
export function shapeDiff(example: unknown, actual: unknown, at = '$'): string[] {
  if (example === null || actual === null) return [];
  if (Array.isArray(example) || Array.isArray(actual)) {
    if (!Array.isArray(example) || !Array.isArray(actual)) return [`${at}: array in one only`];
    return example.length && actual.length ? shapeDiff(example[0], actual[0], `${at}[0]`) : [];
  }
  if (typeof example === 'object' || typeof actual === 'object') {
    if (typeof example !== 'object' || typeof actual !== 'object') {
      return [`${at}: object in one only`];
    }
    const ex = example as Record<string, unknown>;
    const ac = actual as Record<string, unknown>;
    return [...new Set([...Object.keys(ex), ...Object.keys(ac)])].flatMap((key) => {
      if (!(key in ex)) return [`${at}.${key}: not in the example`];
      if (!(key in ac)) return [`${at}.${key}: not in the response`];
      return shapeDiff(ex[key], ac[key], `${at}.${key}`);
    });
  }
  return typeof example === typeof actual ? [] : [`${at}: ${typeof example} in the example`];
}
