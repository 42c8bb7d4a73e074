// The one error family. Services throw these; the error middleware turns them into
// {"error": {"code", "message", "details"}} with the status below.
const errorStatus = {
  VALIDATION_ERROR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UPSTREAM_ERROR: 502,
  INTEGRATION_NOT_CONFIGURED: 503,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}

export const validationError = (message: string, details?: unknown) =>
  new AppError("VALIDATION_ERROR", message, details);
export const unauthenticated = (message = "Authentication credentials were not provided or are invalid.") =>
  new AppError("UNAUTHENTICATED", message);
export const forbidden = (message = "You do not have permission to perform this action.") =>
  new AppError("FORBIDDEN", message);
export const notFound = (what = "Resource") => new AppError("NOT_FOUND", `${what} not found.`);
export const conflict = (message: string, details?: unknown) => new AppError("CONFLICT", message, details);
export const invalidState = (message: string, details?: unknown) => new AppError("INVALID_STATE", message, details);
export const notConfigured = (what: string) =>
  new AppError("INTEGRATION_NOT_CONFIGURED", `${what} is not configured on this server.`);
export const upstreamError = (message: string) => new AppError("UPSTREAM_ERROR", message);
