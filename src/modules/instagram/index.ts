// The instagram module's public API.
export { instagramRouter } from "./instagram.router.ts";
export { createInstagramService } from "./instagram.service.ts";
