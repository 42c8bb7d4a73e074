// The single error middleware: every failure becomes {"error": {"code", "message", "details", "request_id"}}.
// Nothing else writes error bodies, and no stack trace or internal message ever reaches the client.
import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import multer from "multer";
import { ZodError, z } from "zod";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS, type Availability } from "../db/availability.ts";
import { isTransactionConflict } from "../db/transaction.ts";
import { AppError } from "./errors.ts";
import type { Logger } from "./logger.ts";

type HttpError = { type?: string; status?: unknown; statusCode?: unknown };

// Prisma's errors about a value the column cannot hold: too long (P2000), out of range (P2020), a number that does
// not fit 64 bits (P2033), an invalid value for the column's type (P2006, P2007, P2023).
const VALUE_ERRORS = new Set(["P2000", "P2006", "P2007", "P2020", "P2023", "P2033"]);

function prismaError(err: unknown): AppError | undefined {
  if (typeof err !== "object" || err === null || !("code" in err) || typeof err.code !== "string") return undefined;
  if (!String((err as { name?: string }).name).startsWith("PrismaClient")) return undefined;
  const meta = (err as { meta?: Record<string, unknown> }).meta;
  if (err.code === "P2002") return new AppError("CONFLICT", "A record with these values already exists.", meta);
  if (err.code === "P2025") return new AppError("NOT_FOUND", "Resource not found.");
  if (VALUE_ERRORS.has(err.code)) return new AppError("VALIDATION_ERROR", "A value is out of range or too long.");
  return undefined;
}

// What the HTTP stack itself raises with a 4xx status (http-errors from the body parser, the router's URIError for
// a path parameter that is not valid percent-encoding, a bad gzip body).
function httpClientError(err: HttpError): AppError | undefined {
  const status = Number(err.status ?? err.statusCode);
  if (!(status >= 400 && status < 500)) return undefined;
  if (status === 413) return new AppError("PAYLOAD_TOO_LARGE", "The request body is too large.");
  if (status === 415) return new AppError("UNSUPPORTED_MEDIA_TYPE", "Unsupported content type, encoding or charset.");
  if (err instanceof URIError) return new AppError("VALIDATION_ERROR", "The URL is not valid percent-encoding.");
  return new AppError("VALIDATION_ERROR", "The request could not be read.");
}

const MULTER_TOO_LARGE = new Set([
  "LIMIT_FILE_SIZE",
  "LIMIT_FIELD_VALUE",
  "LIMIT_FIELD_COUNT",
  "LIMIT_PART_COUNT",
  "LIMIT_FILE_COUNT",
  "LIMIT_FIELD_KEY",
]);

// Shared with the socket pipeline, so a socket acknowledges the same error an HTTP request gets.
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError)
    return new AppError("VALIDATION_ERROR", "Invalid input.", z.flattenError(err).fieldErrors);
  if (err instanceof multer.MulterError) {
    if (MULTER_TOO_LARGE.has(err.code)) return new AppError("PAYLOAD_TOO_LARGE", `Upload refused: ${err.message}.`);
    return new AppError("VALIDATION_ERROR", `Invalid upload: ${err.message}.`, { field: err.field });
  }
  if (isDatabaseUnavailable(err)) {
    return new AppError("SERVICE_UNAVAILABLE", "The database is unavailable; try again shortly.", {
      retry_after: RETRY_AFTER_SECONDS,
    });
  }
  // A deadlock or serialization failure that outlasted transaction()'s retries: transient, so 503 and come back.
  if (isTransactionConflict(err)) {
    return new AppError("SERVICE_UNAVAILABLE", "The request conflicted with others; try again shortly.", {
      retry_after: 1,
    });
  }
  if (typeof err !== "object" || err === null) return undefined;
  const parser = err as HttpError;
  switch (parser.type) {
    case "entity.too.large":
      return new AppError("PAYLOAD_TOO_LARGE", "The request body is too large.");
    case "entity.parse.failed":
      return new AppError("VALIDATION_ERROR", "The request body is not valid JSON.");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new AppError("UNSUPPORTED_MEDIA_TYPE", "Unsupported content encoding or charset.");
  }
  return prismaError(err) ?? httpClientError(parser);
}

export function errorHandler(logger: Logger, availability?: Availability): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toAppError(err);
    if (known?.code === "SERVICE_UNAVAILABLE" && isDatabaseUnavailable(err)) availability?.failed(err);
    // req.log is missing when the handler runs outside the app's requestLogger (a router mounted alone).
    if (!known) (req.log ?? logger).error({ err }, "unhandled error");
    const error = known ?? new AppError("INTERNAL", "An unexpected error occurred.");
    replyError(res, error);
  };
}

// The error body, with Retry-After when the error says when to come back. Also for the overload guard's 503s.
export function replyError(res: Response, error: AppError): void {
  if (res.headersSent) return;
  const requestId = res.req.id ?? "";
  const retryAfter = (error.details as { retry_after?: number } | undefined)?.retry_after;
  if (error.code === "RATE_LIMITED" && retryAfter) res.setHeader("Retry-After", String(retryAfter));
  if (error.code === "SERVICE_UNAVAILABLE") res.setHeader("Retry-After", String(retryAfter ?? RETRY_AFTER_SECONDS));
  res.status(error.status).json({
    error: { code: error.code, message: error.message, details: error.details, request_id: requestId },
  });
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError("NOT_FOUND", `No route for ${req.method} ${req.path}.`));
};
