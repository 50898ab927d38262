// Masks secrets in the RECORDED copy of an exchange; the live request and response are never
// touched. A mask keeps a short keyed fingerprint ("[redacted:1f0c9a2b]") so a reader can see
// that the refresh token replayed in #7 is the one issued in #5 without learning it. The key is
// random per redactor, so a fingerprint cannot be used to test guesses of a password.
import { createHmac, randomBytes } from 'node:crypto';
import type { Exchange, RecordedRequest, RecordedResponse } from './types.ts';

/** JSON members whose string value is a credential (token responses, registration, errors). */
export const SECRET_JSON_MEMBERS: ReadonlySet<string> = new Set([
  'client_secret', 'password', 'code_verifier', 'refresh_token', 'access_token', 'id_token',
  'registration_access_token',
]);

/** Form fields and query parameters that carry a credential (token, revocation, introspection). */
export const SECRET_FORM_FIELDS: ReadonlySet<string> = new Set([
  ...SECRET_JSON_MEMBERS, 'token', 'code', 'client_assertion', 'assertion', 'subject_token',
  'actor_token', 'device_code',
]);

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);
// Values learned from responses are masked everywhere only when long enough to be a token;
// masking every "abc" in a body would garble the evidence.
const MIN_LEARNED_LENGTH = 8;

export interface Redactor {
  /** Masks this value wherever it appears from now on (explicit secrets: any length). */
  addSecret(value: string): void;
  redactText(text: string): string;
  redactValue<T>(value: T): T;
  redactExchange(exchange: Exchange): Exchange;
}

