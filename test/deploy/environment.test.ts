import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { readCacheConfig, readGatewayConfig, subgraphUrlVariable } from '../../gateway/config.js';
import { createProbes } from '../../gateway/probes.js';
import { createProbeRoutes } from '../../gateway/routes/probes.js';
import {
  databaseUrlVariables,
  readDatabaseConfig,
  readSubgraphSettings,
  type SubgraphName,
  subgraphNames,
  subgraphPortVariable,
} from '../../platform/config.js';
import type { Database } from '../../platform/database/database.js';
import { openAgencyDatabases } from '../../platform/database/open-databases.js';
import type { RunningServer } from '../../platform/listen.js';
import { migrateStore } from '../../subgraphs/agencies.js';
import { subgraphOf } from '../../subgraphs/index.js';
import { startSubgraph, subgraphPath } from '../../subgraphs/runtime/server.js';
import { createTestDatabase } from '../support/postgres.js';
import { projectRoot } from '../support/user-shell.js';
import { build, byKind, containerEnvironment, named, overlayDirectory, podLabels, podSpec, selects } from './manifests.js';

const variableName = /^[A-Z][A-Z0-9_]*$/;
const source = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

/** The names a configuration reader looks at, found by running it on an environment that records every name read. */
function namesRead(readers: ReadonlyArray<(env: NodeJS.ProcessEnv) => unknown>): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy({} as NodeJS.ProcessEnv, {
    get(target, name) {
      if (typeof name === 'string' && variableName.test(name)) read.add(name);
      return Reflect.get(target, name);
    },
  });
  for (const reader of readers) reader(recording);
  return read;
}

/** `process.env.X` (and `env.X`, `env['X']`) read anywhere in these files or folders, assignments aside. */
function namesReadInSource(...entries: string[]): Set<string> {
  const files = entries.flatMap((entry) =>
    /\.(ts|mjs)$/.test(entry)
      ? [entry]
      : readdirSync(path.join(projectRoot, entry), { recursive: true, withFileTypes: true })
          .filter((file) => file.isFile() && /\.(ts|mjs)$/.test(file.name) && !file.name.startsWith('.'))
          .map((file) => path.relative(projectRoot, path.join(file.parentPath, file.name))),
  );
  const read = new Set<string>();
  for (const file of files)
    for (const match of source(file).matchAll(
      /\b(?:process\.env|env)(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])(?![A-Z0-9_]|\s*=[^=])/g,
    ))
      read.add((match[1] ?? match[2])!);
  return read;
}

/** The keys of the zod schema a command parses for itself (npm start's, npm run subgraph's). */
function commandSchemaKeys(file: string): Set<string> {
  const text = source(file);
  return new Set([...text.matchAll(/^\s+([A-Z][A-Z0-9_]*): /gm)].map((match) => match[1]!));
}

/**
 * What each process of the deployment reads. The gateway is `npm start`
 * (scripts/start.ts): the gateway's, the databases' and the subgraphs'
 * readers, its own schema (the local subgraphs' ports, the demo size). A
 * subgraph is `npm run subgraph -- NAME` (scripts/subgraph.ts): its own port,
 * HOST and the signing secret, the subgraph settings, and the database
 * configuration when it has an agency. Both: NODE_ENV (scripts/launch.mjs
 * runs the build with it) and what the code reads from process.env directly.
 */
const startReaders = { readDatabaseConfig, readGatewayConfig, readCacheConfig, readSubgraphSettings };
const everyProcess = () => namesReadInSource('scripts/launch.mjs', 'scripts/cli.ts', 'platform', 'subgraphs');
const gatewayReads = () =>
  new Set([
    ...namesRead(Object.values(startReaders)),
    ...commandSchemaKeys('scripts/start.ts'),
    ...subgraphNames.map(subgraphPortVariable),
    ...everyProcess(),
    ...namesReadInSource('scripts/start.ts', 'scripts/system.ts', 'scripts/start', 'gateway'),
  ]);
