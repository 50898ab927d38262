// Server-rendered pages. Every page forbids framing (RFC 9700 4.16), sends no Referer to others
// (RFC 9700 4.2.4) and must not be cached; every reflected value is HTML-escaped (RFC 6749 10.14).
import type { FastifyReply, FastifyRequest } from 'fastify';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.4rem;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1rem}.error{color:#b00020}code{background:#eee;padding:0 .2rem}`;

export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

export function sendHtml(reply: FastifyReply, status: number, html: string, extraCsp = ''): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; form-action *; frame-ancestors 'none'${extraCsp}`)
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .send(html);
}

/**
 * The page faults, applied to every HTML answer when one is on: login-page-frameable drops
 * X-Frame-Options and CSP frame-ancestors; login-page-third-party drops the referrer policy and
 * loads an image from another origin.
 */
export function pageFaultHook(fault: (name: string) => boolean) {
  return async (_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html') || typeof payload !== 'string') return payload;
    const csp = String(reply.getHeader('content-security-policy') ?? '');
    if (fault('login-page-frameable')) {
      reply.removeHeader('x-frame-options');
      reply.header('content-security-policy', csp.replace(/;\s*frame-ancestors[^;]*/, ''));
    }
    if (!fault('login-page-third-party')) return payload;
    reply.removeHeader('referrer-policy');
    reply.header('content-security-policy', String(reply.getHeader('content-security-policy') ?? '').replace("default-src 'none'", "default-src 'none'; img-src https://cdn.oidc-conformance.invalid"));
    return payload
      .replace('<meta name="referrer" content="no-referrer">', '')
      .replace('</main>', '<img src="https://cdn.oidc-conformance.invalid/pixel.png" alt=""></main>');
  };
}

/** The page a user sees when an error must not go back to the client (unknown client, bad redirect_uri). */
export function sendErrorPage(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  const body = `<p class="error" id="error">${escapeHtml(error)}</p>
<p id="error_description">${escapeHtml(description)}</p>`;
  return sendHtml(reply, status, renderPage('Sign-in error', body));
}
