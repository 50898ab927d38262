// The Allure half of `merge`: Allure reads any number of result files from one directory, so
// the shards' allure-results/ directories are concatenated into one (result, container and
// attachment files are named by UUID and never collide) and the single-file HTML report is
// regenerated from it with the generator `run` uses. environment.properties, one per run, is
// joined key by key (distinct values listed once, in order).
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ENVIRONMENT_FILE = 'environment.properties';
/** Files Allure expects once per results directory: the first input's copy is kept. */
const ONE_PER_DIRECTORY = new Set(['executor.json', 'categories.json']);

export interface AllureMergeResult {
  /** Result files (*-result.json) in the merged directory. */
  results: number;
  /** Input directories that had no allure-results/ (run with --no-allure). */
  missing: string[];
  /** Inputs whose results were copied. */
  merged: string[];
}

function parseProperties(text: string): Array<[string, string]> {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !/^\s*[#!]/.test(line))
    .map((line) => {
      const at = line.indexOf('=');
      return at < 0 ? [line.trim(), ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
    });
}

/** Joins environment.properties files: each key once, its distinct values comma-separated. */
export function mergeEnvironment(texts: string[]): string {
  const values = new Map<string, string[]>();
  for (const text of texts) {
    for (const [key, value] of parseProperties(text)) {
      const list = values.get(key) ?? [];
      if (!list.includes(value)) list.push(value);
      values.set(key, list);
    }
  }
  return [...values].map(([key, list]) => `${key}=${list.join(', ')}`).join('\n') + '\n';
}

/**
 * Copies every `<input>/allure-results/*` into `outDir` (emptied first). Returns what was merged;
 * throws when two inputs hold different files of the same name (which Allure never writes).
 */
export function mergeAllureResults(inputDirs: string[], outDir: string): AllureMergeResult {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const environments: string[] = [];
  const result: AllureMergeResult = { results: 0, missing: [], merged: [] };
  for (const dir of inputDirs) {
    const source = join(dir, 'allure-results');
    if (!existsSync(source) || !statSync(source).isDirectory()) {
      result.missing.push(dir);
      continue;
    }
    result.merged.push(dir);
    for (const name of readdirSync(source)) {
      const from = join(source, name);
      if (!statSync(from).isFile()) continue;
      if (name === ENVIRONMENT_FILE) {
        environments.push(readFileSync(from, 'utf8'));
        continue;
      }
      const to = join(outDir, name);
      if (existsSync(to)) {
        if (ONE_PER_DIRECTORY.has(name) || readFileSync(to).equals(readFileSync(from))) continue;
        throw new Error(`allure-results: ${from} and a file of another input have the same name and different contents`);
      }
      copyFileSync(from, to);
      if (name.endsWith('-result.json')) result.results++;
    }
  }
  if (environments.length > 0) writeFileSync(join(outDir, ENVIRONMENT_FILE), mergeEnvironment(environments));
  return result;
}
