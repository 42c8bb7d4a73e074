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
export {
  assertEmailAvailable,
  assertRoleFields,
  checkPassword,
  createAccount,
  findUserByEmail,
  getUserOr404,
  hashPassword,
  markInstagramVerified,
  storeInstagramFigures,
  type InstagramFigures,
  type UserRow,
} from "./users.service.ts";
