// The auth module's public API: its router; endSessions for users (password change, deletion) and the admin API
// (suspension); the one-time code machinery for instagram's handle proof.
export { authRouter } from "./auth.router.ts";
export { consumeOtp, issueOtp, liveOtp } from "./otp.ts";
export { endSessions } from "./sessions.ts";
