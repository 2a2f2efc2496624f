import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Runs a project command (a .ts file, by its path from the project root) as a
 * user would, with a DATA_DIR of its own (removed after the run), returning its
 * exit code and output.
 */
export async function runScript(
  script: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cli-'));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Waits until the output so far matches, or fails with the output when the process ends or time runs out. */
export function waitForOutput(child: ChildProcess, output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No ${pattern} within ${timeoutMs} ms; output:\n${output()}`)), timeoutMs);
    const check = () => {
      const match = pattern.exec(output());
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    // The output may hold the match already.
    check();
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Exited with ${code} before ${pattern}; output:\n${output()}`));
    });
  });
}
