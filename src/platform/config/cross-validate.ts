import type { z } from 'zod';
import type { categoriesFileSchema } from './categories.schema';
import type { ConfigIssue } from './config-error';
import { isKnownState, isValidDistrict } from './jurisdiction-lookup';
import type { jurisdictionsFileSchema } from './jurisdictions.schema';
import type { portalsFileSchema } from './portals.schema';
import type { routingFileSchema } from './routing.schema';
import type { slaFileSchema } from './sla.schema';

export interface ParsedFiles {
  jurisdictions: z.output<typeof jurisdictionsFileSchema>;
  categories: z.output<typeof categoriesFileSchema>;
  portals: z.output<typeof portalsFileSchema>;
  routing: z.output<typeof routingFileSchema>;
  sla: z.output<typeof slaFileSchema>;
}
export type FileNames = Record<keyof ParsedFiles, string>;
type Report = (file: keyof ParsedFiles, path: string, message: string) => void;

/** Checks what no single file can: references between files, uniqueness, reachability. */
export function crossValidate(f: ParsedFiles, names: FileNames): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const report: Report = (file, path, message) => issues.push({ file: names[file], path, message });
  checkJurisdictions(f, report);
  checkCategories(f, report);
  checkPortals(f, report);
  checkRouting(f, report);
  checkSla(f, report);
  return issues;
}

function unique<T>(
  items: T[],
  key: (t: T) => string,
  onDuplicate: (i: number, value: string, first: number) => void,
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else onDuplicate(i, k, first);
  });
}

function checkJurisdictions({ jurisdictions: j }: ParsedFiles, report: Report) {
  unique(
    j.states,
    (s) => s.code,
    (i, v, first) =>
      report(
        'jurisdictions',
        `states[${i}].code`,
        `Duplicate state code "${v}" (also states[${first}])`,
      ),
  );
  unique(
    j.districts,
    (d) => d.code,
    (i, v, first) =>
      report(
        'jurisdictions',
        `districts[${i}].code`,
        `Duplicate district code "${v}" (also districts[${first}])`,
      ),
  );
  j.districts.forEach((d, i) => {
    if (!isKnownState(j, d.stateCode)) {
      report('jurisdictions', `districts[${i}].stateCode`, `Unknown state code "${d.stateCode}"`);
    }
  });
  for (const [prefix, codes] of Object.entries(j.pincodePrefixes)) {
    codes.forEach((code, i) => {
      if (!isKnownState(j, code))
        report('jurisdictions', `pincodePrefixes.${prefix}[${i}]`, `Unknown state code "${code}"`);
    });
  }
}

function checkCategories({ categories: c }: ParsedFiles, report: Report) {
  unique(
    c.ministries,
    (m) => m.code,
    (i, v, first) =>
      report(
        'categories',
        `ministries[${i}].code`,
        `Duplicate ministry code "${v}" (also ministries[${first}])`,
      ),
  );
  unique(
    c.categories,
    (x) => x.code,
    (i, v, first) =>
      report(
        'categories',
        `categories[${i}].code`,
        `Duplicate category code "${v}" (also categories[${first}])`,
      ),
  );
  const ministries = new Set(c.ministries.map((m) => m.code));
  c.categories.forEach((x, i) => {
    if (x.ministry && !ministries.has(x.ministry)) {
      report(
        'categories',
        `categories[${i}].ministry`,
        `Unknown ministry "${x.ministry}" (not in ministries)`,
      );
    }
  });
}

function checkPortals({ portals: p, jurisdictions: j }: ParsedFiles, report: Report) {
  unique(
    p.portals,
    (x) => x.code,
    (i, v, first) =>
      report(
        'portals',
        `portals[${i}].code`,
        `Duplicate portal code "${v}" (also portals[${first}])`,
      ),
  );
  p.portals.forEach((x, i) => {
    if (x.jurisdiction.level === 'state' && !isKnownState(j, x.jurisdiction.stateCode)) {
      report(
        'portals',
        `portals[${i}].jurisdiction.stateCode`,
        `Unknown state code "${x.jurisdiction.stateCode}"`,
      );
    }
  });
}