// An agency subgraph also tells the gateways' caches of a refresh that changed a count (announceDataChange reads readCacheConfig).
const subgraphReads = (name: SubgraphName) =>
  new Set([
    ...namesRead(subgraphOf(name).definition.agency ? [readDatabaseConfig, readSubgraphSettings, readCacheConfig] : [readSubgraphSettings]),
    ...commandSchemaKeys('scripts/subgraph.ts'),
    subgraphPortVariable(name),
    ...everyProcess(),
    ...namesReadInSource('scripts/subgraph.ts'),
  ]);

/** Stand-ins for the Secrets' values, of the form each variable takes (the manifests only reference Secrets). */
const secretStandIns: Record<string, string> = {
  GATEWAY_SIGNING_SECRET: 'a-stand-in-for-the-signing-secret-of-40-chars',
  DISCLOSURE_SECRET: 'a-stand-in-for-the-disclosure-secret-of-40-chars',
  AUDIT_DATABASE_URL: 'postgres://gateway@audit.db.example:5432/gateway',
  STORE_DATABASE_URL: 'postgres://store@store.db.example:5432/store',
  ...Object.fromEntries(
    Object.entries(databaseUrlVariables).map(([agency, variable]) => [variable, `postgres://reader@${agency}.db.example:5432/${agency}`]),
  ),
};
/** The three ways of verifying tokens the optional token Secret can hold, each complete. */
const tokenVariants: Record<string, Record<string, string>> = {
  jwks: { AUTH_JWKS_URL: 'https://id.example/.well-known/jwks.json' },
  'public-key': { AUTH_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nstand-in\n-----END PUBLIC KEY-----', AUTH_JWT_ALGORITHM: 'ES256' },
  secret: { AUTH_JWT_SECRET: 'a-stand-in-hmac-key-of-at-least-32-characters' },
};
const tokenClaims = { AUTH_JWT_ISSUER: 'https://id.example', AUTH_JWT_AUDIENCE: 'vn-gateway' };

// biome-ignore lint/suspicious/noExplicitAny: see Manifest.
type Container = any;

describe('deploy/: what the processes are given', () => {
  const production = build(overlayDirectory);
  const deployment = (name: string) => named(production, 'Deployment', name);
  const container = (name: string): Container => podSpec(deployment(name)).containers[0];
  const environment = (name: string) => containerEnvironment(production, container(name));
  /** A container's environment with the required Secrets filled by stand-ins (optional ones left unset). */
  const withSecrets = (name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const { values, secrets } = environment(name);
    const filled: Record<string, string> = { ...values };
    for (const [variable, reference] of secrets) if (!reference.optional) filled[variable] = secretStandIns[variable]!;
    return { ...filled, ...extra };
  };
  const port = (name: string) => container(name).ports.find((port: { name: string }) => port.name === 'http').containerPort as number;
  const gracePeriod = (name: string) =>
    podSpec(deployment(name)).terminationGracePeriodSeconds - container(name).lifecycle.preStop.sleep.seconds;
  const subgraphs = subgraphNames.map((name) => ({ name, workload: `subgraph-${name}` }));

  it('finds what it compares: the recorded readers and the commands', () => {
    expect(source('scripts/start.ts')).toMatch(/readDatabaseConfig\(\)[\s\S]*readGatewayConfig\(\)[\s\S]*readSubgraphSettings\(\)/);
    expect(source('scripts/subgraph.ts')).toMatch(
      /readSubgraphSettings\(process\.env, \{ publishesCounts: Boolean\(agency\) \}\)[\s\S]*readDatabaseConfig\(\)/,
    );
    expect(source('scripts/subgraph.ts')).not.toMatch(/readGatewayConfig|readSecurityConfig/);
    for (const name of ['PORT', 'HOST', 'DRAIN_TIMEOUT_MS', 'REDIS_URL', 'DEPLOYMENT', 'DATA_DIR', 'NODE_ENV', 'SUBGRAPH_HEALTH_URL'])
      expect(gatewayReads()).toContain(name);
    for (const name of ['HOST', 'GATEWAY_SIGNING_SECRET', 'SUBGRAPH_HEALTH_PORT', 'HEALTH_DATABASE_URL', 'NODE_ENV'])
      expect(subgraphReads('health')).toContain(name);
    expect(subgraphReads('indicators')).not.toContain('DATABASE_POOL_SIZE');
    for (const name of ['STORE_DATABASE_URL', 'SOURCE_SCHEMA', 'REFRESH_INTERVAL']) expect(subgraphReads('health')).toContain(name);
    // A refresh that changed a count is announced to the gateways' caches, through Redis.
    expect(source('scripts/subgraph.ts')).toMatch(/onChanged: \(\) => announceDataChange\(\[agency\]\)/);
    expect(source('gateway/cache/announce.ts')).toMatch(/readCacheConfig\(env\)/);
    expect(subgraphReads('health')).toContain('REDIS_URL');
    expect(subgraphReads('indicators')).not.toContain('REDIS_URL');
    // A subgraph reads DEPLOYMENT: in production it needs DISCLOSURE_SECRET.
    expect(subgraphReads('health')).toContain('DEPLOYMENT');
  });

  it('sets no variable the process it is given to does not read (env, ConfigMap keys, Secret keys)', () => {
    const unread = (name: string, reads: Set<string>) =>
      [...environment(name).sources]
        .filter(([variable]) => !reads.has(variable))
        .map(([variable, from]) => `${name}: ${variable} (${from})`);
    expect(unread('gateway', gatewayReads())).toEqual([]);
    for (const { name, workload } of subgraphs) expect(unread(workload, subgraphReads(name))).toEqual([]);
    // The same check on a variable the subgraphs do not read.
    const wrong = structuredClone(production);
    named(wrong, 'ConfigMap', 'subgraph-config').data.CORS_ORIGINS = 'https://dashboard.example';
    const subgraph = podSpec(named(wrong, 'Deployment', 'subgraph-health')).containers[0];
    expect([...containerEnvironment(wrong, subgraph).sources.keys()].filter((variable) => !subgraphReads('health').has(variable))).toEqual([
      'CORS_ORIGINS',
    ]);
  });

  it("turns off Kubernetes' service links, whose variables would collide with the configuration", () => {
    // For a Service subgraph-population, Kubernetes would give every pod of the namespace
    // SUBGRAPH_POPULATION_PORT=tcp://10.0.0.1:4001, which npm start reads as a port number and stops on.
    const linkVariables = byKind(production, 'Service').flatMap((service) => {
      const prefix = service.metadata.name.toUpperCase().replaceAll('-', '_');
      return [
        `${prefix}_SERVICE_HOST`,
        `${prefix}_SERVICE_PORT`,
        `${prefix}_PORT`,
        ...service.spec.ports.flatMap((entry: { port: number; name: string }) => [
          `${prefix}_SERVICE_PORT_${entry.name.toUpperCase()}`,
          `${prefix}_PORT_${entry.port}_TCP`,
          `${prefix}_PORT_${entry.port}_TCP_PORT`,
          `${prefix}_PORT_${entry.port}_TCP_ADDR`,
          `${prefix}_PORT_${entry.port}_TCP_PROTO`,
        ]),
      ];
    });
    expect(linkVariables.filter((variable) => gatewayReads().has(variable))).toContain('SUBGRAPH_POPULATION_PORT');
    for (const workload of byKind(production, 'Deployment'))
      expect(podSpec(workload).enableServiceLinks, workload.metadata.name).toBe(false);
  });

  it('names each Secret key after the variable it fills, and ships no Secret', () => {
    expect(byKind(production, 'Secret')).toEqual([]);
    for (const name of ['gateway', ...subgraphs.map((subgraph) => subgraph.workload)])
      for (const [variable, reference] of environment(name).secrets) expect(reference.key, `${name}: ${variable}`).toBe(variable);
  });

  it('gives the gateway a production configuration the gateway accepts, with each way of verifying tokens', () => {
    const env = withSecrets('gateway');
    expect(env.NODE_ENV, 'scripts/launch.mjs runs the build').toBe('production');
    const config = readGatewayConfig(env);
    expect(config.security.deployment).toBe('production');
    expect(config.security.jwt, 'no token Secret: API keys and anonymous callers only').toBeUndefined();
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(port('gateway'));
    expect(config.redisUrl?.split(',').length, 'a Redis Cluster').toBeGreaterThan(1);
    expect(config.cacheEnabled).toBe(true);
    expect(config.security.auditDatabaseUrl).toBe(secretStandIns.AUDIT_DATABASE_URL);
    // npm start reads the subgraph settings too; with every agency subgraph elsewhere it publishes no count and needs no disclosure secret.
    expect(() => readSubgraphSettings(env)).not.toThrow();
    expect(environment('gateway').secrets.has('DISCLOSURE_SECRET')).toBe(false);
    const optional = [...environment('gateway').secrets].filter(([, reference]) => reference.optional).map(([variable]) => variable);
    for (const [kind, variables] of Object.entries(tokenVariants)) {
      for (const variable of Object.keys({ ...variables, ...tokenClaims })) expect(optional).toContain(variable);
      expect(readGatewayConfig({ ...env, ...variables, ...tokenClaims }).security.jwt?.kind).toBe(kind);
    }
  });

  it("points the gateway at every subgraph's Service, on the port its pods listen on, at the path they serve", () => {
    const config = readGatewayConfig(withSecrets('gateway'));
    expect(Object.keys(config.subgraphUrls).sort()).toEqual([...subgraphNames].sort());
    for (const { name, workload } of subgraphs) {
      const url = new URL(config.subgraphUrls[name]!);
      const service = named(production, 'Service', url.hostname);
      expect(
        selects({ matchLabels: service.spec.selector }, podLabels(deployment(workload))),
        `${subgraphUrlVariable(name)}: its Service`,
      ).toBe(true);
      const servicePort = service.spec.ports.find((entry: { port: number }) => entry.port === Number(url.port));
      expect(servicePort, `${subgraphUrlVariable(name)}: a port of Service ${service.metadata.name}`).toBeDefined();
      expect(container(workload).ports.find((entry: { name: string }) => entry.name === servicePort.targetPort).containerPort).toBe(
        port(workload),
      );
      expect(url.pathname).toBe(subgraphPath);
    }
  });

  it('gives the gateway no agency database, and its embedded one a writable emptyDir', () => {
    const database = readDatabaseConfig(withSecrets('gateway'));
    expect(database.urls, 'the gateway holds no credentials to personal data').toEqual({});
    const pod = podSpec(deployment('gateway'));
    const mount = container('gateway').volumeMounts.find((entry: { mountPath: string }) => entry.mountPath === database.dataDir);
    expect(mount, `DATA_DIR (${database.dataDir}) is mounted`).toBeDefined();
    expect(pod.volumes.find((volume: { name: string }) => volume.name === mount.name).emptyDir).toBeDefined();
  });

  it('runs each subgraph with its name, port, database and the secret the gateway signs with', () => {
    const gatewaySecret = environment('gateway').secrets.get('GATEWAY_SIGNING_SECRET');
    for (const { name, workload } of subgraphs) {
      expect(container(workload).args).toEqual(['scripts/launch.mjs', 'subgraph', name]);
      const env = withSecrets(workload);
      expect(env[subgraphPortVariable(name)]).toBe(String(port(workload)));
      expect(port(workload), `${workload}: the port the supergraph and npm start use`).toBe(subgraphOf(name).defaultPort);
      expect(env.HOST).toBe('0.0.0.0');
      expect(env.NODE_ENV).toBe('production');
      expect(environment(workload).secrets.get('GATEWAY_SIGNING_SECRET')).toEqual(gatewaySecret);
      const agency = subgraphOf(name).definition.agency;
      // Only the agency subgraphs publish counts of people, and need the secret their noise is keyed with.
      const settings = (variables: NodeJS.ProcessEnv) => readSubgraphSettings(variables, { publishesCounts: Boolean(agency) });
      if (agency) {
        expect(settings(env).disclosureSecret, `${workload}: the Secret's disclosure secret`).toBe(secretStandIns.DISCLOSURE_SECRET);
        expect(() => settings({ ...env, DISCLOSURE_SECRET: '' }), `${workload} without it`).toThrow(/DISCLOSURE_SECRET/);
      } else {
        expect(env.DISCLOSURE_SECRET, `${workload} publishes no count: no disclosure secret`).toBeUndefined();
        expect(() => settings(env)).not.toThrow();
      }
      if (agency) {
        const database = readDatabaseConfig(env);
        expect(Object.keys(database.urls), `${workload}: its agency's database alone`).toEqual([agency]);
        // The store from a Secret, the same one for the four: one database the project owns, a schema each.
        expect(environment(workload).secrets.get('STORE_DATABASE_URL'), `${workload}: STORE_DATABASE_URL`).toEqual({
          secret: 'store-database',
          key: 'STORE_DATABASE_URL',
          optional: false,
        });
        expect(database.storeUrl, `${workload}: no embedded store on the pod`).toBe(secretStandIns.STORE_DATABASE_URL);
        expect(database.sourceSchema).toBe('gateway_source');
        const maxReplicas = named(production, 'HorizontalPodAutoscaler', workload).spec.maxReplicas;
        expect(
          database.poolSize * maxReplicas,
          `${workload}: connections to its agency's database at most (docs/deployment.md)`,
        ).toBeLessThanOrEqual(100);
      } else {
        expect(Object.values(databaseUrlVariables).filter((variable) => env[variable] !== undefined)).toEqual([]);
        expect(env.STORE_DATABASE_URL, `${workload} has no database`).toBeUndefined();
      }
    }
    expect(environment('gateway').sources.has('STORE_DATABASE_URL'), 'the gateway, its subgraphs elsewhere, opens no store').toBe(false);
  });

  it('keeps the store within its connections, and the refreshes telling the caches the gateways read', () => {
    // Each agency subgraph replica opens a pool of DATABASE_POOL_SIZE to the store, beside the one to its source.
    const agencySubgraphs = subgraphs.filter(({ name }) => subgraphOf(name).definition.agency);
    expect(agencySubgraphs).toHaveLength(4);
    const storeConnections = agencySubgraphs
      .map(
        ({ workload }) =>
          readDatabaseConfig(withSecrets(workload)).poolSize * named(production, 'HorizontalPodAutoscaler', workload).spec.maxReplicas,
      )
      .reduce((sum, connections) => sum + connections, 0);
    expect(source('docs/deployment.md'), 'the figure docs/deployment.md gives').toContain(
      `the store receives at most ${storeConnections} connections`,
    );
    expect(storeConnections).toBeLessThanOrEqual(400);
    const gatewayCache = readCacheConfig(withSecrets('gateway'));
    for (const { workload } of agencySubgraphs) {
      const env = withSecrets(workload);
      expect(readCacheConfig(env), `${workload}: the gateways' Redis and key prefix`).toEqual(gatewayCache);
      expect(readDatabaseConfig(env).refreshIntervalSeconds, `${workload}: REFRESH_INTERVAL`).toBeGreaterThan(0);
    }
  });

  it('lets an agency subgraph start with nothing writable: with every URL set it opens no embedded database, migrates the store, writes nothing to DATA_DIR', async () => {
    const store = await createTestDatabase('deploy_store');
    const dataDir = path.join(tmpdir(), `deploy-data-dir-${process.pid}-${Date.now()}`);
    try {
      for (const { name, workload } of subgraphs) {
        const agency = subgraphOf(name).definition.agency;
        if (!agency) continue;
        expect(podSpec(deployment(workload)).volumes ?? [], `${workload}: no volume`).toEqual([]);
        // As the pod is configured, the Secrets' stand-ins replaced by the shared test dataset read as the
        // SELECT-only role, and a store of its own; DATA_DIR somewhere a write would show.
        const env = withSecrets(workload, {
          [databaseUrlVariables[agency]]: inject('sharedReaderUrl'),
          STORE_DATABASE_URL: store.url,
          DATA_DIR: dataDir,
        });
        const config = readDatabaseConfig(env);
        // What scripts/subgraph.ts does first (building the counts then only reads the source and writes the store, through these handles).
        const databases = await openAgencyDatabases(config, { agencies: [agency] });
        try {
          await migrateStore(databases.store, [agency]);
          expect(databases.pglite, `${workload}: no embedded database`).toBeUndefined();
        } finally {
          await databases.close();
        }
        expect(existsSync(dataDir), `${workload}: nothing written under DATA_DIR`).toBe(false);
      }
      // One database, a schema per agency.
      const client = new pg.Client({ connectionString: store.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>(
          `SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'store\\_%' ORDER BY nspname`,
        );
        expect(rows.map((row) => row.name)).toEqual(['store_agriculture', 'store_civil_service', 'store_health', 'store_population']);
      } finally {
        await client.end();
      }
    } finally {
      await store.drop();
    }
  });

  it('gives every process more time to stop than it drains for', () => {
    const gateway = readGatewayConfig(withSecrets('gateway'));
    expect(gracePeriod('gateway') * 1_000, 'terminationGracePeriodSeconds - preStop > DRAIN_TIMEOUT_MS + 5 s').toBeGreaterThan(
      gateway.drainTimeoutMs + 5_000,
    );
    // A subgraph's server drains for listen()'s default: npm run subgraph passes none.
    const subgraphDrainMs = Number(/drainTimeoutMs \?\? ([\d_]+)/.exec(source('platform/listen.ts'))![1]!.replaceAll('_', ''));
    expect(source('scripts/subgraph.ts')).not.toMatch(/drainTimeoutMs/);
    expect(subgraphDrainMs).toBeGreaterThan(0);
    for (const { workload } of subgraphs) expect(gracePeriod(workload) * 1_000, workload).toBeGreaterThan(subgraphDrainMs + 5_000);
  });

  it('waits for a subgraph health check longer than its database may take to connect', () => {
    for (const { workload } of subgraphs) {
      const connectTimeoutMs = readDatabaseConfig(withSecrets(workload)).connectTimeoutMs;
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'])
        expect(container(workload)[probe].timeoutSeconds * 1_000, `${workload} ${probe}`).toBeGreaterThan(connectTimeoutMs);
    }
  });

  it('sizes the gateway for the benchmark peak plus the embedded database npm start opens', () => {
    // Measured (Node.js 24.21.0, NODE_ENV=production): `npm start` from the build with every
    // SUBGRAPH_<NAME>_URL set opens an empty embedded database for the four agencies, and
    // migrates it: 1,180 MiB peak resident memory while starting, 572 MiB once ready
    // (against 183 MiB for the gateway alone, docs/benchmarks.md), 342 MiB on disk.
    const startPeakMiB = 1_180;
    const embeddedIdleMiB = 572 - 183;
    const embeddedOnDiskMiB = 342;
    const results = readdirSync(path.join(projectRoot, 'bench/results'))
      .filter((file) => /^gateways-.*\.json$/.test(file))
      .sort();
    const latest = JSON.parse(readFileSync(path.join(projectRoot, 'bench/results', results.at(-1)!), 'utf8')) as {
      summary: Array<{ target: string; peakMemoryMiB: number }>;
    };
    const benchPeakMiB = Math.max(...latest.summary.filter((row) => row.target.startsWith('project')).map((row) => row.peakMemoryMiB));
    expect(benchPeakMiB).toBeGreaterThan(100);
    const limit = container('gateway').resources.limits.memory as string;
    const limitMiB = Number(/^(\d+)Mi$/.exec(limit)![1]);
    expect(limitMiB, `gateway memory limit ${limit}`).toBeGreaterThanOrEqual(1.2 * Math.max(startPeakMiB, benchPeakMiB + embeddedIdleMiB));
    const volume = podSpec(deployment('gateway')).volumes[0].emptyDir.sizeLimit as string;
    expect(Number(/^(\d+)Gi$/.exec(volume)![1]) * 1_024).toBeGreaterThanOrEqual(2 * embeddedOnDiskMiB);
  });

  describe('the probes ask what the servers answer', () => {
    const servers: Array<{ close(): void } | RunningServer> = [];
    afterAll(async () => {
      for (const server of servers) await ('stop' in server ? server.stop() : server.close());
    });
    const probePaths = (workload: string) =>
      ['startupProbe', 'livenessProbe', 'readinessProbe'].map((probe) => {
        const { path: probePath, port: probePort } = container(workload)[probe].httpGet;
        expect(probePort, `${workload} ${probe}`).toBe('http');
        return probePath as string;
      });

    it('the gateway: liveness on /livez, readiness on /readyz, which turns 503 when it drains', async () => {
      const [startup, liveness, readiness] = probePaths('gateway');
      expect([startup, liveness, readiness]).toEqual(['/livez', '/livez', '/readyz']);
      const auditDatabase = { query: async () => [] } as unknown as Database;
      const probes = createProbes({ auditDatabase, intervalMs: 0 });
      const subgraphHealth = { report: async () => ({ healthy: true, subgraphs: {} }) } as never;
      const routes = new Map(createProbeRoutes({ probes, subgraphHealth }));
      const server: Server = createServer((request, response) => {
        const route = routes.get(new URL(request.url!, 'http://probe').pathname);
        if (route) return void route(request, response);
        response.writeHead(404).end();
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const probePath of [startup, liveness, readiness]) expect((await fetch(`${base}${probePath}`)).status, probePath).toBe(200);
      probes.drain();
      expect((await fetch(`${base}${readiness}`)).status).toBe(503);
      expect((await fetch(`${base}${liveness}`)).status).toBe(200);
    });

    it('a subgraph: liveness on /livez, readiness on /readyz, which turns 503 when it drains, answered by the subgraph runtime', async () => {
      for (const { workload } of subgraphs) expect(probePaths(workload), workload).toEqual(['/livez', '/livez', '/readyz']);
      const [startup, liveness, readiness] = probePaths('subgraph-population');
      // The indicators subgraph has no database: its probes answer from the runtime itself.
      const server = await startSubgraph(subgraphOf('indicators').definition, {
        settings: readSubgraphSettings({}),
        port: 0,
        host: '127.0.0.1',
        signingSecret: secretStandIns.GATEWAY_SIGNING_SECRET!,
      });
      servers.push(server);
      for (const probePath of [startup, liveness, readiness])
        expect((await fetch(new URL(probePath!, server.url))).status, probePath).toBe(200);
      expect((await fetch(new URL('/startz', server.url))).status, 'a path the subgraphs do not answer').toBe(404);
    });
  });

  it('lists in docs/deployment.md every Secret and key the manifests reference, and no other', () => {
    const referenced = new Map<string, Set<string>>();
    for (const workload of byKind(production, 'Deployment'))
      for (const [, reference] of containerEnvironment(production, podSpec(workload).containers[0]).secrets)
        referenced.set(reference.secret, (referenced.get(reference.secret) ?? new Set()).add(reference.key));
    // Each `kubectl ... create secret generic NAME \` command with its continued lines.
    const documented = new Map<string, Set<string>>();
    const lines = source('docs/deployment.md').split('\n');
    lines.forEach((line, index) => {
      const name = /\bcreate secret generic ([a-z0-9-]+)/.exec(line)?.[1];
      if (!name) return;
      let command = line;
      for (let next = index; lines[next]!.trimEnd().endsWith('\\'); next++) command += `\n${lines[next + 1]}`;
      const keys = [...command.matchAll(/--from-(?:literal|file)=([A-Z0-9_]+)=/g)].map((match) => match[1]!);
      documented.set(name, new Set([...(documented.get(name) ?? []), ...keys]));
    });
    expect(documented.size, 'docs/deployment.md shows how to create the Secrets').toBeGreaterThan(0);
    expect(documented.get('store-database'), 'the store, for the four agency subgraphs').toEqual(new Set(['STORE_DATABASE_URL']));
    expect(referenced.get('store-database')).toEqual(new Set(['STORE_DATABASE_URL']));
    const sorted = (map: Map<string, Set<string>>) => Object.fromEntries([...map].map(([name, keys]) => [name, [...keys].sort()]).sort());
    expect(sorted(documented)).toEqual(sorted(referenced));
  });
});
