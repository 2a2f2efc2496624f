import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { subgraphNames } from '../../platform/config.js';
import { projectRoot } from '../support/user-shell.js';
import {
  baseDirectory,
  build,
  byKind,
  deployRoot,
  filesRead,
  kubectlKustomize,
  type Labels,
  type LabelSelector,
  type Manifest,
  named,
  overlayDirectory,
  podLabels,
  podSpec,
  selects,
} from './manifests.js';

/** The model (schema validation) and the TypeScript type (unknown fields) of each kind used. */
const kinds: Record<string, { readonly model: new (data: never) => { validate(): void }; readonly module: string; readonly type: string }> =
  {
    Namespace: { model: Namespace, module: 'kubernetes-models/v1/Namespace', type: 'INamespace' },
    ConfigMap: { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
    Service: { model: Service, module: 'kubernetes-models/v1/Service', type: 'IService' },
    Deployment: { model: Deployment, module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
    HorizontalPodAutoscaler: {
      model: HorizontalPodAutoscaler,
      module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
      type: 'IHorizontalPodAutoscaler',
    },
    PodDisruptionBudget: {
      model: PodDisruptionBudget,
      module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
      type: 'IPodDisruptionBudget',
    },
    NetworkPolicy: { model: NetworkPolicy, module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', type: 'INetworkPolicy' },
  };

/**
 * Fields the API does not know: the Kubernetes schemas allow any (kubectl's
 * strict validation needs a cluster), so each object is type-checked as an
 * object literal of its kubernetes-models type, where TypeScript refuses an
 * unknown property (a misspelt `periodSecond` would otherwise be dropped
 * silently by the API server).
 */
function unknownFields(objects: readonly Manifest[]): string[] {
  const fileName = path.join(projectRoot, 'test', 'deploy', 'manifests.generated.ts');
  const used = [...new Set(objects.map((object) => object.kind))];
  const lines = [
    ...used.map((kind) => `import type { ${kinds[kind]!.type} } from '${kinds[kind]!.module}';`),
    ...objects.map((object, index) => `export const object${index}: ${kinds[object.kind]!.type} = ${JSON.stringify(object)};`),
  ];
  const text = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === fileName ? ts.createSourceFile(name, text, language) : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === fileName || fileExists.call(host, name);
  host.readFile = (name) => (name === fileName ? text : readFile.call(host, name));
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const line =
      diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : -1;
    const object = objects[line - used.length];
    return `${object ? `${object.kind} ${object.metadata.name}` : 'imports'}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}

const sortObjects = (objects: readonly Manifest[]) =>
  [...objects].sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));

const { version } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };

/** Every process of the system: the gateway and one Deployment per subgraph. */
const workloads = ['gateway', ...subgraphNames.map((name) => `subgraph-${name}`)];

/** The Deployments (by name) whose pods a selector picks. */
const deploymentsSelected = (objects: readonly Manifest[], selector: LabelSelector | undefined) =>
  byKind(objects, 'Deployment')
    .filter((deployment) => selects(selector, podLabels(deployment)))
    .map((deployment) => deployment.metadata.name)
    .sort();

describe('deploy/: the manifests', () => {
  const base = build(baseDirectory);
  const production = build(overlayDirectory);

  it('reads every YAML file under deploy/ while building the base and the overlay (none is left out)', () => {
    const files = readdirSync(deployRoot, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
    expect(files.filter((file) => !/\.ya?ml$/.test(file))).toEqual([]);
    expect(files.filter((file) => !filesRead.has(file)).map((file) => path.relative(projectRoot, file))).toEqual([]);
    expect(new Set(production.map((object) => object.kind))).toEqual(new Set(Object.keys(kinds)));
  });

  it('builds the production overlay as kubectl kustomize does, where kubectl is installed', (context) => {
    const real = kubectlKustomize(overlayDirectory);
    if (!real) return context.skip('kubectl is not installed: the overlay was built by test/deploy/manifests.ts alone');
    expect(sortObjects(production)).toEqual(sortObjects(real));
  });

  it('puts the overlay in its namespace with the release image, and raises the replica bounds', () => {
    const namespace = named(production, 'Namespace', 'vn-data-gateway');
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const object of production) if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('vn-data-gateway');
    for (const deployment of byKind(production, 'Deployment'))
      for (const container of podSpec(deployment).containers)
        expect(container.image, 'the release of package.json').toMatch(
          new RegExp(`(^|/)vn-national-data-gateway:${version.replaceAll('.', '\\.')}$`),
        );
    for (const name of workloads) {
      const [before, after] = [named(base, 'HorizontalPodAutoscaler', name), named(production, 'HorizontalPodAutoscaler', name)];
      expect(after.spec.minReplicas).toBeGreaterThanOrEqual(before.spec.minReplicas);
      expect(after.spec.maxReplicas).toBeGreaterThanOrEqual(before.spec.maxReplicas);
    }
  });

  it('validates every object against the Kubernetes schemas (kubernetes-models)', () => {
    for (const object of [...base, ...production]) {
      const kind = kinds[object.kind];
      expect(kind, `${object.kind} ${object.metadata.name}: a kind this test knows`).toBeDefined();
      expect(() => new kind!.model(structuredClone(object) as never).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
    }
  });

  it('holds no field the Kubernetes API does not know, nor a value of the wrong type', () => {
    expect(unknownFields(production)).toEqual([]);
    // The check catches what it is for.
    const misspelt = structuredClone(named(production, 'Deployment', 'gateway'));
    podSpec(misspelt).containers[0].readinessProbe.periodSecond = 5;
    expect(unknownFields([misspelt]).join('\n')).toMatch(/periodSecond/);
  });

  it('gives the gateway and each subgraph a Deployment, a Service, an autoscaler and a disruption budget, each selecting its pods alone', () => {
    expect(
      byKind(production, 'Deployment')
        .map((deployment) => deployment.metadata.name)
        .sort(),
    ).toEqual([...workloads].sort());
    for (const name of workloads) {
      const deployment = named(production, 'Deployment', name);
      expect(deployment.spec.selector.matchExpressions, name).toBeUndefined();
      expect(deploymentsSelected(production, deployment.spec.selector), `${name}: its own selector`).toEqual([name]);
      const service = named(production, 'Service', name);
      expect(deploymentsSelected(production, { matchLabels: service.spec.selector as Labels }), `Service ${name}`).toEqual([name]);
      const containerPorts = podSpec(deployment).containers.flatMap((container: { ports: Array<{ name: string }> }) =>
        container.ports.map((port) => port.name),
      );
      for (const port of service.spec.ports) expect(containerPorts, `Service ${name} port ${port.name}`).toContain(port.targetPort);
      const autoscaler = named(production, 'HorizontalPodAutoscaler', name);
      expect(autoscaler.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      const budget = named(production, 'PodDisruptionBudget', name);
      expect(deploymentsSelected(production, budget.spec.selector), `PodDisruptionBudget ${name}`).toEqual([name]);
    }
    expect(byKind(production, 'Service')).toHaveLength(workloads.length);
    expect(byKind(production, 'HorizontalPodAutoscaler')).toHaveLength(workloads.length);
    expect(byKind(production, 'PodDisruptionBudget')).toHaveLength(workloads.length);
  });

  it('leaves the replica count to the autoscaler, and never lets a disruption take the last replica', () => {
    for (const name of workloads) {
      const deployment = named(production, 'Deployment', name);
      expect(deployment.spec.replicas, `${name}: replicas set in the Deployment would fight the autoscaler on every apply`).toBeUndefined();
      expect(
        deployment.spec.strategy.rollingUpdate.maxUnavailable,
        `${name}: a rollout keeps every replica until its successor is ready`,
      ).toBe(0);
      const autoscaler = named(production, 'HorizontalPodAutoscaler', name);
      expect(autoscaler.spec.minReplicas, name).toBeGreaterThanOrEqual(2);
      expect(autoscaler.spec.maxReplicas, name).toBeGreaterThan(autoscaler.spec.minReplicas);
      expect(autoscaler.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ]);
      const budget = named(production, 'PodDisruptionBudget', name);
      expect(budget.spec.maxUnavailable, name).toBeLessThan(autoscaler.spec.minReplicas);
    }
  });

  it('runs every container as a non-root user on a read-only root file system, without privileges (Pod Security "restricted")', () => {
    for (const deployment of byKind(production, 'Deployment')) {
      const pod = podSpec(deployment);
      const name = deployment.metadata.name;
      expect(pod.securityContext.runAsNonRoot, name).toBe(true);
      expect(pod.securityContext.runAsUser, name).toBeGreaterThan(0);
      expect(pod.securityContext.seccompProfile, name).toEqual({ type: 'RuntimeDefault' });
      expect(pod.automountServiceAccountToken, `${name}: it never calls the Kubernetes API`).toBe(false);
      expect(pod.hostNetwork ?? false).toBe(false);
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(container.securityContext, `${name}/${container.name}`).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
      // Writable places are emptyDirs with a size limit, and only where the process writes.
      for (const volume of pod.volumes ?? []) {
        expect(Object.keys(volume).sort(), `${name} volume ${volume.name}`).toEqual(['emptyDir', 'name']);
        expect(volume.emptyDir.sizeLimit, `${name} volume ${volume.name}`).toBeDefined();
      }
    }
  });

  it('requests and limits CPU and memory for every container, the limit at least the request', () => {
    const cores = (value: string) => (value.endsWith('m') ? Number(value.slice(0, -1)) / 1000 : Number(value));
    const mebibytes = (value: string) => {
      const match = /^(\d+)(Mi|Gi)$/.exec(value);
      if (!match) throw new Error(`memory ${value}: write it in Mi or Gi`);
      return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
    };
    for (const deployment of byKind(production, 'Deployment')) {
      for (const container of podSpec(deployment).containers) {
        const { requests, limits } = container.resources;
        const where = `${deployment.metadata.name}/${container.name}`;
        expect(cores(limits.cpu), where).toBeGreaterThanOrEqual(cores(requests.cpu));
        expect(mebibytes(limits.memory), where).toBeGreaterThanOrEqual(mebibytes(requests.memory));
        // Memory is not given back by a Node.js heap: a request below the limit invites eviction under pressure.
        expect(mebibytes(limits.memory), where).toBeLessThanOrEqual(mebibytes(requests.memory) * 1.5);
      }
    }
  });
});

describe('deploy/: the network policies', () => {
  const production = build(overlayDirectory);
  const policies = byKind(production, 'NetworkPolicy');
  const subgraphs = subgraphNames.map((name) => `subgraph-${name}`).sort();
  // biome-ignore lint/suspicious/noExplicitAny: see Manifest.
  type Peer = any;
  // biome-ignore lint/suspicious/noExplicitAny: see Manifest.
  type Rule = any;
  /** Our Deployments a peer of a rule stands for; a peer reaching outside them (ipBlock, other namespaces) stands for none of ours. */
  const peerDeployments = (peer: Peer) =>
    peer.ipBlock || peer.namespaceSelector ? [] : deploymentsSelected(production, peer.podSelector ?? { matchLabels: {} });
  const containerPort = (name: string) => podSpec(named(production, 'Deployment', name)).containers[0].ports[0];
  /** Whether a rule's ports admit a pod's port (by number, range or name). */
  const admits = (rule: Rule, port: { containerPort: number; name: string }) =>
    !rule.ports ||
    rule.ports.some(
      (allowed: { port?: number | string; endPort?: number }) =>
        allowed.port === undefined ||
        allowed.port === port.name ||
        (typeof allowed.port === 'number' && port.containerPort >= allowed.port && port.containerPort <= (allowed.endPort ?? allowed.port)),
    );
  const policySelecting = (name: string, type: 'Ingress' | 'Egress') =>
    policies.filter(
      (policy) =>
        policy.spec.policyTypes.includes(type) && selects(policy.spec.podSelector, podLabels(named(production, 'Deployment', name))),
    );

  it('selects the pods each policy says it does', () => {
    const expected: Record<string, string[]> = {
      'default-deny': [...workloads].sort(),
      dns: [...workloads].sort(),
      'gateway-ingress': ['gateway'],
      'gateway-egress': ['gateway'],
      'subgraphs-ingress': subgraphs,
      'subgraphs-egress': subgraphs,
    };
    expect(policies.map((policy) => policy.metadata.name).sort()).toEqual(Object.keys(expected).sort());
    for (const policy of policies)
      expect(deploymentsSelected(production, policy.spec.podSelector), policy.metadata.name).toEqual(expected[policy.metadata.name]);
    expect(named(production, 'NetworkPolicy', 'default-deny').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'vn-national-data-gateway' } },
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  it('lets the gateway, and nothing else, reach each subgraph on the port it listens on', () => {
    for (const subgraph of subgraphs) {
      const port = containerPort(subgraph);
      const rules = policySelecting(subgraph, 'Ingress').flatMap((policy) => policy.spec.ingress ?? []);
      expect(rules.length, subgraph).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule.from, `${subgraph}: a rule without "from" admits everyone`).toBeDefined();
        for (const peer of rule.from)
          expect(peerDeployments(peer), `${subgraph}: ingress from ${JSON.stringify(peer)}`).toEqual(['gateway']);
        expect(admits(rule, port), `${subgraph}: port ${port.containerPort}`).toBe(true);
      }
      const out = policySelecting('gateway', 'Egress')
        .flatMap((policy) => policy.spec.egress ?? [])
        .filter((rule: Rule) => rule.to?.some((peer: Peer) => peerDeployments(peer).includes(subgraph)));
      expect(
        out.some((rule: Rule) => admits(rule, port)),
        `the gateway's egress to ${subgraph}:${port.containerPort}`,
      ).toBe(true);
    }
  });

  it('opens the gateway to its clients on its port, and to nothing else of ours', () => {
    const port = containerPort('gateway');
    const rules = policySelecting('gateway', 'Ingress').flatMap((policy) => policy.spec.ingress ?? []);
    expect(rules.some((rule: Rule) => rule.from === undefined && admits(rule, port))).toBe(true);
    for (const rule of rules) expect(rule.ports?.map((allowed: { port: number }) => allowed.port)).toEqual([port.containerPort]);
  });

  it('lets the gateway and the agency subgraphs reach Redis (where their REDIS_URL points) and PostgreSQL, and the subgraphs nothing more', () => {
    const egress = (name: string) => policySelecting(name, 'Egress').flatMap((policy) => policy.spec.egress ?? []);
    const redisNodes = (configMap: string) => {
      const config = named(production, 'ConfigMap', configMap).data as Record<string, string>;
      return config.REDIS_URL!.split(',').map((url) => new URL(url));
    };
    const reachesRedis = (name: string, node: URL) =>
      egress(name).some(
        (rule: Rule) =>
          admits(rule, { containerPort: Number(node.port || 6379), name: '' }) &&
          (!rule.to ||
            rule.to.some(
              (peer: Peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === node.hostname.split('.')[2],
            )),
      );
    expect(redisNodes('gateway-config').length, 'a Redis Cluster: several nodes').toBeGreaterThan(1);
    for (const node of redisNodes('gateway-config')) expect(reachesRedis('gateway', node), `gateway -> Redis ${node.host}`).toBe(true);
    // A refresh of the counts marks the gateways' cached answers stale (gateway/cache/announce.ts).
    const agencySubgraphs = subgraphs.filter((subgraph) => subgraph !== 'subgraph-indicators');
    for (const subgraph of agencySubgraphs)
      for (const node of redisNodes('agency-subgraph-config'))
        expect(reachesRedis(subgraph, node), `${subgraph} -> Redis ${node.host}`).toBe(true);
    // Their sources and their store (the gateway: its audit database).
    const postgres = { containerPort: 5432, name: '' };
    for (const name of workloads.filter((workload) => workload !== 'subgraph-indicators'))
      expect(
        egress(name).some((rule: Rule) => !rule.to && admits(rule, postgres)),
        `${name} -> PostgreSQL`,
      ).toBe(true);
    // A subgraph holds personal data: besides DNS it may reach PostgreSQL and the redis namespace's port 6379, nothing else.
    for (const subgraph of subgraphs)
      for (const rule of egress(subgraph)) {
        const where = `${subgraph}: ${JSON.stringify(rule)}`;
        const dns = rule.to?.every((peer: Peer) => peer.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns');
        const ports = rule.ports.map((allowed: { port: number; endPort?: number }) => [allowed.port, allowed.endPort]);
        if (dns) continue;
        if (!rule.to) expect(ports, where).toEqual([[5432, undefined]]);
        else {
          expect(rule.to, where).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'redis' } } }]);
          expect(ports, where).toEqual([[6379, undefined]]);
        }
      }
  });
});
