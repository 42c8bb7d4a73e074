import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { idParams, paginatedSchema } from "../../lib/schemas.ts";
import {
  anyUserSchema,
  emailParams,
  privateUserSchema,
  toPrivateUser,
  toUserResponse,
  updateUserBody,
  userListQuery,
} from "./users.schemas.ts";
import type { UsersService } from "./users.service.ts";
import type { ReviewsService } from "../reviews/index.ts";

const tags = ["users"];
const PICTURE = "profile_picture";

export function usersRouter(
  deps: AppDeps,
  registry: OpenAPIRegistry,
  { users, reviews }: { users: UsersService; reviews: ReviewsService },
) {
  const { router, route } = createRouter(deps, registry);
  const { config } = deps;

  route(
    {
      method: "get",
      path: "/apis/user-profile/",
      summary: "The logged-in user's own profile",
      tags,
      access: "user",
      response: privateUserSchema,
    },
    async ({ user }) => toPrivateUser(config, await users.getUser(user.id)),
  );

  route(
    {
      method: "put",
      path: "/apis/user-profile/picture/",
      summary: "Replace the own profile picture (multipart profile_picture: JPEG, PNG or WebP)",
      tags,
      access: "user",
      file: PICTURE,
      response: privateUserSchema,
    },
    async ({ user, file }) => toPrivateUser(config, await users.setProfilePicture(user, file)),
  );

  route(
    {
      method: "get",
      path: "/apis/users/",
      summary: "List users (public fields; admins see all fields)",
      tags,
      access: "user",
      query: userListQuery,
      response: paginatedSchema(anyUserSchema),
    },
    async ({ user, query, req }) => {
      const { count, rows } = await users.listUsers(user, query);
      const results = rows.map((row) => toUserResponse(config, user, row));
      return pageEnvelope(req, query, count, results);
    },
  );

  route(
    {
      method: "get",
      path: "/apis/user/:id/",
      summary: "One user (public fields unless it is the caller or the caller is an admin)",
      tags,
      access: "user",
      params: idParams,
      response: anyUserSchema,
    },
    async ({ user, params }) => {
      await reviews.countPublished(); // the rating shown counts every review published by now
      return toUserResponse(config, user, await users.getUser(params.id));
    },
  );

  route(
    {
      method: ["put", "patch"],
      path: "/apis/update-user/:email/",
      summary: "Change a profile (oneself; admins anyone). Partial: only the fields sent change",
      description:
        "JSON or multipart/form-data (with an optional profile_picture image). A password change needs current_password " +
        "and ends every session, this one included (log in again). A field of the other role (niche for a brand, " +
        "company_name or website for an influencer) is a 400. The email changes through /apis/email-change/.",
      tags,
      access: "user",
      params: emailParams,
      body: updateUserBody,
      file: PICTURE,
      response: privateUserSchema,
    },
    async ({ user, params, body, file }) =>
      toPrivateUser(config, await users.updateUser(user, params.email, body, file)),
  );

  route(
    {
      method: "delete",
      path: "/apis/delete-user/:email/",
      summary: "Delete an account (oneself; admins anyone): it is anonymised, others' history stays",
      description:
        "Refused with 409 INVALID_STATE while a campaign of the account awaits payment or is in progress. Personal data " +
        "is cleared, every session ends, the email may register again; campaigns, bids, payments, analytics and " +
        "messages stay and show the account as a deleted user (is_deleted: true). Its open campaigns close and its " +
        "pending bids are declined.",
      tags,
      access: "user",
      params: emailParams,
      status: 204,
    },
    ({ user, params }) => users.deleteUser(user, params.email),
  );

  return router;
}
