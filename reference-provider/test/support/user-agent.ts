// A scripted user agent for provider tests: keeps cookies, follows the provider's own redirects,
// fills the login and consent forms, and stops at the first response addressed to the client.
import { request } from 'undici';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  url: string;
}

export interface AuthorizationResult {
  /** The final response from the provider (a redirect to the client, a form_post page, or an error page). */
  response: HttpResponse;
  /** Where the redirect points, if it is one. */
  location?: URL;
  /** Response parameters, from the query, the fragment or the form_post fields. */
  params: Record<string, string>;
  /** Where the parameters were found. */
  via: 'query' | 'fragment' | 'form_post' | 'none';
  /** Every page the user saw on the way (login, consent). */
  pages: string[];
  /** Every response received on the way, in order (the last one is `response`). */
  trail: HttpResponse[];
}

export interface LoginOptions {
  username?: string;
  password?: string;
  /** What to click on the consent page. Default approve. */
  consent?: 'approve' | 'deny';
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Extracts a form's action and its hidden/prefilled inputs from a provider page. */
export function parseForm(html: string, formId: string): { action: string; fields: Record<string, string> } {
  const form = new RegExp(`<form[^>]*id="${formId}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!form) throw new Error(`no form #${formId} in page:\n${html.slice(0, 500)}`);
  const action = /action="([^"]*)"/.exec(form[0])![1]!.replace(/&amp;/g, '&');
  const fields: Record<string, string> = {};
  for (const input of form[1]!.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    fields[input[1]!] = input[2]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  }
  return { action, fields };
}

export class UserAgent {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  /** The current value of a cookie this agent holds. */
  getCookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Sets (or, with undefined, forgets) a cookie by hand, e.g. to replay an old session cookie. */
  setCookie(name: string, value: string | undefined): void {
    if (value === undefined) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  /**
   * GETs a provider URL and follows redirects that stay within the provider; returns the first
   * response that is not such a redirect (a page, or a redirect addressed elsewhere).
   */
  async open(url: string): Promise<HttpResponse> {
    let response = await this.send('GET', url);
    for (let step = 0; step < 12; step++) {
      const location = header(response, 'location');
      if (!location) return response;
      const target = new URL(location, response.url);
      if (target.origin !== this.origin) return response;
      response = await this.send('GET', target.toString());
    }
    throw new Error('too many redirects');
  }

  private remember(response: HttpResponse): void {
    const setCookie = response.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (value.join('=') === '' || /max-age=0/i.test(line)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
  }

  async send(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<HttpResponse> {
    const absolute = new URL(url, this.origin).toString();
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await request(absolute, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined });
    const response: HttpResponse = { status: res.statusCode, headers: res.headers, body: await res.body.text(), url: absolute };
    this.remember(response);
    return response;
  }

  /**
   * Runs an authorization request to its end: follows redirects within the provider, logs in and
   * consents when asked, and returns the response addressed to the client.
   */
  async authorize(authorizationUrl: string, options: LoginOptions = {}, method: 'GET' | 'POST' = 'GET'): Promise<AuthorizationResult> {
    const pages: string[] = [];
    const trail: HttpResponse[] = [];
    const send = async (m: 'GET' | 'POST', url: string, form?: Record<string, string>) => {
      const r = await this.send(m, url, form);
      trail.push(r);
      return r;
    };
    let response: HttpResponse;
    if (method === 'POST') {
      const url = new URL(authorizationUrl);
      response = await send('POST', `${url.origin}${url.pathname}`, Object.fromEntries(url.searchParams));
    } else {
      response = await send('GET', authorizationUrl);
    }
    for (let step = 0; step < 12; step++) {
      const location = header(response, 'location');
      if (location) {
        const target = new URL(location, response.url);
        if (target.origin !== this.origin) return resultOf(response, target, pages, trail);
        response = await send('GET', target.toString());
        continue;
      }
      if (response.body.includes('id="login-form"')) {
        if (pages.includes('login') && pages.at(-1) === 'login') return resultOf(response, undefined, pages, trail);
        pages.push('login');
        const { action, fields } = parseForm(response.body, 'login-form');
        response = await send('POST', action, {
          ...fields,
          username: options.username ?? 'alice',
          password: options.password ?? 'wonderland-42',
        });
        continue;
      }
      if (response.body.includes('id="consent-form"')) {
        pages.push('consent');
        const { action, fields } = parseForm(response.body, 'consent-form');
        response = await send('POST', action, { ...fields, decision: options.consent ?? 'approve' });
        continue;
      }
      return resultOf(response, undefined, pages, trail);
    }
    throw new Error('too many steps in the authorization');
  }
}

function resultOf(response: HttpResponse, location: URL | undefined, pages: string[], trail: HttpResponse[]): AuthorizationResult {
  if (location) {
    if (location.hash.length > 1) {
      return { response, location, params: Object.fromEntries(new URLSearchParams(location.hash.slice(1))), via: 'fragment', pages, trail };
    }
    return { response, location, params: Object.fromEntries(location.searchParams), via: location.search ? 'query' : 'none', pages, trail };
  }
  if (response.body.includes('id="form_post"')) {
    const { fields } = parseForm(response.body, 'form_post');
    return { response, params: fields, via: 'form_post', pages, trail };
  }
  return { response, params: {}, via: 'none', pages, trail };
}
