/**
 * Reading deploy/: its YAML, the overlay built the way kustomize builds it
 * (only the part of kustomize the overlay uses, refused otherwise), and the
 * questions the tests ask of the result: which pods a selector picks, what
 * environment a container gets.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { projectRoot } from '../support/user-shell.js';

export const deployRoot = path.join(projectRoot, 'deploy');
export const overlayDirectory = path.join(deployRoot, 'overlays', 'production');
export const baseDirectory = path.join(deployRoot, 'base');

export type Labels = Record<string, string>;
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly unknown[];
}
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Labels };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML; the schema tests type them.
  [field: string]: any;
}

/** Every document of a YAML file; a syntax error or an empty document fails. */
export function readManifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((document, index) => {
    if (document.errors.length > 0) throw new Error(`${file}, document ${index + 1}: ${document.errors[0]!.message}`);
    const value = document.toJS() as Manifest | null;
    if (!value || typeof value !== 'object' || !value.kind || !value.metadata?.name)
      throw new Error(`${file}, document ${index + 1}: not a Kubernetes object (kind and metadata.name)`);
    return value;
  });
}

/** What the builder below understands of a kustomization; anything else is refused rather than ignored. */
const understoodFields = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'patches']);
/** Kinds this deployment uses; Namespace is the only one not namespaced. */
export const namespacedKinds = new Set([
  'ConfigMap',
  'Deployment',
  'Service',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
]);

/** The kustomization files read while building, for the tests that check every file is used. */
export const filesRead = new Set<string>();

/**
 * Builds a kustomization as `kubectl kustomize` does, for the features the
 * overlay uses: resources (files and folders), strategic-merge patches that
 * change map fields only (a patch holding a list is refused: lists merge by
 * key in kustomize, which this does not do), image tags and the namespace.
 */
export function build(directory: string): Manifest[] {
  const file = path.join(directory, 'kustomization.yaml');
  filesRead.add(file);
  const [kustomization] = readManifestsLoose(file);
  const unknown = Object.keys(kustomization!).filter((field) => !understoodFields.has(field));
  if (unknown.length > 0) throw new Error(`${file}: ${unknown.join(', ')} is not understood by this builder`);
  const objects: Manifest[] = [];
  for (const resource of (kustomization!.resources ?? []) as string[]) {
    const target = path.resolve(directory, resource);
    if (statSync(target).isDirectory()) objects.push(...build(target));
    else {
      filesRead.add(target);
      objects.push(...readManifests(target));
    }
  }
  for (const patch of (kustomization!.patches ?? []) as Array<{ path?: string }>) {
    if (!patch.path || Object.keys(patch).length !== 1)
      throw new Error(`${file}: only patches given by path alone are understood (${JSON.stringify(patch)})`);
    const patchFile = path.resolve(directory, patch.path);
    filesRead.add(patchFile);
    for (const change of readManifests(patchFile)) {
      const target = objects.find(
        (object) => object.apiVersion === change.apiVersion && object.kind === change.kind && object.metadata.name === change.metadata.name,
      );
      if (!target) throw new Error(`${patchFile}: no ${change.kind} ${change.metadata.name} to patch`);
      mergeMaps(target, change, `${patchFile}: ${change.kind} ${change.metadata.name}`);
    }
  }
  for (const image of (kustomization!.images ?? []) as Array<{ name: string; newName?: string; newTag?: string }>) {
    for (const object of objects) {
      for (const container of podSpec(object)?.containers ?? []) {
        const [name, tag] = splitImage(container.image);
        if (name === image.name) container.image = `${image.newName ?? name}:${image.newTag ?? tag}`;
      }
    }
  }
  if (kustomization!.namespace) {
    for (const object of objects) {
      if (object.kind === 'Namespace') continue;
      if (!namespacedKinds.has(object.kind)) throw new Error(`${object.kind} ${object.metadata.name}: unknown whether it is namespaced`);
      object.metadata.namespace = kustomization!.namespace as string;
    }
  }
  return objects;
}

function readManifestsLoose(file: string): Array<Record<string, unknown>> {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS() as Record<string, unknown>);
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A strategic merge of maps: the patch's scalars replace, its maps merge; lists are refused (see build). */
function mergeMaps(target: Record<string, unknown>, patch: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value)) throw new Error(`${where}: the patch holds a list (${key}); lists merge by key in kustomize`);
    if (isMap(value) && isMap(target[key])) mergeMaps(target[key] as Record<string, unknown>, value, where);
    else target[key] = value;
  }
}

/** `kubectl kustomize` of a folder, or undefined where kubectl is not installed. */
export function kubectlKustomize(directory: string): Manifest[] | undefined {
  const kubectl = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((folder) => path.join(folder, 'kubectl'))
    .find((candidate) => existsSync(candidate));
  if (!kubectl) return undefined;
  const output = execFileSync(kubectl, ['kustomize', directory], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(output).map((document) => document.toJS() as Manifest);
}

// biome-ignore lint/suspicious/noExplicitAny: see Manifest.
export function podSpec(object: Manifest): any {
  return object.kind === 'Deployment' ? object.spec?.template?.spec : undefined;
}

export function podLabels(deployment: Manifest): Labels {
  return deployment.spec.template.metadata.labels as Labels;
}

/** Whether a label selector picks these labels (matchLabels only: the manifests use no expressions, tested). */
export function selects(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions are not evaluated here');
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

export const byKind = (objects: readonly Manifest[], kind: string) => objects.filter((object) => object.kind === kind);
export const named = (objects: readonly Manifest[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

export interface ContainerEnvironment {
  /** Every variable the container gets, with where it comes from. */
  readonly sources: ReadonlyMap<string, string>;
  /** Plain values (env value, ConfigMap keys). */
  readonly values: Readonly<Record<string, string>>;
  /** Secret references: variable to secret name and key, and whether it is optional. */
  readonly secrets: ReadonlyMap<string, { readonly secret: string; readonly key: string; readonly optional: boolean }>;
}

/** The environment one container of the built manifests receives; a reference to a missing ConfigMap fails. */
// biome-ignore lint/suspicious/noExplicitAny: see Manifest.
export function containerEnvironment(objects: readonly Manifest[], container: any): ContainerEnvironment {
  const sources = new Map<string, string>();
  const values: Record<string, string> = {};
  const secrets = new Map<string, { secret: string; key: string; optional: boolean }>();
  for (const from of container.envFrom ?? []) {
    if (!from.configMapRef) throw new Error(`${container.name}: envFrom other than a ConfigMap (its keys could not be checked)`);
    const configMap = named(objects, 'ConfigMap', from.configMapRef.name);
    for (const [key, value] of Object.entries(configMap.data ?? {})) {
      sources.set(key, `ConfigMap ${configMap.metadata.name}`);
      values[key] = String(value);
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      sources.set(variable.name, 'env');
      values[variable.name] = String(variable.value);
    } else if (variable.valueFrom?.secretKeyRef) {
      const reference = variable.valueFrom.secretKeyRef;
      sources.set(variable.name, `Secret ${reference.name}`);
      secrets.set(variable.name, { secret: reference.name, key: reference.key, optional: reference.optional === true });
    } else throw new Error(`${container.name}: ${variable.name} comes from neither a value nor a Secret`);
  }
  return { sources, values, secrets };
}
