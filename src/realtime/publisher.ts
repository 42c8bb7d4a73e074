// How services push events to users in real time. Services call it only after their transaction has committed.
// The Socket.IO implementation lives beside this file; without it (tests of plain REST, scripts) events go nowhere.
export type Publisher = {
  // An event for one user or several (each of their sockets gets it once).
  toUser(userIds: string | readonly string[], event: string, payload: unknown): void;
  // Ends every live connection of a user (their account was deleted).
  disconnectUser(userId: string): void;
};

const nullPublisher: Publisher = { toUser: () => {}, disconnectUser: () => {} };

// Services get their publisher before the HTTP server (and its Socket.IO server) exists: createDeps makes this
// relay (deps.publisherRelay, and deps.publisher unless a test hands in its own), and attachRealtime plugs the
// Socket.IO publisher into it. Unplugged, events go nowhere.
export type PublisherRelay = Publisher & { plug(target: Publisher): void; unplug(target: Publisher): void };

export function createPublisherRelay(): PublisherRelay {
  let target = nullPublisher;
  return {
    plug: (next) => {
      target = next;
    },
    unplug: (current) => {
      if (target === current) target = nullPublisher;
    },
    toUser: (userIds, event, payload) => target.toUser(userIds, event, payload),
    disconnectUser: (userId) => target.disconnectUser(userId),
  };
}
