// The shapes every step and check share. An Exchange is the unit of evidence: checks name
// exchanges by id, and the report prints their recorded (redacted) copies.

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Query parameters appended to `url`; an array value repeats the parameter. */
  query?: Record<string, string | string[]>;
  /** Sent as application/x-www-form-urlencoded; an array value repeats the parameter. */
  form?: Record<string, string | string[]>;
  /** A raw body, sent as is (set its content-type yourself). Exclusive with `form`. */
  body?: string;
  /** client_secret_basic: both parts are form-urlencoded before base64 (RFC 6749 2.3.1). */
  basicAuth?: { username: string; password: string };
  /** What this request is for, shown next to the id in reports ("token: wrong secret"). */
  label?: string;
  /** Overrides the client's timeoutMs for this request only. */
  timeoutMs?: number;
  /**
   * An IP address to connect to instead of resolving the URL's host; the Host header and the TLS
   * server name stay the URL's. Reaches one node of a provider that resolves to several.
   */
  connectTo?: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The client_id sent through basicAuth; kept in clear because the header itself is redacted. */
  basicAuthUsername?: string;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** The body decoded as UTF-8 (up to maxResponseBytes). */
  body: string;
  /** Bytes received; when truncated, the bytes kept before the size cap stopped the read. */
  bytes: number;
  truncated: boolean;
  /** Present when the content type is JSON (application/json or +json) and the body parses. */
  json?: unknown;
  /** Why a body with a JSON content type did not parse. */
  jsonError?: string;
}

export type HttpErrorCode =
  | 'TIMEOUT'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_RESET'
  | 'DNS'
  | 'TOO_LARGE'
  | 'BAD_REQUEST'
  | 'NETWORK';

export interface Exchange {
  /** Unique within one client, e.g. "#3" (or "discovery#3" with an idPrefix). */
  id: string;
  label?: string;
  request: RecordedRequest;
  /** Absent when no response head arrived (refused, timed out before headers). */
  response?: RecordedResponse;
  startedAt: string;
  durationMs: number;
  error?: { code: HttpErrorCode; message: string };
}

export interface HttpClientOptions {
  /** Deadline for the whole exchange: connect, response headers AND body. */
  timeoutMs: number;
  /** The response body is cut off (and the exchange fails with TOO_LARGE) past this size. */
  maxResponseBytes: number;
  /** Secret values masked wherever they appear in recorded copies. */
  redact?: string[];
  /** Prefix for exchange ids, so ids stay unique when several clients feed one report. */
  idPrefix?: string;
  /** Sent unless the request sets its own user-agent. */
  userAgent?: string;
  /** Injectable clock for startedAt (durations always use the monotonic clock). */
  now?: () => Date;
}

export interface HttpClient {
  /**
   * Sends one request. Resolves with the LIVE exchange (secrets intact, so a step can use the
   * tokens it received) for any HTTP status, 4xx/5xx included. Rejects with HttpError when no
   * complete response arrived (timeout, refused, reset, too large); the exchange is recorded
   * either way.
   */
  send(request: HttpRequest): Promise<Exchange>;
  /**
   * Records an exchange observed elsewhere (the browser's navigations): it gets an id and a
   * redacted copy like a sent one. Returns the live exchange with its id.
   */
  record(observed: Omit<Exchange, 'id'>): Exchange;
  /** Redacted copies of every exchange so far, in the order they were started. */
  exchanges(): Exchange[];
  /** The redacted copy of one exchange. */
  exchange(id: string): Exchange | undefined;
  /** Registers a secret learned at run time (e.g. a token captured by the browser). */
  addSecret(value: string): void;
  /** Masks known secrets in any value (a check's expected/actual before it is reported). */
  redact<T>(value: T): T;
  close(): Promise<void>;
}
