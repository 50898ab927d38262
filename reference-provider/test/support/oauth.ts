// Small helpers for provider tests: authorization URLs, token requests, PKCE values, JWT decoding.
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { base64url, decodeJwt, decodeProtectedHeader } from 'jose';

export const REDIRECT_URI = 'https://rp.example.com/callback';

export function authorizationUrl(issuer: string, params: Record<string, string | undefined>): string {
  const url = new URL(`${issuer}/auth`);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url.encode(randomBytes(32));
  return { verifier, challenge: base64url.encode(createHash('sha256').update(verifier).digest()) };
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  text: string;
}

export interface PostOptions {
  basic?: { id: string; secret: string };
  bearer?: string;
  headers?: Record<string, string>;
  method?: 'POST' | 'GET';
  /** Raw body instead of a form. */
  raw?: string;
}

export function basicHeader(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

export async function postForm(url: string, form: Record<string, string | string[]>, options: PostOptions = {}): Promise<JsonResponse> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
  if (options.basic) headers.authorization = basicHeader(options.basic.id, options.basic.secret);
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const res = await request(url, { method: options.method ?? 'POST', headers, body: options.method === 'GET' ? undefined : (options.raw ?? body.toString()) });
  const text = await res.body.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  return { status: res.statusCode, headers: res.headers, body: parsed, text };
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const res = await request(url, { headers });
  const text = await res.body.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  return { status: res.statusCode, headers: res.headers, body: parsed, text };
}

export function claimsOf(jwt: unknown): Record<string, unknown> {
  return decodeJwt(String(jwt)) as Record<string, unknown>;
}

export function headerOf(jwt: unknown): Record<string, unknown> {
  return decodeProtectedHeader(String(jwt)) as Record<string, unknown>;
}