export function createRedactor(secrets: string[] = []): Redactor {
  const key = randomBytes(32);
  const known = new Set<string>();
  let pattern: RegExp | undefined;
  const variantOwner = new Map<string, string>();

  function mask(value: string): string {
    return `[redacted:${createHmac('sha256', key).update(value).digest('hex').slice(0, 8)}]`;
  }

  function addSecret(value: string): void {
    if (value === '' || known.has(value)) return;
    known.add(value);
    // The same secret shows up encoded differently in URLs, form bodies and JSON strings.
    const variants = [value, encodeURIComponent(value), new URLSearchParams([['', value]]).toString().slice(1),
      JSON.stringify(value).slice(1, -1)];
    for (const variant of variants) if (!variantOwner.has(variant)) variantOwner.set(variant, value);
    pattern = undefined;
  }

  function learn(value: string): void {
    if (value.length >= MIN_LEARNED_LENGTH && !value.startsWith('[redacted')) addSecret(value);
  }

  function redactText(text: string): string {
    if (variantOwner.size === 0) return text;
    // One alternation, longest first, so a secret containing another is masked whole and
    // inserted masks are never rescanned.
    pattern ??= new RegExp([...variantOwner.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return text.replace(pattern, (found) => mask(variantOwner.get(found) ?? found));
  }

  function redactValue<T>(value: T): T {
    return walkJson(value, (member, v) => {
      if (SECRET_JSON_MEMBERS.has(member) && typeof v === 'string') return mask(v);
      return undefined;
    }, redactText) as T;
  }

  function redactForm(encoded: string): string {
    return encoded.split('&').map((pair) => {
      const at = pair.indexOf('=');
      if (at === -1) return pair;
      const name = decodeFormComponent(pair.slice(0, at));
      if (!SECRET_FORM_FIELDS.has(name)) return pair;
      return `${pair.slice(0, at)}=${mask(decodeFormComponent(pair.slice(at + 1)))}`;
    }).join('&');
  }

  function learnForm(encoded: string): void {
    for (const pair of encoded.split('&')) {
      const at = pair.indexOf('=');
      if (at !== -1 && SECRET_FORM_FIELDS.has(decodeFormComponent(pair.slice(0, at)))) {
        learn(decodeFormComponent(pair.slice(at + 1)));
      }
    }
  }

  function redactUrl(url: string): string {
    const queryAt = url.indexOf('?');
    if (queryAt === -1) return redactText(url);
    const hashAt = url.indexOf('#', queryAt);
    const end = hashAt === -1 ? url.length : hashAt;
    return redactText(url.slice(0, queryAt + 1) + redactForm(url.slice(queryAt + 1, end)) + url.slice(end));
  }

  function redactBody(body: string, contentType: string): string {
    if (isFormType(contentType)) return redactText(redactForm(body));
    const parsed = tryParseJson(body);
    if (parsed === undefined) return redactText(body);
    // Literal masking keeps the provider's formatting; re-serialise only if a member escaped
    // it (e.g. "\/" escapes), because evidence must never leak.
    const masked = redactText(body);
    const reparsed = tryParseJson(masked);
    if (reparsed !== undefined && !hasUnmaskedSecret(reparsed)) return masked;
    return JSON.stringify(redactValue(parsed.value), null, 2);
  }

  function learnExchange(exchange: Exchange): void {
    const { request, response } = exchange;
    const queryAt = request.url.indexOf('?');
    if (queryAt !== -1) learnForm(request.url.slice(queryAt + 1).split('#')[0] ?? '');
    for (const [name, value] of Object.entries(request.headers)) {
      if (CREDENTIAL_HEADERS.has(name.toLowerCase())) learn(value.slice(value.indexOf(' ') + 1));
    }
    const bodies: Array<[string | undefined, string]> = [
      [request.body, headerValue(request.headers, 'content-type')],
      [response?.body, headerValue(response?.headers ?? {}, 'content-type')],
    ];
    for (const [body, contentType] of bodies) {
      if (body === undefined) continue;
      if (isFormType(contentType)) learnForm(body);
      const parsed = tryParseJson(body);
      if (parsed) walkJson(parsed.value, (member, v) => {
        if (SECRET_JSON_MEMBERS.has(member) && typeof v === 'string') learn(v);
        return undefined;
      }, (s) => s);
    }
  }

  function redactHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (CREDENTIAL_HEADERS.has(lower)) {
        const space = value.indexOf(' ');
        out[name] = space === -1 ? mask(value) : `${value.slice(0, space)} ${mask(value.slice(space + 1))}`;
      } else if (lower === 'cookie') {
        out[name] = mask(value);
      } else {
        out[name] = redactText(value);
      }
    }
    return out;
  }

  function redactResponseHeaders(headers: Record<string, string | string[]>): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      const redactOne = (v: string): string =>
        name.toLowerCase() === 'set-cookie' ? v.replace(/^([^=;]*=)([^;]*)/, (_, n: string, c: string) => n + mask(c)) : redactText(v);
      out[name] = Array.isArray(value) ? value.map(redactOne) : redactOne(value);
    }
    return out;
  }

  function redactExchange(exchange: Exchange): Exchange {
    learnExchange(exchange);
    const request: RecordedRequest = {
      ...exchange.request,
      url: redactUrl(exchange.request.url),
      headers: redactHeaders(exchange.request.headers),
    };
    if (exchange.request.body !== undefined) {
      request.body = redactBody(exchange.request.body, headerValue(exchange.request.headers, 'content-type'));
    }
    const copy: Exchange = { ...exchange, request };
    if (exchange.response) {
      const response: RecordedResponse = {
        ...exchange.response,
        headers: redactResponseHeaders(exchange.response.headers),
        body: redactBody(exchange.response.body, headerValue(exchange.response.headers, 'content-type')),
      };
      if ('json' in exchange.response) response.json = redactValue(exchange.response.json);
      copy.response = response;
    }
    if (exchange.error) copy.error = { ...exchange.error, message: redactUrl(exchange.error.message) };
    return copy;
  }

  for (const secret of secrets) addSecret(secret);
  return { addSecret, redactText, redactValue, redactExchange };
}

function walkJson(
  value: unknown,
  replaceMember: (member: string, value: unknown) => unknown,
  mapString: (s: string) => string,
): unknown {
  if (typeof value === 'string') return mapString(value);
  if (Array.isArray(value)) return value.map((item) => walkJson(item, replaceMember, mapString));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [member, v] of Object.entries(value)) {
      out[member] = replaceMember(member, v) ?? walkJson(v, replaceMember, mapString);
    }
    return out;
  }
  return value;
}

function hasUnmaskedSecret(parsed: { value: unknown }): boolean {
  let found = false;
  walkJson(parsed.value, (member, v) => {
    if (SECRET_JSON_MEMBERS.has(member) && typeof v === 'string' && !/^\[redacted:[0-9a-f]{8}\]$/.test(v)) found = true;
    return undefined;
  }, (s) => s);
  return found;
}

function tryParseJson(text: string): { value: unknown } | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

function isFormType(contentType: string): boolean {
  return contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function headerValue(headers: Record<string, string | string[]>, name: string): string {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? (value[0] ?? '') : value;
  }
  return '';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
