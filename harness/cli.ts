// The `oidc-conformance` command. Sub-commands: run (the checks), list (the catalogue and its
// coverage of REQUIREMENTS.md), serve (the reference provider), compare / diff (reports of
// several targets or runs), merge (the shards of a run), mutation (the score of the fault catalogue).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ProfileError } from './profile/load-profile.ts';
import { UsageError, runCommand } from './run/run-command.ts';
import { ListUsageError, listCommand } from './list/list-command.ts';
import { mutationCommand } from './run/mutation/mutation-command.ts';
import { MutantsFileError } from './run/mutation/mutants-file.ts';
import { compareCommand } from './compare/compare-command.ts';
import { diffCommand } from './compare/diff-command.ts';
import { mergeCommand } from './merge/merge-command.ts';
import { ConfigError, listFaults, loadProviderConfigFile, startProvider, type ProviderConfig } from '../reference-provider/index.ts';

export const DEFAULT_PROVIDER_CONFIG = 'fixtures/reference-provider/config.json';

const USAGE = `usage: oidc-conformance <command> [options]

commands:
  run [--profile FILE] [--only AREA|ID ...] [--report-dir DIR] [--strict] [--shard i/n] [--no-allure]
      [--certification] [--workers N] [--no-browser-evidence | --trace-snapshots]
        run the checks against a provider (default: the embedded reference provider);
        writes report.json, junit.xml, allure-results/ and allure-report/index.html (one
        self-contained HTML file; --no-allure skips the Allure output) in the report directory;
        exit 0 when no FAIL and no ERROR (--strict: and no WARN), 1 otherwise, 2 on bad usage;
        --certification judges as the OpenID Foundation's plans do: a code is redeemed again
        30 s after its first use (default: the profile's timing.code_reuse_delay_ms, 2000),
        and every provider is held to the Config OP lists (discovery/dynamic-op-types);
        --shard i/n runs part i of n of the suite files (report.json says which; merge joins them);
        --workers N: suite files run at once (default the CPU count less one, at least 2);
        --no-browser-evidence: no screenshot or Playwright trace per browser session (faster);
        --trace-snapshots: the Playwright traces also hold a DOM snapshot of every browser
        action (the trace viewer then shows each page; about 15% slower)
  list [--json]
        the check catalogue: id, level, refs, requirement rows, title, area
  list --coverage [--requirements FILE] [--area KEY ...] [--json]
        per area of REQUIREMENTS.md (default ../shared/REQUIREMENTS.md), the observable rows
        at least one check covers, and those none does
  list --ofcs [--plan basic|implicit|hybrid|config ...] [--json]
        per OpenID Foundation certification plan (oidcc Basic, Implicit, Hybrid, Config; static
        client), each test module: the checks covering it, N/A with the reason, or MISSING
  serve [--port N] [--host H] [--config FILE] [--fault NAME ...] [--list-faults]
        start the reference provider; prints "issuer <url>" once it accepts requests
  mutation [--fault NAME ...] [--mutants FILE] [--jobs N] [--report-dir DIR] [--timeout S] [--json]
           [--all-areas | --only-expected | --browser-expected-only] [--baseline REPORT]
        the mutation score: a defect-free baseline run, then one run per fault (only the suites
        its expected checks are in; N in parallel, default the CPU count); prints the table and
        "mutation score: caught/total", writes DIR/mutation.json and mutation.md (default
        reports/mutation); exit 1 when a fault escapes, a check raises a false alarm or the
        baseline is not clean. --mutants: a vendor's own fault switches (see the README);
        --all-areas: every suite for every fault (slower; shows checks it trips elsewhere);
        --only-expected: only each fault's expected checks (faster; no false alarm can show);
        --browser-expected-only: whole HTTP areas, but in browser areas only the expected checks
        (false alarms show in the HTTP areas; what CI runs);
        --baseline REPORT: a finished run of the same target with no fault (a report.json or its
        directory, holding every check the faults run) is the baseline: none is run
  compare REPORT REPORT... [--out DIR]
        the checks x targets matrix of several runs (a REPORT is a report.json or its run's
        directory): compare.html (self-contained, filters: differs between targets, outcome,
        level, area, text) and compare.md in DIR (default reports/compare-<timestamp>)
  diff OLD NEW [--json] [--strict]
        new failures, fixed, changed, added and removed checks from OLD to NEW; exit 1 on a
        regression (a check FAIL or ERROR in NEW, --strict: or WARN, that was not failing or
        did not exist in OLD), 0 otherwise, 2 on bad usage
  merge DIR... [--out DIR] [--strict] [--no-allure]
        join the report directories of one target's runs (the shards of run --shard i/n:
        all of them) into report.json, junit.xml and one Allure report in DIR (default
        reports/merged-<timestamp>); refuses different targets, missing or repeated shards and
        conflicting outcomes (exit 2); otherwise exits as run does
`;

function describeProvider(issuer: string, config: ProviderConfig): string {
  const clients = config.clients.map((c) => {
    const method = c.token_endpoint_auth_method ?? 'client_secret_post';
    const grants = (c.grant_types ?? ['authorization_code', 'refresh_token']).join(',');
    return `  ${c.client_id.padEnd(14)} ${method.padEnd(20)} ${grants}`;
  });
  const users = config.users.map((u) => `  ${u.username.padEnd(14)} password: ${u.password}  sub: ${u.sub}`);
  return [
    `issuer ${issuer}`,
    `discovery ${issuer}/.well-known/openid-configuration`,
    'clients (secrets in the config file):',
    ...clients,
    'test users:',
    ...users,
    config.faults?.length ? `FAULTS ON: ${config.faults.join(', ')}` : 'faults: none',
  ].join('\n');
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      fault: { type: 'string', multiple: true },
      'list-faults': { type: 'boolean' },
    },
    strict: true,
  });
  if (values['list-faults']) {
    console.log(listFaults());
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`oidc-conformance serve: --port must be an integer from 0 to 65535, not "${values.port}"`);
    return 2;
  }
  const configPath = resolve(values.config ?? DEFAULT_PROVIDER_CONFIG);
  const config = loadProviderConfigFile(configPath);
  const withFaults = { ...config, faults: [...new Set([...(config.faults ?? []), ...(values.fault ?? [])])] };
  const provider = await startProvider(withFaults, { port: values.port === undefined ? config.port : port, host: values.host });
  console.log(describeProvider(provider.issuer, withFaults));
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await provider.close();
  console.log('stopped');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'run':
        return await runCommand(rest);
      case 'list':
        return await listCommand(rest);
      case 'mutation':
        return await mutationCommand(rest);
      case 'compare':
        return await compareCommand(rest);
      case 'diff':
        return await diffCommand(rest);
      case 'merge':
        return await mergeCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        console.error(`oidc-conformance: unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ProfileError || error instanceof UsageError || error instanceof ListUsageError || error instanceof MutantsFileError) {
      console.error(error.message);
      return 2;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`oidc-conformance ${command}: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
