import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { describe, it, type TestContext } from "node:test";
import { DAY, LicenseManager, nodeMiddleware, SettableClock, type WebSettings } from "../src/index.js";
import { issue, tempDir, trustedKeys } from "./support.js";

const START = Date.parse("2027-03-01T09:00:00Z");
const LICENSE = { notBefore: "2027-02-01T00:00:00Z", expiresAt: "2027-04-01T00:00:00Z" };

/** A real node:http server: the product answers "product" to whatever the middleware lets through. */
async function serve(t: TestContext, licenses: LicenseManager, settings: WebSettings = {}): Promise<string> {
  const keyturn = nodeMiddleware(licenses, { productName: "Acme Notes", exemptPaths: ["/health"], ...settings });
  const server: Server = createServer(async (req, res) => {
    if (await keyturn(req, res)) return;
    res.setHeader("Content-Type", "text/plain");
    res.end(`product ${req.method} ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

function setUp(t: TestContext, preset: "appliance" | "subscription" = "appliance") {
  const clock = new SettableClock(START);
  const licenses = new LicenseManager({ stateDir: tempDir(t), trustedKeys: trustedKeys(), clock, zone: "UTC", background: false });
  t.after(() => licenses.close());
  licenses.install(issue({ ...LICENSE, preset }));
  return { clock, licenses };
}

describe("node:http middleware", () => {
  it("serves the standing as JSON with banner dates in the viewer's zone", async (t) => {
    const { clock, licenses } = setUp(t);
    clock.advance(DAY);
    licenses.refresh();
    const url = await serve(t, licenses);
    const res = await fetch(`${url}/license/standing?tz=Asia/Tokyo`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { mode: string; stage: string; banner: { level: string; text: string; dismissible: boolean } };
    assert.equal(body.mode, "FULL");
    assert.equal(body.stage, "D-30");
    assert.equal(body.banner.level, "INFO");
    assert.equal(body.banner.dismissible, true);
    assert.match(body.banner.text, /1 Apr 2027, 09:00 JST/);
  });

  it("passes everything through in full mode", async (t) => {
    const { licenses } = setUp(t);
    const url = await serve(t, licenses);
    const res = await fetch(`${url}/notes`, { method: "POST" });
    assert.equal(await res.text(), "product POST /notes");
  });

  it("refuses changes in read-only grace with a problem, and lets reads through", async (t) => {
    const { clock, licenses } = setUp(t, "subscription");
    clock.advance(32 * DAY);
    licenses.refresh();
    const url = await serve(t, licenses);
    assert.equal(await (await fetch(`${url}/notes`)).text(), "product GET /notes");
    const res = await fetch(`${url}/notes`, { method: "POST" });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    const problem = (await res.json()) as { code: string; detail: string };
    assert.equal(problem.code, "READ_ONLY");
    assert.match(problem.detail, /This change was not saved/);
  });

  it("answers every product route with the lock screen once locked, but never gates static assets or exempt paths", async (t) => {
    const { clock, licenses } = setUp(t);
    clock.advance(92 * DAY);
    licenses.refresh();
    const url = await serve(t, licenses);
    const page = await fetch(`${url}/notes`, { headers: { Accept: "text/html" } });
    assert.equal(page.status, 423);
    const html = await page.text();
    assert.match(html, /data-keyturn-page="lock"/);
    assert.match(html, /Acme Notes is locked/);
    assert.match(html, /<textarea id="kt-license" name="license"/);
    const api = await fetch(`${url}/api/notes`);
    assert.equal(api.status, 423);
    assert.equal(((await api.json()) as { code: string }).code, "LOCKED");
    assert.equal(await (await fetch(`${url}/app.css`)).text(), "product GET /app.css");
    assert.equal(await (await fetch(`${url}/health`)).text(), "product GET /health");
    assert.equal((await fetch(`${url}/health%2F..%2Fnotes`)).status, 423, "an encoded path is not the exempt one");
    assert.equal((await fetch(`${url}/app.css`, { method: "POST" })).status, 423);
  });

  it("installs a pasted renewal from the lock screen's form and unlocks at once", async (t) => {
    const { clock, licenses } = setUp(t);
    clock.advance(92 * DAY);
    licenses.refresh();
    const url = await serve(t, licenses);
    const renewal = issue({ id: "lic_renewal", notBefore: "2027-05-01T00:00:00Z", expiresAt: "2028-06-01T00:00:00Z" });
    const form = new FormData();
    form.set("license", renewal);
    form.set("return_to", "/notes");
    const res = await fetch(`${url}/license/install`, {
      method: "POST",
      body: form,
      headers: { Origin: url, Accept: "text/html" },
      redirect: "manual",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/notes");
    assert.equal(licenses.mode(), "FULL");
    assert.equal(await (await fetch(`${url}/notes`)).text(), "product GET /notes");
  });

  it("answers a rejected install with the verification code as a 422 problem", async (t) => {
    const { licenses } = setUp(t);
    const url = await serve(t, licenses);
    const res = await fetch(`${url}/license/install`, {
      method: "POST",
      headers: { Origin: url, "Content-Type": "application/json" },
      body: JSON.stringify({ license: issue(LICENSE).replace("Acme Corp", "Someone Else") }),
    });
    assert.equal(res.status, 422);
    const p = (await res.json()) as { code: string; installed: boolean; title: string };
    assert.deepEqual([p.code, p.installed, p.title], ["SIGNATURE_MISMATCH", false, "The license was not installed"]);
  });

  it("refuses a POST to the license routes from another site or without an Origin", async (t) => {
    const { licenses } = setUp(t);
    const url = await serve(t, licenses);
    const foreign = await fetch(`${url}/license/banner/dismiss`, { method: "POST", headers: { Origin: "https://evil.example" } });
    assert.equal(foreign.status, 403);
    assert.equal(((await foreign.json()) as { code: string }).code, "CROSS_SITE_REQUEST");
    const none = await fetch(`${url}/license/install`, { method: "POST", body: "x" });
    assert.equal(((await none.json()) as { code: string }).code, "CROSS_SITE_REQUEST");
  });

  it("dismisses the D-30 banner until the next stage", async (t) => {
    const { clock, licenses } = setUp(t);
    clock.advance(DAY);
    licenses.refresh();
    const url = await serve(t, licenses);
    const res = await fetch(`${url}/license/banner/dismiss`, { method: "POST", headers: { Origin: url } });
    const body = (await res.json()) as { outcome: string; banner: { display: string } };
    assert.deepEqual([body.outcome, body.banner.display], ["HIDDEN", "HIDDEN"]);
  });

  it("serves the banner component with an ETag, and 304 when unchanged", async (t) => {
    const { licenses } = setUp(t);
    const url = await serve(t, licenses);
    const js = await fetch(`${url}/license/banner.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type") ?? "", /text\/javascript/);
    assert.match(await js.text(), /Keyturn license banner/);
    const again = await fetch(`${url}/license/banner.js`, { headers: { "If-None-Match": js.headers.get("etag") ?? "" } });
    assert.equal(again.status, 304);
    assert.equal((await fetch(`${url}/license/banner.css`)).status, 200);
    assert.equal((await fetch(`${url}/license/standing`, { method: "DELETE" })).status, 405);
  });

  it("sends \"Renew\" on to the Keyturn server with the license's token, and offers the e-mail link when refused", async (t) => {
    const { licenses } = setUp(t);
    let status = 201;
    let seen: { authorization?: string; body?: Record<string, unknown> } = {};
    const vendor = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen = { authorization: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> };
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(status < 300 ? { id: "rr_42" } : { detail: "subscription archived" }));
      });
    });
    await new Promise<void>((resolve) => vendor.listen(0, "127.0.0.1", resolve));
    t.after(() => new Promise<void>((resolve) => vendor.close(() => resolve())));
    const server = `http://127.0.0.1:${(vendor.address() as { port: number }).port}`;
    const url = await serve(t, licenses, { renewalServer: server, renewalEmail: "renewals@acme.example" });

    const standing = (await (await fetch(`${url}/license/standing`)).json()) as { renewal: { kind: string; action: string } };
    assert.deepEqual([standing.renewal.kind, standing.renewal.action], ["server", "/license/renewal-request"]);
    const post = () =>
      fetch(`${url}/license/renewal-request`, {
        method: "POST",
        headers: { Origin: url, "Content-Type": "application/json" },
        body: JSON.stringify({ contact_name: "Ada", message: "please renew" }),
      });
    const ok = await post();
    assert.deepEqual(await ok.json(), { sent: true, reference: "rr_42", message: "Your renewal request was sent (reference rr_42)." });
    assert.match(seen.authorization ?? "", /^Bearer kt_lic_[0-9a-f]{64}$/);
    assert.equal(seen.body?.["license_id"], "lic_test_0001");
    assert.equal(seen.body?.["contact_name"], "Ada");

    status = 409;
    const refused = await post();
    assert.equal(refused.status, 502);
    const p = (await refused.json()) as { code: string; detail: string; fallback_href: string };
    assert.equal(p.code, "RENEWAL_FAILED");
    assert.match(p.detail, /HTTP 409\): subscription archived/);
    assert.match(p.fallback_href, /^mailto:renewals@acme\.example\?subject=Renewal%20request/);
  });
});
