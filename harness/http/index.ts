export { createHttpClient, isJsonType } from './http-client.ts';
export { HttpError } from './http-error.ts';
export { encodeBasicAuth, encodeForm, encodeFormComponent, appendQuery } from './encode-form.ts';
export { createRedactor, SECRET_FORM_FIELDS, SECRET_JSON_MEMBERS } from './redact.ts';
export type { Redactor } from './redact.ts';
export type * from './types.ts';
