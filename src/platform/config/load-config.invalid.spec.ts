import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { TEST_CONFIG_DIR } from '../../../test/support/config-dir';
import { ConfigError, loadHubConfig } from './load-config';

const fixtureDir = TEST_CONFIG_DIR;

/** Loads a copy of config/ after `change` edited it; returns the ConfigError thrown. */
function brokenBy(change: (dir: string) => void, env: Record<string, string> = {}): ConfigError {
  const dir = mkdtempSync(join(tmpdir(), 'hub-config-'));
  try {
    cpSync(fixtureDir, dir, { recursive: true, dereference: true });
    change(dir);
    loadHubConfig({ configDir: dir, env: { NODE_ENV: 'development', ...env } });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('expected a ConfigError');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const editYaml = (file: string, edit: (doc: any) => void) => (dir: string) => {
  const path = join(dir, file);
  const doc = parse(readFileSync(path, 'utf8'));
  edit(doc);
  writeFileSync(path, stringify(doc));
};
const editText = (file: string, from: string, to: string) => (dir: string) => {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  writeFileSync(path, text.replace(from, to));
};

describe('loadHubConfig refuses a bad config file, naming file and field', () => {
  it.each([
    [
      'wrong type',
      editYaml('portals.yaml', (d) => (d.portals[1].delivery = { timeoutMs: 'fast' })),
      'portals.yaml',
      'portals[1].delivery.timeoutMs',
      /expected number/i,
    ],
    [
      'unknown field (typo)',
      editYaml('portals.yaml', (d) => (d.portals[0].delivry = {})),
      'portals.yaml',
      'portals[0].delivry',
      /unknown field/i,
    ],
    [
      'monthly cap that is not a positive whole number',
      editYaml('portals.yaml', (d) => (d.portals[1].monthlyCapPerMobile = 0)),
      'portals.yaml',
      'portals[1].monthlyCapPerMobile',
      /.+/,
    ],
    [
      'unknown portal in a rule',
      editYaml('routing.yaml', (d) => (d.rules[0].portal = 'UP-NOPE')),
      'routing.yaml',
      'rules[0].portal',
      /Unknown portal "UP-NOPE"/,
    ],
    [
      'adapter option of the wrong shape',
      editYaml('portals.yaml', (d) => (d.portals[2].options.submitPath = 'register')),
      'portals.yaml',
      'portals[2].options.submitPath',
      /must be a path starting with "\/"/,
    ],
    [
      'adapter option missing',
      editYaml('portals.yaml', (d) => delete d.portals[2].options.statusMap),
      'portals.yaml',
      'portals[2].options.statusMap',
      /expected record/i,
    ],
    [
      'unknown adapter kind',
      editYaml('portals.yaml', (d) => (d.portals[2].kind = 'fax-machine')),
      'portals.yaml',
      'portals[2].kind',
      /unknown adapter kind "fax-machine"/,
    ],
    [
      'pull portal whose adapter cannot fetch updates',
      editYaml('portals.yaml', (d) => {
        d.portals[2].mode = 'pull';
        delete d.portals[2].webhookSecret;
      }),
      'portals.yaml',
      'portals[2].mode',
      /MH-AAPLESARKAR \(kind state-portal-rest\) cannot be polled: its adapter has no fetchUpdates/,
    ],
    [
      'portal without lookup that does not say lookup: none',
      editYaml('portals.yaml', (d) => delete d.portals[2].options.lookupPath),
      'portals.yaml',
      'portals[2].lookup',
      /has no lookup: declare lookup: none/,
    ],
    [
      'lookup: none on a portal that has a lookup',
      editYaml('portals.yaml', (d) => (d.portals[0].lookup = 'none')),
      'portals.yaml',
      'portals[0].lookup',
      /CPGRAMS \(kind cpgrams\) has a lookup: remove lookup: none/,
    ],
    [
      'lookup other than none',
      editYaml('portals.yaml', (d) => (d.portals[2].lookup = 'never')),
      'portals.yaml',
      'portals[2].lookup',
      /Expected none/,
    ],
    [
      'the retired state-portal-rest push option',
      editYaml('portals.yaml', (d) => (d.portals[2].options.push = true)),
      'portals.yaml',
      'portals[2].options.push',
      /no longer an option: a pushing portal says mode: push/,
    ],
    [
      'duplicate category code',
      editYaml('categories.yaml', (d) => (d.categories[1].code = d.categories[0].code)),
      'categories.yaml',
      'categories[1].code',
      /Duplicate category code "MUNICIPAL_SERVICES"/,
    ],
    [
      'duplicate portal code',
      editYaml('portals.yaml', (d) => (d.portals[2].code = 'UP-IGRS')),
      'portals.yaml',
      'portals[2].code',
      /Duplicate portal code/,
    ],
    [
      'bad state code',
      editYaml('jurisdictions.yaml', (d) => (d.states[0].code = '1')),
      'jurisdictions.yaml',
      'states[0].code',
      /two-digit/,
    ],
    [
      'unquoted state code',
      editText('routing.yaml', 'stateCode: "09", portal', 'stateCode: 09, portal'),
      'routing.yaml',
      'rules[0].stateCode',
      /quoted string/,
    ],
    [
      'rule for a merged-away state',
      editYaml('routing.yaml', (d) => (d.rules[0].stateCode = '25')),
      'routing.yaml',
      'rules[0].stateCode',
      /Unknown state code "25"/,
    ],
    [
      'rule district outside its state',
      editYaml('routing.yaml', (d) => (d.rules[0].districts = ['999'])),
      'routing.yaml',
      'rules[0].districts[0]',
      /does not belong to state "09"/,
    ],
    [
      'rule portal of another state',
      editYaml('routing.yaml', (d) => (d.rules[1].portal = 'UP-IGRS')),
      'routing.yaml',
      'rules[1].portal',
      /serves state "09", not state "27"/,
    ],
    [
      'rule restricted to a central category',
      editYaml('routing.yaml', (d) => (d.rules[0].categories = ['RAILWAYS'])),
      'routing.yaml',
      'rules[0].categories[0]',
      /central/,
    ],
    [
      'unreachable rule',
      editYaml('routing.yaml', (d) =>
        d.rules.push({ name: 'lucknow', stateCode: '09', districts: ['162'], portal: 'UP-IGRS' }),
      ),
      'routing.yaml',
      'rules[2]',
      /can never match/,
    ],
    [
      'central portal not central',
      editYaml('routing.yaml', (d) => (d.centralPortal = 'UP-IGRS')),
      'routing.yaml',
      'centralPortal',
      /not a central portal/,
    ],
    [
      'district of an unknown state',
      editYaml('jurisdictions.yaml', (d) => (d.districts[0].stateCode = '99')),
      'jurisdictions.yaml',
      'districts[0].stateCode',
      /Unknown state code "99"/,
    ],
    [
      'central category without ministry',
      editYaml(
        'categories.yaml',
        (d) => delete d.categories.find((c: { code: string }) => c.code === 'RAILWAYS').ministry,
      ),
      'categories.yaml',
      'categories[12].ministry',
      /needs a ministry/,
    ],
    [
      'unknown ministry',
      editYaml('categories.yaml', (d) => (d.categories[12].ministry = 'NOPE')),
      'categories.yaml',
      'categories[12].ministry',
      /Unknown ministry "NOPE"/,
    ],
    [
      'push portal without webhook secret',
      editYaml('portals.yaml', (d) => delete d.portals[1].webhookSecret),
      'portals.yaml',
      'portals[1].webhookSecret',
      /needs a webhookSecret/,
    ],
    [
      'previous webhook secret not named by a variable',
      editYaml('portals.yaml', (d) => (d.portals[1].webhookSecret.previousEnv = 'old-secret')),
      'portals.yaml',
      'portals[1].webhookSecret.previousEnv',
      /environment variable name/,
    ],
    [
      'SLA policy for an unknown portal',
      editYaml('sla.yaml', (d) => (d.policies[0].portal = 'NOPE')),
      'sla.yaml',
      'policies[0].portal',
      /Unknown portal/,
    ],
    [
      'SLA warning at 100 %',
      editYaml('sla.yaml', (d) => (d.defaults.warningAtPct = 100)),
      'sla.yaml',
      'defaults.warningAtPct',
      /99/,
    ],
    [
      'governance index weights that do not add up to 1',
      editYaml('sla.yaml', (d) => (d.governanceIndex = { weights: { satisfaction: 0.5 } })),
      'sla.yaml',
      'governanceIndex.weights',
      /add up to 1 \(they add up to 1\.3\)/,
    ],
    [
      'governance index weight above 1',
      editYaml('sla.yaml', (d) => (d.governanceIndex = { weights: { transferRate: 2 } })),
      'sla.yaml',
      'governanceIndex.weights.transferRate',
      /from 0 to 1/,
    ],
    [
      'governance index: unknown indicator',
      editYaml('sla.yaml', (d) => (d.governanceIndex = { weights: { literacy: 0.1 } })),
      'sla.yaml',
      'governanceIndex.weights.literacy',
      /unknown field/i,
    ],
    [
      'public page minimum count of 0',
      editYaml('sla.yaml', (d) => (d.publicFigures = { minCount: 0 })),
      'sla.yaml',
      'publicFigures.minCount',
      /expected number to be >0/i,
    ],
    [
      'variable without a default',
      editText('portals.yaml', '${UP_IGRS_BASE_URL:-http://127.0.0.1:4102}', '${UP_IGRS_BASE_URL}'),
      'portals.yaml',
      'portals[1].baseUrl',
      /UP_IGRS_BASE_URL is not set/,
    ],
    [
      'YAML syntax error',
      editText('sla.yaml', 'defaults:', 'defaults: [oops'),
      'sla.yaml',
      '',
      /YAML/,
    ],
    [
      'missing file',
      (dir: string) => unlinkSync(join(dir, 'routing.yaml')),
      'routing.yaml',
      '',
      /ENOENT/,
    ],
  ])('%s', (_name, change, file, path, message) => {
    const error = brokenBy(change);
    const issue = error.issues.find((i) => i.file.endsWith(`/${file}`) && i.path === path);
    expect(issue).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(error.message).toContain(`${file}: ${path ? `${path}: ` : ''}${issue!.message}`);
  });

  it('reports the issues of every file at once', () => {
    const error = brokenBy(
      (dir) => {
        editYaml('portals.yaml', (d) => (d.portals[0].mode = 'both'))(dir);
        editYaml('sla.yaml', (d) => (d.defaults.dayType = 'lunar'))(dir);
      },
      { PORT: '0' },
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'PORT',
      'portals[0].mode',
      'defaults.dayType',
    ]);
    expect(error.message).toMatch(/^Invalid hub configuration \(3 issues\)/);
  });
});
