// A local fake of the Instagram Graph API's business discovery call. Known usernames get a profile, others the
// Graph API's "unknown account" error; special usernames make it fail in the ways the real one can.
import http from "node:http";
import type { AddressInfo } from "node:net";

type FakeProfile = {
  followers_count: number;
  follows_count: number;
  media_count: number;
  biography: string;
  profile_picture_url: string;
};
export type FakeInstagram = {
  url: string;
  requests: URL[];
  profiles: Map<string, FakeProfile>;
  close(): Promise<void>;
};

export const FAKE_TOKEN = "fake-ig-token";
export const FAKE_ACCOUNT_ID = "17841400000000000";

// Failure modes, chosen by the username asked for.
export const FAIL = { serverError: "fail_500", garbage: "fail_garbage", reset: "fail_reset", hang: "fail_hang" };

export async function startFakeInstagram(): Promise<FakeInstagram> {
  const requests: URL[] = [];
  const profiles = new Map<string, FakeProfile>();
  const sockets = new Set<import("node:net").Socket>();
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push(url);
    if (url.pathname !== `/v21.0/${FAKE_ACCOUNT_ID}`)
      return json(res, 404, { error: { message: "Unknown path", code: 803 } });
    if (url.searchParams.get("access_token") !== FAKE_TOKEN)
      return json(res, 400, { error: { message: "Invalid OAuth access token.", type: "OAuthException", code: 190 } });
    const username = /business_discovery\.username\(([^)]*)\)/.exec(url.searchParams.get("fields") ?? "")?.[1] ?? "";
    if (username === FAIL.serverError)
      return json(res, 500, { error: { message: "An unknown error occurred", code: 1 } });
    if (username === FAIL.garbage) return res.writeHead(200, { "Content-Type": "text/html" }).end("<html>oops</html>");
    if (username === FAIL.reset) return req.socket.destroy();
    if (username === FAIL.hang) return; // never answers: the caller's timeout must end it
    const profile = profiles.get(username);
    if (!profile) {
      return json(res, 400, {
        error: {
          message: "Invalid user id",
          type: "OAuthException",
          code: 110,
          error_subcode: 2207013,
          fbtrace_id: "A1b2",
        },
      });
    }
    json(res, 200, { business_discovery: { username, ...profile, id: "17841401111111111" }, id: FAKE_ACCOUNT_ID });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    requests,
    profiles,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
