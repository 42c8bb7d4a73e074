// Ending every session of an account at once: the token version moves on (each request's user lookup compares it
// with the access token's), and every refresh token is revoked. Callers run it inside their transaction and, once
// it has committed, close the user's sockets with deps.publisher.disconnectUser(userId) (the Redis adapter carries
// that to every instance).
import type { DbOrTx } from "../../db/client.ts";

export async function endSessions(tx: DbOrTx, userId: string, at: Date): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { tokenVersion: { increment: 1 } } });
  await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
}
