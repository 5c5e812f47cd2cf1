import type { ErrorBody, FieldError } from './types';
import type { Params } from './i18n/translate';

/** Codes the API sends, plus "network" when the server could not be reached. */
export type ErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'too_large'
  | 'unavailable'
  | 'internal'
  | 'network';

const byStatus: Record<number, ErrorCode> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  422: 'invalid',
  429: 'rate_limited',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
};

/**
 * An error from the API. `message` is the server's (Vietnamese) text, or ""
 * when the server sent none; `key` and `params` name the catalogue entry
 * (err.<key>) the UI shows instead when it has one (see problems.ts).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly fields: FieldError[];
  readonly requestId: string;
  readonly retryAfter: number | null;
  readonly key: string;
  readonly params: Params;
  /** The error's params as sent, lists and objects included (e.g. the marks of an attendance conflict). */
  readonly details: Record<string, unknown>;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    fields: FieldError[] = [],
    requestId = '',
    retryAfter: number | null = null,
    key = '',
    params: Params = {},
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
    this.key = key;
    this.params = params;
    this.details = details;
  }

  /** The server's message for one field, if it sent one. */
  field(name: string): string | undefined {
    return this.fields.find((f) => f.field === name)?.message;
  }
}

/** The error for a request that never reached the server (no connection, DNS, reset). */
export function networkError(): ApiError {
  return new ApiError(0, 'network', '');
}

function isErrorBody(v: unknown): v is ErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as ErrorBody).code === 'string';
}

/** Keeps the string and number values of a params object, whatever was sent. */
function paramsOf(v: unknown): Params {
  const out: Params = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number') out[k] = x;
  return out;
}

/** Turns a non-2xx response into an ApiError, whatever its body holds. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    const text = await res.text();
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const retryHeader = res.headers.get('Retry-After');
  const retryAfter = retryHeader && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  const fallback: ErrorCode = byStatus[res.status] ?? (res.status >= 500 ? 'internal' : 'invalid');
  if (isErrorBody(body)) {
    const code = (Object.values(byStatus).includes(body.code as ErrorCode) || body.code === 'internal' ? body.code : fallback) as ErrorCode;
    const fields = Array.isArray(body.fields)
      ? body.fields.filter((f): f is FieldError => !!f && typeof f.field === 'string').map((f) => ({
          field: f.field,
          code: String(f.code ?? ''),
          message: String(f.message ?? ''),
          params: paramsOf(f.params),
        }))
      : [];
    return new ApiError(
      res.status,
      code,
      typeof body.message === 'string' ? body.message : '',
      fields,
      body.request_id ?? '',
      retryAfter,
      typeof body.key === 'string' ? body.key : '',
      paramsOf(body.params),
      typeof body.params === 'object' && body.params !== null && !Array.isArray(body.params) ? (body.params as Record<string, unknown>) : {},
    );
  }
  return new ApiError(res.status, fallback, '', [], '', retryAfter);
}
