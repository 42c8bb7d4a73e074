// The single error middleware: every failure becomes {"error": {"code", "message", "details", "request_id"}}.
// Nothing else writes error bodies, and no stack trace or internal message ever reaches the client.
import type { ErrorRequestHandler, RequestHandler } from "express";
import multer from "multer";
import { ZodError, z } from "zod";
import { AppError } from "./errors.ts";
import type { Logger } from "./logger.ts";

type BodyParserError = { type?: string; status?: number };

function prismaError(err: unknown): AppError | undefined {
  if (typeof err !== "object" || err === null || !("code" in err) || typeof err.code !== "string") return undefined;
  if (!String((err as { name?: string }).name).startsWith("PrismaClient")) return undefined;
  const meta = (err as { meta?: Record<string, unknown> }).meta;
  if (err.code === "P2002") return new AppError("CONFLICT", "A record with these values already exists.", meta);
  if (err.code === "P2025") return new AppError("NOT_FOUND", "Resource not found.");
  return undefined;
}

// Shared with the socket pipeline, so a socket acknowledges the same error an HTTP request gets.
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError)
    return new AppError("VALIDATION_ERROR", "Invalid input.", z.flattenError(err).fieldErrors);
  if (err instanceof multer.MulterError) {
    if (err.code === "LIMIT_FILE_SIZE") return new AppError("PAYLOAD_TOO_LARGE", "The uploaded file is too large.");
    return new AppError("VALIDATION_ERROR", `Invalid upload: ${err.message}.`, { field: err.field });
  }
  const parser = err as BodyParserError;
  switch (parser.type) {
    case "entity.too.large":
      return new AppError("PAYLOAD_TOO_LARGE", "The request body is too large.");
    case "entity.parse.failed":
      return new AppError("VALIDATION_ERROR", "The request body is not valid JSON.");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new AppError("UNSUPPORTED_MEDIA_TYPE", "Unsupported content encoding or charset.");
  }
  return prismaError(err);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toAppError(err);
    const requestId = String((req.id as string | number | undefined) ?? "");
    // req.log is missing when the handler runs outside the app's pino-http (a router mounted alone).
    if (!known) ((req.log as Logger | undefined) ?? logger).error({ err }, "unhandled error");
    const error = known ?? new AppError("INTERNAL", "An unexpected error occurred.");
    if (error.code === "RATE_LIMITED") {
      const retryAfter = (error.details as { retry_after?: number } | undefined)?.retry_after;
      if (retryAfter) res.setHeader("Retry-After", String(retryAfter));
    }
    if (res.headersSent) return;
    res.status(error.status).json({
      error: { code: error.code, message: error.message, details: error.details, request_id: requestId },
    });
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError("NOT_FOUND", `No route for ${req.method} ${req.path}.`));
};
