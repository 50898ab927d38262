// The fixture's client secrets, by client id, read from the fixture file.
import { fixtureClient } from './provider.ts';

export function secretOf(clientId: string): string {
  const secret = fixtureClient(clientId).client_secret;
  if (!secret) throw new Error(`${clientId} has no secret`);
  return secret;
}

/** Form fields that authenticate a client_secret_post client. */
export function postAuth(clientId: string): Record<string, string> {
  return { client_id: clientId, client_secret: secretOf(clientId) };
}

/** The Basic credentials of a client_secret_basic client. */
export function basicAuth(clientId: string): { id: string; secret: string } {
  return { id: clientId, secret: secretOf(clientId) };
}
