// The users module's public API. Schemas first: modules that import this one back (analytics, through users'
// service) find the schemas evaluated.
export {
  instagramUsername,
  passwordField,
  privateUserSchema,
  profileFields,
  publicUserSchema,
  toPrivateUser,
  toPublicUser,
} from "./users.schemas.ts";
export { usersRouter } from "./users.router.ts";
export {
  checkPassword,
  createAccount,
  findUserByEmail,
  getUserOr404,
  storeInstagramFigures,
  type UserRow,
} from "./users.service.ts";
