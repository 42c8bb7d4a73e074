// One rule for text, on every route and both databases: PostgreSQL cannot store U+0000 in text, and a lone UTF-16
// surrogate has no UTF-8 form (the driver would silently store U+FFFD). SQLite would take both, so the two databases
// would disagree; every string a request brings (body, query, path parameters, multipart field names and file names,
// object keys too) is checked here and refused with 400 instead.
import type { Request } from "express";
import { validationError } from "./errors.ts";

// With the u flag a surrogate range matches only unpaired surrogates (a pair is one code point above U+FFFF).
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u;
const bad = (s: string) => s.includes("\u0000") || UNPAIRED_SURROGATE.test(s);

// The path (a.b.0) of the first unstorable string in a value, or undefined when all are storable.
function firstUnstorable(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === "string") return bad(value) ? path : undefined;
  if (typeof value !== "object" || value === null || depth > 32) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (bad(key)) return at;
    const found = firstUnstorable(item, at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

const MESSAGE = "must not contain NUL (U+0000) or unpaired UTF-16 surrogates";

export function refuseUnstorable(req: Request): void {
  const where = {
    "path parameters": req.params as unknown,
    "query parameters": req.query as unknown,
    "request body": req.body as unknown,
    "uploaded file name": req.file?.originalname,
  };
  for (const [name, value] of Object.entries(where)) {
    const path = firstUnstorable(value, "");
    if (path !== undefined) throw validationError(`Invalid ${name}.`, { [path || name]: [MESSAGE] });
  }
}
