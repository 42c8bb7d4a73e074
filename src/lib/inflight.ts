// Work the server must let finish before it closes the database on shutdown: every route handler (even one whose
// client has gone away, which the HTTP server no longer counts) and the background tasks requests start.
export type Inflight = { track<T>(work: Promise<T>): Promise<T>; settled(): Promise<void> };

export function createInflight(): Inflight {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      pending.add(work);
      const drop = () => pending.delete(work);
      work.then(drop, drop);
      return work;
    },
    async settled() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
