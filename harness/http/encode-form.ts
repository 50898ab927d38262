// Request body and credential encodings. Kept apart from the client so the exact bytes a
// provider receives can be unit-tested without a server.

export type FormFields = Record<string, string | string[]>;

/** application/x-www-form-urlencoded (WHATWG serializer: space as "+"); arrays repeat the name. */
export function encodeForm(fields: FormFields): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

/** One value form-urlencoded on its own, as RFC 6749 2.3.1 asks for Basic credentials. */
export function encodeFormComponent(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/**
 * RFC 6749 2.3.1: client_id and secret are form-urlencoded BEFORE base64, so a secret holding
 * ":" or "%" or "+" survives; plain RFC 7617 encoding here is a classic interop bug.
 */
export function encodeBasicAuth(username: string, password: string): string {
  const pair = `${encodeFormComponent(username)}:${encodeFormComponent(password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** Appends query parameters to a URL, keeping the ones it already has. */
export function appendQuery(url: string, query: FormFields): string {
  const encoded = encodeForm(query);
  if (encoded === '') return url;
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const joiner = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${joiner}${encoded}${fragment}`;
}
