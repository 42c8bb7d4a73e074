// How services push events to users in real time. Services call it only after their transaction has committed.
// The Socket.IO implementation lives beside this file; without it (tests of plain REST, scripts) events go nowhere.
export type Publisher = {
  toUser(userId: string, event: string, payload: unknown): void;
  // Ends every live connection of a user (their account was deleted).
  disconnectUser(userId: string): void;
};

export const nullPublisher: Publisher = { toUser: () => {}, disconnectUser: () => {} };
