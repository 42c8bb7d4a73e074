// The auth module's public API: its router and its service (built once in src/services.ts), which ends sessions
// for users (password change, deletion) and the admin API (suspension), and lends instagram's handle proof its
// one-time codes.
export { authRouter } from "./auth.router.ts";
export { createAuthService, type AuthService } from "./auth.service.ts";
