// HTTP/1.1 requests on kept-alive TCP connections, written and read by hand: the request is one string, the reply is
// read only as far as its status and Content-Length. For a benchmark whose load generator shares a 2-core machine
// with the servers it measures, what the generator spends is taken from them: node:http cost the realtime bench's
// measuring process ~0.6-1.0 ms of CPU per POST (its parser, headers objects, agent and streams), this ~0.1 ms.
// Only what the project's server answers is handled: a reply with a Content-Length (Express's res.json), no chunks.
import net from "node:net";

type Waiting = { resolve: (status: number) => void; reject: (err: Error) => void };

class Connection {
  #buffered: Buffer = Buffer.alloc(0);
  #waiting: Waiting | undefined;

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.#buffered = this.#buffered.length ? Buffer.concat([this.#buffered, chunk]) : chunk;
      this.#read();
    });
    socket.on("error", (err) => this.#fail(err));
    socket.on("close", () => this.#fail(new Error("the server closed the connection")));
  }

  send(request: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  #fail(err: Error) {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(err);
  }

  #read() {
    const end = this.#buffered.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = this.#buffered.toString("latin1", 0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) return this.#fail(new Error(`a reply without Content-Length: ${head}`));
    const total = end + 4 + Number(length[1]);
    if (this.#buffered.length < total) return;
    this.#buffered = this.#buffered.subarray(total);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.resolve(Number(head.slice(9, 12))); // "HTTP/1.1 201 Created"
  }
}

// POST url with the given headers and JSON body; answers the reply's status once the whole reply is read. Each
// connection carries one request at a time; a request finding none idle for its host opens another.
export function createPoster() {
  const idle = new Map<string, Connection[]>();
  const all: Connection[] = [];

  async function connection(host: string, port: number): Promise<Connection> {
    const free = idle.get(`${host}:${port}`)?.pop();
    if (free) return free;
    const socket = net.connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const made = new Connection(socket);
    all.push(made);
    return made;
  }

  return {
    async post(url: string, headers: Record<string, string>, body: string): Promise<number> {
      const { hostname, port, pathname } = new URL(url);
      const conn = await connection(hostname, Number(port));
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      const request =
        `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n${lines.join("")}\r\n${body}`;
      const status = await conn.send(request);
      const key = `${hostname}:${port}`;
      let free = idle.get(key);
      if (!free) idle.set(key, (free = []));
      free.push(conn);
      return status;
    },
    close() {
      for (const conn of all) conn.socket.destroy();
      all.length = 0;
      idle.clear();
    },
  };
}
