import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../../src/platform/paths';

// The module map (docs/architecture.md#modules) checked where CI looks: `.ci/run` runs `npm test`,
// not `npm run lint`. Two checks: ESLint with only the rules of eslint.architecture.mjs (no file
// reaches itself through its imports; platform/ imports no feature), and the graph between
// src/'s top-level folders, which must have no cycle either (a cycle of modules can hide in files
// that do not form one: complaints.service -> staff/masking, staff.service -> complaints/...).

const ROOT = repoRoot();
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
}

/** ESLint with the architecture rules only, on `dir`/src; a list of `file:line rule message`. */
function architectureLint(dir: string, config: string): string[] {
  const run = spawnSync(
    process.execPath,
    [
      ESLINT,
      '--no-config-lookup',
      '--config',
      config,
      '--no-inline-config',
      '--report-unused-disable-directives-severity',
      'off',
      '--ignore-pattern',
      'src/generated/**',
      '--format',
      'json',
      'src',
    ],
    { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed: ${run.stderr}`);
  const results = JSON.parse(run.stdout) as { filePath: string; messages: LintMessage[] }[];
  return results.flatMap((r) =>
    r.messages.map((m) => `${relative(dir, r.filePath)}:${m.line} ${m.ruleId} ${m.message}`),
  );
}

/** Edges between src/'s top-level folders (a file at src/ itself, like app.module.ts, is none). */
function folderGraph(src: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const folderOf = (file: string) => {
    const parts = relative(src, file).split('/');
    return parts.length > 1 ? parts[0] : null;
  };
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? e.name === 'generated'
          ? []
          : walk(join(dir, e.name))
        : e.name.endsWith('.ts')
          ? [join(dir, e.name)]
          : [],
    );
  for (const file of walk(src)) {
    const from = folderOf(file);
    if (!from) continue;
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), spec);
      const to = target.startsWith(src + '/') ? folderOf(target) : null;
      if (!to || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Every cycle's folders, e.g. `complaints -> staff -> complaints` (one per strongly connected set). */
function folderCycles(graph: Map<string, Set<string>>): string[] {
  const cycles: string[] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) {
      cycles.push([...path.slice(at), node].join(' -> '));
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) visit(node, []);
  return cycles;
}

/** A throwaway tree with an ESLint config that is exactly the hub's architecture rules. */
function fixture(files: Record<string, string>): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hub-architecture-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const config = join(dir, 'eslint.config.mjs');
  writeFileSync(config, `export { default } from '${join(ROOT, 'eslint.architecture.mjs')}';\n`);
  return { dir, config };
}

describe('the module map holds (docs/architecture.md#modules)', () => {
  it('src has no import cycle and platform/ imports no feature (eslint.architecture.mjs)', () => {
    expect(architectureLint(ROOT, join(ROOT, 'eslint.architecture.mjs'))).toEqual([]);
  });

  it('the platform rule knows every feature folder of src/ (eslint.architecture.mjs FEATURES)', () => {
    const text = readFileSync(join(ROOT, 'eslint.architecture.mjs'), 'utf8');
    const list = /export const FEATURES = \[([^\]]*)\]/.exec(text)?.[1] ?? '';
    const features = [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && !['platform', 'generated'].includes(e.name))
      // A folder git left empty after a move is no feature.
      .filter((e) => readdirSync(join(ROOT, 'src', e.name)).length > 0)
      .map((e) => e.name);
    expect(features.sort()).toEqual(folders.sort());
  });

  it("src's top-level folders import one another without a cycle", () => {
    const graph = folderGraph(join(ROOT, 'src'));
    expect(graph.get('staff')).toContain('complaints'); // the graph is read at all
    expect(folderCycles(graph)).toEqual([]);
  });

  describe('the checks catch what they are for', () => {
    const files = {
      'src/auth/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/auth/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      'src/platform/health/probe.ts':
        "import { c } from '../../complaints/c';\nexport const probe = c;\n",
      'src/complaints/c.ts': "import { s } from '../staff/s';\nexport const c = s;\n",
      'src/staff/s.ts': "import type { C } from '../complaints/t';\nexport const s = 1 as C;\n",
      'src/complaints/t.ts': 'export type C = number;\n',
    };
    let tree: { dir: string; config: string };
    beforeAll(() => {
      tree = fixture(files);
    });
    afterAll(() => rmSync(tree.dir, { recursive: true, force: true }));

    it('a file cycle and a platform import of a feature fail the lint', () => {
      const problems = architectureLint(tree.dir, tree.config);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^src\/auth\/a\.ts:1 import-x\/no-cycle /),
          expect.stringMatching(/^src\/auth\/b\.ts:1 import-x\/no-cycle /),
          expect.stringMatching(
            /^src\/platform\/health\/probe\.ts:1 no-restricted-imports .*platform\/ knows no feature/,
          ),
        ]),
      );
    });

    it('a cycle between folders through files that form none is found', () => {
      expect(folderCycles(folderGraph(join(tree.dir, 'src')))).toEqual([
        'complaints -> staff -> complaints',
      ]);
    });
  });
});
