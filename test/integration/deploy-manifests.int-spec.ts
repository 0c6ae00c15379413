import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { parseEnv } from '../../src/platform/config/env.schema';
import { repoRoot } from '../../src/platform/paths';

const DIR = join(repoRoot(), 'deploy', 'k8s');

/** Each kind the manifests use, with its model: the Kubernetes (and KEDA) OpenAPI schema, offline. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

// Parsed YAML, read field by field in the asserts below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = any;
type Manifest = { apiVersion: string; kind: string; metadata: { name: string } } & Record<
  string,
  Yaml
>;

/** The contract-migration Job, applied after the rollout (not in the kustomization). */
const AFTER_ROLLOUT = 'after-rollout/migrate-contract-job.yaml';

function manifests(): { file: string; doc: Manifest }[] {
  const kustomization = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'));
  const files = [...(kustomization[0].toJS().resources as string[]), AFTER_ROLLOUT];
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
      expect(d.errors).toEqual([]);
      return { file, doc: d.toJS() as Manifest };
    }),
  );
}

describe('deploy/k8s', () => {
  const all = manifests();
  const find = (kind: string, name: string) =>
    all.find((m) => m.doc.kind === kind && m.doc.metadata.name === name)?.doc;

  it('lists every manifest in its kustomization', () => {
    const listed = new Set(all.map((m) => m.file));
    const present = readdirSync(DIR).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
    );
    expect(present.filter((f) => !listed.has(f))).toEqual([]);
    expect(readdirSync(join(DIR, 'after-rollout'))).toEqual(['migrate-contract-job.yaml']);
  });

  it.each(manifests().map((m) => [`${m.doc.kind} ${m.doc.metadata.name}`, m.doc]))(
    '%s is valid against its schema',
    (_, doc) => {
      const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect(Model).toBeDefined();
      expect(() => new Model(doc as never).validate()).not.toThrow();
    },
  );

  it('catches a wrong field (the schemas are applied, not just loaded)', () => {
    const api = structuredClone(find('Deployment', 'grievance-hub-api')!);
    api.spec.replicas = 'three';
    expect(() => new Deployment(api as never).validate()).toThrow(/replicas/);
  });

  it('probes the health endpoints, runs each role as non-root, and keeps SIGTERM inside the grace period', () => {
    const config = find('ConfigMap', 'grievance-hub')!.data as Record<string, string>;
    const secret = find('Secret', 'grievance-hub')!.stringData as Record<string, string>;
    for (const [name, role] of [
      ['grievance-hub-api', 'api'],
      ['grievance-hub-worker', 'worker'],
    ]) {
      const pod = find('Deployment', name)!.spec.template.spec;
      const [container] = pod.containers;
      expect(container.env).toContainEqual({ name: 'HUB_ROLE', value: role });
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      const env = parseEnv({
        ...config,
        ...secret,
        PII_ENCRYPTION_KEY: undefined,
        PII_LOOKUP_KEY: undefined,
        HUB_ROLE: role,
        NODE_ENV: 'test',
      });
      if (!env.ok) throw new Error(JSON.stringify(env.issues));
      expect(env.env.shutdownTimeoutMs).toBeLessThan(pod.terminationGracePeriodSeconds * 1000);
    }
    // The migration Job runs exactly what `npm run migrate` runs.
    const { scripts } = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
    const job = find('Job', 'grievance-hub-migrate')!.spec.template.spec.containers[0];
    expect(job.command.join(' ')).toBe(scripts.migrate);
    // …and the one after the rollout, `npm run migrate -- --contract`.
    const contract = find('Job', 'grievance-hub-migrate-contract')!.spec.template.spec
      .containers[0];
    expect(contract.command.join(' ')).toBe(`${scripts.migrate} --contract`);
  });

  it('keeps the Dockerfile multi-stage, non-root, health-checked, with node (not npm) as PID 1', () => {
    const dockerfile = readFileSync(join(repoRoot(), 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/health\/live/m);
    expect(dockerfile).toMatch(/^CMD \["node", .*"dist\/src\/main\.js"\]$/m);
  });
});
