#!/usr/bin/env node
// The package's command. The sources are TypeScript; tsx loads them without a build step,
// so `npx oidc-conformance` works straight from a clone.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli.ts');
process.exitCode = await main(process.argv.slice(2));
