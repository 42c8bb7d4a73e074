// Image uploads (profile pictures, campaign images): multipart, at most MAX_UPLOAD_BYTES (413), JPEG/PNG/WebP
// judged by the file's bytes, never its name or declared type (415). Stored under UPLOAD_DIR with a random name.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { fileTypeFromBuffer } from "file-type";
import multer from "multer";
import type { Config } from "../config.ts";
import { AppError } from "./errors.ts";

const IMAGE_TYPES = new Map([
  ["image/jpeg", "jpg"],
  ["image/png", "png"],
  ["image/webp", "webp"],
]);

export type UploadedFile = Express.Multer.File & { ext: string };

// The text fields beside the image are a route's JSON fields (a few, none longer than a long description): bounded
// so a form cannot make the server hold megabytes of fields (413 past any limit).
const FORM_LIMITS = { fields: 30, fieldSize: 64 * 1024, fieldNameSize: 100, parts: 32 };

export function uploadMiddleware(config: Config) {
  const parser = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: config.MAX_UPLOAD_BYTES, files: 1, ...FORM_LIMITS },
  });
  return (field: string): RequestHandler =>
    (req: Request, res: Response, next: NextFunction) => {
      parser.single(field)(req, res, (err?: unknown) => {
        if (err) {
          // multer's own errors are mapped by the error middleware (413 / 400); anything else the form parser
          // raises (truncated body, no boundary, a malformed part header) is a malformed request too.
          next(err instanceof multer.MulterError ? err : new AppError("VALIDATION_ERROR", "Malformed multipart body."));
          return;
        }
        if (!req.file) {
          next();
          return;
        }
        fileTypeFromBuffer(req.file.buffer).then((type) => {
          const ext = type && IMAGE_TYPES.get(type.mime);
          if (!ext) {
            next(new AppError("UNSUPPORTED_MEDIA_TYPE", "Only JPEG, PNG and WebP images are accepted."));
            return;
          }
          (req.file as UploadedFile).ext = ext;
          next();
        }, next);
      });
    };
}

// Writes the image under UPLOAD_DIR/<folder>/ and returns its path relative to UPLOAD_DIR (served at /media/<path>).
export async function saveUpload(config: Config, folder: string, file: UploadedFile): Promise<string> {
  const relative = path.posix.join(folder, `${crypto.randomUUID()}.${file.ext}`);
  await fs.mkdir(path.join(config.UPLOAD_DIR, folder), { recursive: true });
  await fs.writeFile(path.join(config.UPLOAD_DIR, relative), file.buffer);
  return relative;
}

export async function removeUpload(config: Config, relative: string | null | undefined): Promise<void> {
  if (!relative) return;
  await fs.rm(path.join(config.UPLOAD_DIR, path.posix.normalize(relative).replace(/^(\.\.\/)+/, "")), { force: true });
}

// Public URL of a stored upload.
export const mediaUrl = (config: Config, relative: string | null | undefined) =>
  relative ? new URL(`/media/${relative}`, config.PUBLIC_URL).href : null;
