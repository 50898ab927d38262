// Before the checks run, the runner fetches discovery once. When the target is unreachable or
// answers garbage, every check reports ERROR with this one precise reason, at once, instead of
// each check waiting for its own timeout.
import { createHttpClient } from '../http/http-client.ts';
import { HttpError } from '../http/http-error.ts';
import type { TargetProfile } from '../profile/types.ts';
import type { TargetDescription } from '../target.ts';

export async function describeTarget(profile: TargetProfile, profilePath: string | null): Promise<TargetDescription> {
  const issuer = profile.issuer.replace(/\/$/, '');
  const url = `${issuer}/.well-known/openid-configuration`;
  const http = createHttpClient({ timeoutMs: profile.timeouts?.request_ms ?? 10_000, maxResponseBytes: 1024 * 1024, idPrefix: 'preflight' });
  const description: TargetDescription = { profile, profilePath };
  try {
    const exchange = await http.send({ method: 'GET', url, label: 'preflight: discovery' });
    const response = exchange.response!;
    const json = response.json;
    if (response.status !== 200) {
      description.preflightError = `discovery at ${url} answered HTTP ${response.status}`;
    } else if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      description.preflightError = `discovery at ${url} did not answer a JSON object (content-type ${String(response.headers['content-type'] ?? 'none')})`;
    } else {
      description.metadata = json as Record<string, unknown>;
    }
  } catch (error) {
    description.preflightError = error instanceof HttpError ? `discovery at ${url}: ${error.message}` : `discovery at ${url}: ${String(error)}`;
  } finally {
    await http.close();
  }
  return description;
}
