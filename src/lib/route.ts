// The one way to declare an HTTP route: validation (zod), authentication and role checks, the OpenAPI entry and the
// JSON reply all come from one declaration, so no route can skip any of them.
import type { OpenAPIRegistry, RouteConfig } from "@asteasolutions/zod-to-openapi";
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { z, type ZodType } from "zod";
import type { AccountType } from "../db/client.ts";
import {
  admitRow,
  authenticate,
  bearerToken,
  readAuthRow,
  verifyAccessToken,
  type AuthRow,
  type AuthUser,
} from "./auth.ts";
import type { AppDeps } from "./deps.ts";
import { AppError, forbidden, unauthenticated, validationError } from "./errors.ts";
import { errorResponseSchema } from "./schemas.ts";
import { refuseUnstorable } from "./storable.ts";
import { uploadMiddleware, type UploadedFile } from "./uploads.ts";

type Method = "get" | "post" | "put" | "patch" | "delete";
// public: anyone; user: any logged-in user; verified: logged in with a verified email.
type Access = "public" | "user" | "verified";

export type RouteSpec<
  B extends ZodType,
  P extends z.ZodObject,
  Q extends z.ZodObject,
  R extends ZodType,
  A extends Access,
  C extends boolean = false,
> = {
  method: Method | Method[];
  path: string; // Express path with its trailing slash, e.g. "/apis/user/:id/" (the slash is optional when called)
  summary: string;
  tags: string[];
  access: A;
  roles?: AccountType[];
  // The handler's own statement reads the caller's row (ctx.user is then a Caller, below), not a lookup of its own.
  callerRow?: C;
  body?: B;
  // A JSON body the handler reads itself (the Stripe webhook's signed bytes): documented, not validated here.
  documentedBody?: ZodType;
  params?: P;
  query?: Q;
  file?: string; // multipart field holding an image (JPEG/PNG/WebP); the body is then multipart/form-data too
  status?: number;
  response?: R;
  description?: string;
};

export type RouteContext<
  B extends ZodType,
  P extends z.ZodObject,
  Q extends z.ZodObject,
  A extends Access,
  C extends boolean = false,
> = {
  body: z.output<B>;
  params: z.output<P>;
  query: z.output<Q>;
  user: C extends true ? Caller : A extends "public" ? AuthUser | undefined : AuthUser;
  file: UploadedFile | undefined;
  req: Request;
  res: Response;
};

type Empty = z.ZodObject<Record<string, never>>;

const errorStatuses: Record<number, string> = {
  400: "Invalid input (VALIDATION_ERROR)",
  401: "Not authenticated, or the credentials are refused",
  403: "Not allowed (FORBIDDEN / EMAIL_NOT_VERIFIED)",
  404: "Not found, or not visible to the caller",
  409: "Conflict or refused state transition",
  413: "The body (or an upload) is too large (PAYLOAD_TOO_LARGE)",
  415: "A body type or encoding this route does not take (UNSUPPORTED_MEDIA_TYPE)",
  429: "Rate limited (RATE_LIMITED, with Retry-After)",
  502: "Stripe or Instagram failed (UPSTREAM_ERROR)",
  503: "Database unavailable or server overloaded (SERVICE_UNAVAILABLE, with Retry-After), or an integration not configured",
};

// The tags whose operations call Stripe or Instagram (502 when they fail).
const UPSTREAM_TAGS = ["payments", "instagram"];

// Which error statuses an operation can answer: every one can be invalid (a bad path or query), missing, in
// conflict, rate limited or unavailable; 401/403 need a login (a public route answers 401 only to credentials in its
// body); 413/415 need a body; 502 an upstream call.
function statusesOf(spec: { access: Access; tags: string[]; body?: unknown; file?: string }, method: Method): number[] {
  const withBody = method === "post" || method === "put" || method === "patch";
  return Object.keys(errorStatuses)
    .map(Number)
    .filter((code) => {
      if (code === 401) return spec.access !== "public" || spec.body !== undefined;
      if (code === 403) return spec.access !== "public";
      if (code === 413 || code === 415) return withBody;
      if (code === 502) return spec.tags.some((tag) => UPSTREAM_TAGS.includes(tag));
      return true;
    });
}

// getApisCampaignsId for GET /apis/campaigns/{id}/: unique, as method and path are.
const operationId = (method: Method, path: string) =>
  method +
  path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

