import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/user-shell.js';
import { build, byKind, overlayDirectory, podSpec } from './manifests.js';

interface Instruction {
  readonly keyword: string;
  readonly text: string;
}
interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** The Containerfile's stages and their instructions (comments dropped, continued lines joined). */
function readStages(): Stage[] {
  const text = readFileSync(path.join(projectRoot, 'Containerfile'), 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n').filter((entry) => entry.trim())) {
    const [, keyword, rest] = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line)!;
    if (keyword!.toUpperCase() === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest!.trim())!;
      stages.push({ image: image!, name, instructions: [] });
    } else stages.at(-1)!.instructions.push({ keyword: keyword!.toUpperCase(), text: rest!.trim() });
  }
  return stages;
}

/** .dockerignore as docker and podman read it: paths from the context's root, `*` within a name, `**` across folders. */
function ignoredBy(patterns: readonly string[]) {
  const toExpression = (pattern: string) =>
    pattern
      .replace(/^\/+|\/+$/g, '')
      .split('**')
      .map((part) =>
        part
          .replace(/[.+^${}()|[\]]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]'),
      )
      .join('.*');
  const expressions = patterns.map((pattern) => new RegExp(`^${toExpression(pattern)}(/.*)?$`));
  return (file: string) => expressions.some((expression) => expression.test(file));
}

const arrayOf = (instruction: Instruction | undefined) => JSON.parse(instruction?.text ?? 'null') as string[];
const packageJson = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('Containerfile', () => {
  const stages = readStages();
  const [buildStage, runtime] = [stages.find((stage) => stage.name === 'build')!, stages.at(-1)!];
  const ignorePatterns = readFileSync(path.join(projectRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const ignored = ignoredBy(ignorePatterns);
  const workdir = (stage: Stage) => stage.instructions.filter((instruction) => instruction.keyword === 'WORKDIR').at(-1)?.text;

  it('has a build stage and a runtime stage after it', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
  });

  it('builds as README.md says production is built: npm ci, npm run build, npm prune --omit=dev', () => {
    const commands = buildStage.instructions
      .filter((instruction) => instruction.keyword === 'RUN')
      .map((instruction) => instruction.text)
      .join(' && ');
    const steps = ['npm ci', 'npm run build', 'npm prune --omit=dev'].map((step) => commands.indexOf(step));
    expect(steps.every((index) => index >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    // On the Node.js the project pins, which npm ci also installs.
    expect(buildStage.image).toMatch(new RegExp(`^docker\\.io/library/node:${packageJson.dependencies.node!.replaceAll('.', '\\.')}-`));
  });

  it('copies into the build only files that exist and are not ignored, and keeps what the image must not inherit out', () => {
    for (const instruction of buildStage.instructions.filter((entry) => entry.keyword === 'COPY')) {
      const sources = instruction.text.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(path.join(projectRoot, source)), `COPY ${source}`).toBe(true);
        if (source !== '.') expect(ignored(source), `COPY ${source} is ignored`).toBe(false);
      }
    }
    for (const excluded of ['node_modules', 'node_modules/node/bin/node', 'dist', 'dist/scripts/start.js', '.git', '.data'])
      expect(ignored(excluded), excluded).toBe(true);
    // What npm run build reads: the compiler's configuration, the folders it compiles and those it copies files from.
    const buildConfig = JSON.parse(readFileSync(path.join(projectRoot, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    const copiedFolders = JSON.parse(
      /const sourceFolders = (\[[^\]]*\])/.exec(readFileSync(path.join(projectRoot, 'scripts/build.ts'), 'utf8'))![1]!.replaceAll("'", '"'),
    ) as string[];
    for (const needed of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      ...buildConfig.include,
      ...copiedFolders,
    ])
      expect(ignored(needed), `${needed} is needed by npm run build`).toBe(false);
  });

  it('copies into the runtime what the build made: package.json, node_modules, dist/ and scripts/launch.mjs', () => {
    const from = workdir(buildStage)!;
    const copied = runtime.instructions
      .filter((instruction) => instruction.keyword === 'COPY')
      .map((instruction) => {
        const [flag, source, target] = instruction.text.split(/\s+/);
        expect(flag).toBe('--from=build');
        expect(source!.startsWith(`${from}/`), source).toBe(true);
        return { source: source!.slice(from.length + 1), target: path.posix.join(workdir(runtime)!, target!) };
      });
    expect(copied.map((entry) => entry.source).sort()).toEqual(['dist', 'node_modules', 'package.json', 'scripts/launch.mjs']);
    for (const { source, target } of copied) {
      expect(target, `${source} keeps its place beside the others`).toBe(path.posix.join(workdir(runtime)!, source));
      // Made by npm ci (node_modules) and npm run build (dist), or taken from the source tree.
      if (source === 'node_modules' || source === 'dist') continue;
      expect(existsSync(path.join(projectRoot, source)), source).toBe(true);
      expect(ignored(source), source).toBe(false);
    }
    expect(readFileSync(path.join(projectRoot, 'scripts/build.ts'), 'utf8')).toMatch(/const out = path\.join\(root, 'dist'\)/);
  });

  it('runs as a non-root user, in production, with no shell: the pinned Node.js on scripts/launch.mjs', () => {
    expect(runtime.image).toMatch(/^gcr\.io\/distroless\//);
    expect(
      runtime.instructions.filter((instruction) => instruction.keyword === 'RUN'),
      'the runtime has no shell to run it',
    ).toEqual([]);
    const user = runtime.instructions.filter((instruction) => instruction.keyword === 'USER').at(-1)?.text ?? '0';
    const [uid, gid] = user.split(':').map(Number);
    expect(uid, `USER ${user}: numeric, so runAsNonRoot can be checked`).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    expect(runtime.instructions.map((instruction) => instruction.text)).toContain('NODE_ENV=production');
    const entrypoint = arrayOf(runtime.instructions.find((instruction) => instruction.keyword === 'ENTRYPOINT'));
    const command = arrayOf(runtime.instructions.find((instruction) => instruction.keyword === 'CMD'));
    // The `node` package is a production dependency, so npm prune keeps it, and it installs its binary at bin/node.
    expect(entrypoint).toEqual([`${workdir(runtime)}/node_modules/node/bin/node`]);
    expect(packageJson.dependencies.node).toMatch(/^\d+\.\d+\.\d+$/);
    expect(packageJson.devDependencies.node).toBeUndefined();
    expect(JSON.parse(readFileSync(path.join(projectRoot, 'node_modules/node/package.json'), 'utf8')).bin).toEqual({ node: 'bin/node' });
    expect(command).toEqual(['scripts/launch.mjs', 'start']);

    // The manifests run the same image with the same user and the commands launch.mjs knows.
    const buildConfig = JSON.parse(readFileSync(path.join(projectRoot, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
      exclude: string[];
    };
    for (const deployment of byKind(build(overlayDirectory), 'Deployment')) {
      const pod = podSpec(deployment);
      expect(pod.securityContext.runAsUser, deployment.metadata.name).toBe(uid);
      expect(pod.securityContext.runAsGroup, deployment.metadata.name).toBe(gid);
      for (const container of pod.containers) {
        expect(container.command, `${deployment.metadata.name}: the image's entrypoint runs`).toBeUndefined();
        const [script, name] = container.args;
        expect(script).toBe(command[0]);
        expect(existsSync(path.join(projectRoot, 'scripts', `${name}.ts`)), `scripts/${name}.ts`).toBe(true);
        expect(buildConfig.include).toContain('scripts');
        expect(buildConfig.exclude).not.toContain(`scripts/${name}.ts`);
      }
    }
  });
});
