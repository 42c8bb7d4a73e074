// The users module's public API. Query shapes and schemas first: modules that import this one back (analytics,
// through users' service) find them evaluated.
export {
  payoutAccountFlag,
  publicUserColumns,
  publicUserFrom,
  publicUserSelect,
  type PublicUserRow,
} from "./users.queries.ts";
export {
  instagramUsername,
  passwordField,
  privateUserSchema,
  profileFields,
  publicUserSchema,
  ratingOf,
  toPrivateUser,
  toPublicUser,
} from "./users.schemas.ts";
export { usersRouter } from "./users.router.ts";
export { createUsersService, type InstagramFigures, type UsersService } from "./users.service.ts";
// Account steps for auth (built before users) and the admin CLI.
export {
  assertEmailAvailable,
  assertRoleFields,
  createAccount,
  findUserByEmail,
  getUserOr404,
  updateAccount,
  type UserRow,
} from "./accounts.ts";
export { checkPassword, hashPassword } from "./passwords.ts";