// Shared with the socket pipeline (src/realtime/socket-pipeline.ts), as are shape() and checkAccess().
export function parseOr400<T extends ZodType>(
  schema: T | undefined,
  value: unknown,
  where: string,
): z.output<T> | Record<string, never> {
  if (!schema) return {};
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw validationError(`Invalid ${where}.`, z.flattenError(parsed.error).fieldErrors);
}

// The response schema strips what it does not list; a reply that does not fit it is our bug (500), not bad input.
export function shape(schema: ZodType, result: unknown): unknown {
  const parsed = schema.safeParse(result);
  if (!parsed.success) throw new Error(`response does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

// A reply already shaped by its response schema and serialised (a handler that keeps the JSON of what it answers
// again returns this): sent as it is, the very bytes res.json would send for the shaped value.
export class ShapedJson {
  constructor(readonly text: string) {}
}

// The JSON of `result` shaped by `schema` (shape's check and stripping, then JSON.stringify as res.json does).
export const shapedJson = (schema: ZodType, result: unknown): string => JSON.stringify(shape(schema, result));

// A role outside `roles` is 403 FORBIDDEN; "verified" refuses an unverified email with 403 EMAIL_NOT_VERIFIED.
export function checkAccess(spec: { access: Access; roles?: AccountType[] }, user: AuthUser | undefined): void {
  if (user && spec.roles && !spec.roles.includes(user.accountType)) throw forbidden();
  if (spec.access === "verified" && user && !user.isVerified) {
    throw new AppError("EMAIL_NOT_VERIFIED", "Verify your email address before doing this.");
  }
}

// A non-empty body on a method that carries one (an empty POST, as many clients send, is no body).
const hasBody = (req: Request) =>
  ["POST", "PUT", "PATCH"].includes(req.method) &&
  (req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0);

// The caller of a route declared with `callerRow: true`: its token is verified (401 as authenticate() answers it),
// its row not read yet. The handler's own statement reads the row and hands it to `admit`, which gives exactly the
// verdict of authenticate() and checkAccess() (the same 401 and 403); `lookUp` reads it as every other route does.
// Measured on the message send (bench:realtime, PostgreSQL): the lookup was a round trip of its own, 5.7/45 ms
// p50/p99 under load. Until `admit` has run, an error of the request gets the usual verdict on the caller first
// (route(), below): a refused caller hears 401/403 before any 400 or 429, as on every other route.
export type Caller = {
  id: string;
  tokenVersion: number;
  admit(row: AuthRow | undefined): AuthUser;
  lookUp(): Promise<AuthUser>;
};

function callerOf(deps: AppDeps, spec: { access: Access; roles?: AccountType[] }, req: Request) {
  const token = bearerToken(req.headers.authorization);
  if (!token) throw unauthenticated();
  const { id, version } = verifyAccessToken(deps, token);
  const caller = {
    id,
    tokenVersion: version,
    admitted: false,
    admit(row: AuthRow | undefined): AuthUser {
      caller.admitted = true;
      const user = admitRow(row, version);
      checkAccess(spec, user);
      return user;
    },
    lookUp: async () => caller.admit(await readAuthRow(deps, id)),
  };
  return caller;
}

async function optionalUser(deps: AppDeps, req: Request): Promise<AuthUser | undefined> {
  try {
    return await authenticate(deps, req, { optional: true });
  } catch (err) {
    if (err instanceof AppError && err.code === "UNAUTHENTICATED") return undefined;
    throw err;
  }
}

export function createRouter(deps: AppDeps, registry: OpenAPIRegistry) {
  const router = Router();
  const upload = uploadMiddleware(deps.config);

  function route<
    B extends ZodType = Empty,
    P extends z.ZodObject = Empty,
    Q extends z.ZodObject = Empty,
    R extends ZodType = ZodType,
    A extends Access = Access,
    C extends boolean = false,
  >(
    spec: RouteSpec<B, P, Q, R, A, C>,
    handler: (ctx: RouteContext<B, P, Q, A, C>) => Promise<z.input<R> | ShapedJson | undefined>,
  ) {
    if (spec.callerRow && (spec.access === "public" || spec.file)) {
      throw new Error(`${spec.path}: callerRow needs a logged-in caller and no upload (read only once admitted)`);
    }
    const methods = Array.isArray(spec.method) ? spec.method : [spec.method];
    const status = spec.status ?? 200;
    // A body of a type this route does not read (text/plain, a form) is refused, never silently ignored.
    const accepted = spec.file ? ["application/json", "multipart/form-data"] : ["application/json"];
    const bodyType: RequestHandler = (req, _res, next) => {
      if (hasBody(req) && !req.is(accepted)) {
        throw new AppError("UNSUPPORTED_MEDIA_TYPE", `The request body must be ${accepted.join(" or ")}.`);
      }
      next();
    };
    // Who is calling is settled first, so an upload is only read for a caller allowed to make it. A public route
    // ignores a bad or expired token (a front end that keeps its expired access token can still log in or refresh).
    const admit: RequestHandler = async (req, res, next) => {
      if (spec.callerRow) {
        res.locals.user = callerOf(deps, spec, req);
        next();
        return;
      }
      const user = spec.access === "public" ? await optionalUser(deps, req) : await authenticate(deps, req);
      checkAccess(spec, user);
      res.locals.user = user;
      next();
    };
    const middleware: RequestHandler[] = [bodyType, admit];
    if (spec.file) middleware.push(upload(spec.file));

    const run = (req: Request, res: Response) => {
      refuseUnstorable(req);
      const ctx = {
        params: parseOr400(spec.params, req.params, "path parameters"),
        query: parseOr400(spec.query, req.query, "query parameters"),
        body: parseOr400(spec.body, req.body, "request body"),
        user: res.locals.user as AuthUser | Caller | undefined,
        file: req.file ? (req.file as UploadedFile) : undefined,
        req,
        res,
      } as RouteContext<B, P, Q, A, C>;
      return deps.inflight.track(handler(ctx));
    };
    // A caller not yet admitted when the request fails is looked up first: its refusal is the answer, if any.
    const admitted = async (req: Request, res: Response) => {
      const caller = res.locals.user as ReturnType<typeof callerOf>;
      try {
        const result = await run(req, res);
        if (!caller.admitted) throw new Error(`${spec.path}: the handler did not admit its caller`);
        return result;
      } catch (err) {
        if (!caller.admitted) await caller.lookUp();
        throw err;
      }
    };
    const handle = async (req: Request, res: Response, _next: NextFunction) => {
      const result = await (spec.callerRow ? admitted(req, res) : run(req, res));
      if (res.headersSent) return;
      if (result === undefined) {
        res.status(status === 200 ? 204 : status).end();
        return;
      }
      if (result instanceof ShapedJson) {
        if (!res.get("Content-Type")) res.set("Content-Type", "application/json");
        res.status(status).send(result.text);
        return;
      }
      res.status(status).json(spec.response ? shape(spec.response, result) : result);
    };
    for (const method of methods) {
      router[method](spec.path, ...middleware, handle);
      registry.registerPath(openApiEntry(spec, method, status));
    }
  }

  return { router, route };
}

function openApiEntry<
  B extends ZodType,
  P extends z.ZodObject,
  Q extends z.ZodObject,
  R extends ZodType,
  A extends Access,
  C extends boolean,
>(spec: RouteSpec<B, P, Q, R, A, C>, method: Method, status: number): RouteConfig {
  const errors = Object.fromEntries(
    statusesOf(spec, method).map((code) => [
      code,
      { description: errorStatuses[code], content: { "application/json": { schema: errorResponseSchema } } },
    ]),
  );
  // A multipart body is the JSON fields plus the image as a binary part (optional beside other fields).
  const binary = z.string().meta({ format: "binary" });
  const filePart = spec.file ? z.object({ [spec.file]: spec.body ? binary.optional() : binary }) : undefined;
  const multipart = filePart && {
    "multipart/form-data": { schema: spec.body ? z.intersection(spec.body, filePart) : filePart },
  };
  const jsonBody = spec.body ?? spec.documentedBody;
  const json = jsonBody && { "application/json": { schema: jsonBody } };
  const bodyContent = multipart || json ? { ...multipart, ...json } : undefined;
  const path = spec.path.replace(/:(\w+)/g, "{$1}");
  return {
    method,
    path,
    operationId: operationId(method, path),
    summary: spec.summary,
    description: spec.description ?? (spec.roles ? `Allowed for: ${spec.roles.join(", ")}.` : undefined),
    tags: spec.tags,
    security: spec.access === "public" ? [] : [{ bearerAuth: [] }],
    request: {
      params: spec.params,
      query: spec.query,
      body: bodyContent ? { content: bodyContent, required: true } : undefined,
    },
    responses: {
      [status]: spec.response
        ? { description: "Success", content: { "application/json": { schema: spec.response } } }
        : { description: "Success" },
      ...errors,
    },
  };
}
