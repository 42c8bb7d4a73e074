// The users module's public API. Schemas first: modules that import this one back (analytics, through users'
// service) find the schemas evaluated.
export {
  instagramUsername,
  passwordField,
  payoutAccountFlag,
  privateUserSchema,
  profileFields,
  publicUserSchema,
  publicUserSelect,
  ratingOf,
  toPrivateUser,
  toPublicUser,
  type PublicUserRow,
} from "./users.schemas.ts";
export { publicUserColumns, publicUserFrom } from "./users.queries.ts";
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
