// How services push events to users in real time. Services call it only after their transaction has committed.
// The Socket.IO implementation lives beside this file; without it (tests of plain REST, scripts) events go nowhere.
export type Publisher = {
  toUser(userId: string, event: string, payload: unknown): void;
  // Ends every live connection of a user (their account was deleted).
  disconnectUser(userId: string): void;
};

const nullPublisher: Publisher = { toUser: () => {}, disconnectUser: () => {} };

// The publisher services get from createDeps: it exists before the HTTP server (and its Socket.IO server) does, so
// startServer binds the real one into it later. Unbound, events go nowhere.
export class LateBoundPublisher implements Publisher {
  private target: Publisher = nullPublisher;
  bind(target: Publisher): void {
    this.target = target;
  }
  unbind(target: Publisher): void {
    if (this.target === target) this.target = nullPublisher;
  }
  toUser(userId: string, event: string, payload: unknown): void {
    this.target.toUser(userId, event, payload);
  }
  disconnectUser(userId: string): void {
    this.target.disconnectUser(userId);
  }
}
