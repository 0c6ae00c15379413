import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { devKeysFile } from '../crypto/dev-keys';
import { repoRoot } from '../paths';
import { categoriesFileSchema } from './categories.schema';
import { ConfigError, type ConfigIssue, formatPath } from './config-error';
import { crossValidate, type FileNames, type ParsedFiles } from './cross-validate';
import { parseEnv } from './env.schema';
import type { HubConfig, HubEnv, SlaConfig } from './hub-config';
import { interpolateEnv } from './interpolate';
import { jurisdictionsFileSchema } from './jurisdictions.schema';
import { portalsFileSchema } from './portals.schema';
import { publishedPiiKeys, publishedSecrets } from './published-secrets';
import { resolvePortal } from './resolve-portal';
import { validateAdapters } from './validate-adapters';
import { routingFileSchema } from './routing.schema';
import { slaFileSchema } from './sla.schema';

export { ConfigError, type ConfigIssue } from './config-error';

const SCHEMAS = {
  jurisdictions: jurisdictionsFileSchema,
  categories: categoriesFileSchema,
  portals: portalsFileSchema,
  routing: routingFileSchema,
  sla: slaFileSchema,
} as const;

/**
 * Reads and validates the environment and every file in the config directory. Throws one
 * ConfigError listing every problem found, so an operator fixes them all in one round.
 */
export function loadHubConfig(
  opts: { configDir?: string; env?: Record<string, string | undefined> } = {},
): HubConfig {
  const source = opts.env ?? process.env;
  const issues: ConfigIssue[] = [];
  const parsedEnv = parseEnv(source);
  if (!parsedEnv.ok) issues.push(...parsedEnv.issues.map((i) => ({ file: 'environment', ...i })));

  const configDir =
    opts.configDir ??
    (parsedEnv.ok ? parsedEnv.env.configDir : source.HUB_CONFIG_DIR || join(repoRoot(), 'config'));
  const names = Object.fromEntries(
    Object.keys(SCHEMAS).map((k) => [k, displayName(join(configDir, `${k}.yaml`))]),
  ) as FileNames;

  const files: Partial<ParsedFiles> = {};
  for (const key of Object.keys(SCHEMAS) as (keyof ParsedFiles)[]) {
    const parsed = readYaml(
      join(configDir, `${key}.yaml`),
      names[key],
      SCHEMAS[key],
      source,
      issues,
    );
    if (parsed !== undefined) Object.assign(files, { [key]: parsed });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const f = files as ParsedFiles;
  issues.push(...crossValidate(f, names));
  const nodeEnv = parsedEnv.ok ? parsedEnv.env.nodeEnv : fallbackNodeEnv(source.NODE_ENV);
  const published =
    nodeEnv === 'production'
      ? publishedSecrets([join(repoRoot(), 'config'), configDir], devKeysFile())
      : new Set<string>();
  const portals = f.portals.portals.map((p, i) =>
    resolvePortal(
      p,
      i,
      nodeEnv,
      source,
      (path, message) => issues.push({ file: names.portals, path, message }),
      published,
    ),
  );
  if (parsedEnv.ok) issues.push(...publishedPiiKeys(parsedEnv.env, published));
  if (issues.length === 0) issues.push(...validateAdapters(portals, names.portals));
  if (issues.length > 0 || !parsedEnv.ok) throw new ConfigError(issues);

  const env: HubEnv = { ...parsedEnv.env, configDir };
  return {
    env,
    portals,
    routing: {
      centralPortal: f.routing.centralPortal,
      mirrorStateGrievances: f.routing.mirrorStateGrievances ?? {
        enabled: false,
        portal: f.routing.centralPortal,
      },
      rules: f.routing.rules,
    },
    categories: f.categories.categories.map((c) => ({ ...c, ministry: c.ministry ?? null })),
    ministries: f.categories.ministries,
    jurisdictions: f.jurisdictions,
    sla: resolveSla(f.sla),
    governanceIndex: f.sla.governanceIndex,
    publicFigures: f.sla.publicFigures,
  };
}

/** The mode to resolve portal secrets in when the environment itself is invalid. */
function fallbackNodeEnv(value: string | undefined): HubEnv['nodeEnv'] {
  return value === 'development' || value === 'test' ? value : 'production';
}

function readYaml<S extends z.ZodType>(
  file: string,
  name: string,
  schema: S,
  env: Record<string, string | undefined>,
  issues: ConfigIssue[],
): z.output<S> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    issues.push({
      file: name,
      path: '',
      message: `Cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    });
    return undefined;
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    issues.push(
      ...doc.errors.map((e) => ({ file: name, path: '', message: `YAML: ${e.message}` })),
    );
    return undefined;
  }
  const before = issues.length;
  const data = interpolateEnv(doc.toJS(), env, (path, variable) =>
    issues.push({
      file: name,
      path,
      message: `Environment variable ${variable} is not set (write \${${variable}:-default} to give a default)`,
    }),
  );
  if (issues.length > before) return undefined;
  const result = schema.safeParse(data);
  if (!result.success) {
    issues.push(...result.error.issues.flatMap((i) => toIssues(name, i)));
    return undefined;
  }
  return result.data;
}

// One issue per unknown key, at the key itself, so a typo is reported where it is.
function toIssues(file: string, issue: z.core.$ZodIssue): ConfigIssue[] {
  if (issue.code !== 'unrecognized_keys')
    return [{ file, path: formatPath(issue.path), message: issue.message }];
  return issue.keys.map((key) => ({
    file,
    path: formatPath([...issue.path, key]),
    message: 'Unknown field (misspelt, or not supported here)',
  }));
}

function resolveSla(s: ParsedFiles['sla']): SlaConfig {
  return {
    defaults: s.defaults,
    policies: s.policies.map(({ category, source, ...terms }) => ({
      ...s.defaults,
      ...Object.fromEntries(Object.entries(terms).filter(([, v]) => v !== undefined)),
      portal: terms.portal,
      category: category ?? null,
      source: source ?? null,
    })),
    holidays: s.holidays,
  };
}

/** "config/portals.yaml" inside the repository, the absolute path elsewhere (e.g. a test's tmp dir). */
function displayName(file: string): string {
  const rel = relative(repoRoot(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
