import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createUser, PNG } from "../helpers/factories.ts";

// The first bytes of a JPEG and a WebP (file-type judges by these).
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
  Buffer.alloc(64),
]);
const WEBP = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([0x24, 0, 0, 0]),
  Buffer.from("WEBPVP8 "),
  Buffer.alloc(64),
]);

const t = useTestApp();

const storedPath = (url: string) =>
  path.join(t.deps.config.UPLOAD_DIR, new URL(url).pathname.replace(/^\/media\//, ""));

describe("profile pictures on update-user", () => {
  describe("a PNG named .exe", () => {
    let res: request.Response;
    beforeAll(async () => {
      const { user, auth } = await createUser(t.deps);
      res = await request(t.app)
        .put(`/apis/update-user/${user.email}/`)
        .set(auth)
        .field("bio", "with a picture")
        .attach("profile_picture", PNG, { filename: "evil.exe", contentType: "application/octet-stream" });
    });

    it("is accepted with the other fields of the form", () => {
      expect(res.status).toBe(200);
      expect(res.body.bio).toBe("with a picture");
    });

    it("is stored as the PNG it is, under a random name", () => {
      expect(res.body.profile_picture).toMatch(/^http:\/\/localhost:8000\/media\/profile_pics\/[0-9a-f-]{36}\.png$/);
      expect(fs.readFileSync(storedPath(res.body.profile_picture))).toEqual(PNG);
    });

    it("is served at /media/ as a PNG that another origin may show", async () => {
      const served = await request(t.app).get(new URL(res.body.profile_picture).pathname);
      expect(served.status).toBe(200);
      expect(served.headers["content-type"]).toBe("image/png");
      // the front end runs on another origin and must be allowed to show it
      expect(served.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    });
  });

  it("refuses a text file named .png with 415 and stores nothing", async () => {
    const { user, auth } = await createUser(t.deps);
    const res = await request(t.app)
      .patch(`/apis/update-user/${user.email}/`)
      .set(auth)
      .attach("profile_picture", Buffer.from("just some text, not an image"), {
        filename: "photo.png",
        contentType: "image/png",
      });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } })).profilePicture).toBeNull();
  });

  it("refuses a 6 MB image with 413", async () => {
    const { user, auth } = await createUser(t.deps);
    const big = Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]);
    const res = await request(t.app)
      .put(`/apis/update-user/${user.email}/`)
      .set(auth)
      .attach("profile_picture", big, "big.png");
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } })).profilePicture).toBeNull();
  });

  it("answers an anonymous upload with 401 before reading the file", async () => {
    const { user } = await createUser(t.deps);
    const big = Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]);
    const res = await request(t.app).put(`/apis/update-user/${user.email}/`).attach("profile_picture", big, "big.png");
    expect(res.status).toBe(401); // not 413: the upload was never parsed
    expect(res.body.error.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a picture for another user's account with 404 and changes nothing", async () => {
    const me = await createUser(t.deps);
    const other = await createUser(t.deps);
    const res = await request(t.app)
      .put(`/apis/update-user/${other.user.email}/`)
      .set(me.auth)
      .attach("profile_picture", PNG, "a.png");
    expect(res.status).toBe(404);
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: other.user.id } })).profilePicture).toBeNull();
  });
});

describe("PUT /apis/user-profile/picture/", () => {
  describe("a JPEG replaced by a WebP", () => {
    let first: request.Response, second: request.Response;
    let oldFile: string;
    beforeAll(async () => {
      const { auth } = await createUser(t.deps);
      first = await request(t.app)
        .put("/apis/user-profile/picture/")
        .set(auth)
        .attach("profile_picture", JPEG, "me.jpg");
      oldFile = storedPath(first.body.profile_picture);
      expect(fs.existsSync(oldFile)).toBe(true);
      second = await request(t.app)
        .put("/apis/user-profile/picture")
        .set(auth)
        .attach("profile_picture", WEBP, "me.webp");
    });

    it("stores the JPEG as .jpg", () => {
      expect(first.status).toBe(200);
      expect(first.body.profile_picture).toMatch(/\.jpg$/);
    });

    it("replaces it with the WebP, stored as .webp", () => {
      expect(second.status).toBe(200);
      expect(second.body.profile_picture).toMatch(/\.webp$/);
      expect(fs.existsSync(storedPath(second.body.profile_picture))).toBe(true);
    });

    it("removes the old file", () => {
      expect(fs.existsSync(oldFile)).toBe(false);
    });
  });

  it("removes the picture file when the account is deleted", async () => {
    const { user, auth } = await createUser(t.deps);
    const res = await request(t.app)
      .put("/apis/user-profile/picture/")
      .set(auth)
      .attach("profile_picture", PNG, "me.png");
    const file = storedPath(res.body.profile_picture);
    await request(t.app).delete(`/apis/delete-user/${user.email}/`).set(auth).expect(204);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("refuses a request without a file with 400", async () => {
    const { auth } = await createUser(t.deps);
    expect((await request(t.app).put("/apis/user-profile/picture/").set(auth).send({})).status).toBe(400);
  });

  it("refuses an anonymous upload with 401", async () => {
    expect(
      (await request(t.app).put("/apis/user-profile/picture/").attach("profile_picture", PNG, "a.png")).status,
    ).toBe(401);
  });
});