function checkRouting(
  { routing: r, portals: p, jurisdictions: j, categories: c }: ParsedFiles,
  report: Report,
) {
  const portal = (code: string) => p.portals.find((x) => x.code === code);
  const known = p.portals.map((x) => x.code).join(', ');
  const mustBeCentral = (path: string, code: string) => {
    const found = portal(code);
    if (!found) report('routing', path, `Unknown portal "${code}" (portals.yaml has ${known})`);
    else if (found.jurisdiction.level !== 'central')
      report('routing', path, `Portal "${code}" is not a central portal`);
  };
  mustBeCentral('centralPortal', r.centralPortal);
  if (r.mirrorStateGrievances)
    mustBeCentral('mirrorStateGrievances.portal', r.mirrorStateGrievances.portal);

  unique(
    r.rules,
    (x) => x.name,
    (i, v, first) =>
      report('routing', `rules[${i}].name`, `Duplicate rule name "${v}" (also rules[${first}])`),
  );
  r.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    const stateKnown = isKnownState(j, rule.stateCode);
    if (!stateKnown) report('routing', `${at}.stateCode`, `Unknown state code "${rule.stateCode}"`);
    const target = portal(rule.portal);
    if (!target) {
      report(
        'routing',
        `${at}.portal`,
        `Unknown portal "${rule.portal}" (portals.yaml has ${known})`,
      );
    } else if (
      target.jurisdiction.level !== 'state' ||
      target.jurisdiction.stateCode !== rule.stateCode
    ) {
      const serves =
        target.jurisdiction.level === 'state'
          ? `state "${target.jurisdiction.stateCode}"`
          : 'the central level';
      report(
        'routing',
        `${at}.portal`,
        `Portal "${rule.portal}" serves ${serves}, not state "${rule.stateCode}"`,
      );
    }
    rule.districts?.forEach((d, k) => {
      if (stateKnown && !isValidDistrict(j, rule.stateCode, d)) {
        report(
          'routing',
          `${at}.districts[${k}]`,
          `District "${d}" does not belong to state "${rule.stateCode}"`,
        );
      }
    });
    rule.categories?.forEach((code, k) => {
      const category = c.categories.find((x) => x.code === code);
      if (!category) report('routing', `${at}.categories[${k}]`, `Unknown category "${code}"`);
      else if (category.level === 'central') {
        report(
          'routing',
          `${at}.categories[${k}]`,
          `Category "${code}" is central: it always goes to the central portal, never through a rule`,
        );
      }
    });
    const catchAll = r.rules.findIndex(
      (x, k) => k < i && x.stateCode === rule.stateCode && !x.districts && !x.categories,
    );
    if (catchAll >= 0) {
      report(
        'routing',
        `${at}`,
        `Rule "${rule.name}" can never match: rules[${catchAll}] "${r.rules[catchAll].name}" before it takes every grievance of state "${rule.stateCode}"`,
      );
    }
  });
}

function checkSla(
  { sla: s, portals: p, categories: c, jurisdictions: j }: ParsedFiles,
  report: Report,
) {
  s.policies.forEach((policy, i) => {
    if (!p.portals.some((x) => x.code === policy.portal)) {
      report('sla', `policies[${i}].portal`, `Unknown portal "${policy.portal}"`);
    }
    if (policy.category && !c.categories.some((x) => x.code === policy.category)) {
      report('sla', `policies[${i}].category`, `Unknown category "${policy.category}"`);
    }
  });
  unique(
    s.policies,
    (x) => `${x.portal}/${x.category ?? '*'}`,
    (i, v, first) =>
      report('sla', `policies[${i}]`, `Duplicate policy for ${v} (also policies[${first}])`),
  );
  for (const key of Object.keys(s.holidays)) {
    if (key !== 'central' && !isKnownState(j, key))
      report('sla', `holidays.${key}`, `Unknown state code "${key}"`);
  }
}
