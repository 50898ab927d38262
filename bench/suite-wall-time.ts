// `npm run bench:suite`: the whole suite (HTTP and browser checks) against the embedded
// reference provider, run N times (default 3) as a user runs it (`oidc-conformance run`, Allure
// HTML included), each in a fresh process; prints each run's wall time, the checks and outcomes,
// and min/median/max. Target (issue 4): under 60 s wall on the 2-core CI machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromiumExecutable } from '../harness/browser/ensure-chromium.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 3);
const extra = process.argv.slice(3);
const walls: number[] = [];
let failed = false;
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench:suite: the number of runs must be a whole number of at least 1, not "${process.argv[2] ?? process.env.BENCH_RUNS}"`);
  process.exit(2);
}

console.log(`bench:suite: ${runs} runs of \`oidc-conformance run\` ${extra.join(' ')} (node ${process.version}, ${cpus().length} CPUs: ${cpus()[0]?.model ?? '?'}, browser ${chromiumExecutable()})`);
for (let i = 1; i <= runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'oc-bench-suite-'));
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(root, 'bin/oidc-conformance.js'), 'run', '--quiet', '--report-dir', dir, ...extra], { cwd: root, encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  walls.push(wall);
  let summary = `exit ${run.status}`;
  try {
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { summary: Record<string, number>; checks: unknown[] };
    summary += `, ${report.checks.length} checks: ${Object.entries(report.summary).map(([k, v]) => `${k} ${v}`).join(', ')}`;
  } catch {
    summary += ', no report.json';
    failed = true;
  }
  if (run.status !== 0) {
    failed = true;
    process.stderr.write(run.stdout.slice(-2000) + run.stderr.slice(-2000));
  }
  console.log(`run ${i}: ${wall.toFixed(1)} s wall (${summary})`);
  rmSync(dir, { recursive: true, force: true });
}
const sorted = [...walls].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
console.log(`wall time over ${runs} runs: min ${sorted[0]!.toFixed(1)} s, median ${median.toFixed(1)} s, max ${sorted.at(-1)!.toFixed(1)} s (target < 60 s)`);
process.exit(failed ? 1 : 0);
