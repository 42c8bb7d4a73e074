// The auth module's API for other modules (users on password change and deletion; the admin API on suspension).
export { endSessions } from "./sessions.ts";
