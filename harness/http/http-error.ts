import type { Exchange, HttpErrorCode } from './types.ts';

/**
 * No complete response arrived. Carries the live exchange so an ERROR verdict can cite it by
 * id; the message is built from the redacted copy because it ends up in logs.
 */
export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly exchange: Exchange,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
