import { createServer } from "node:http";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import { DAY, LicenseManager, expressMiddleware, systemClock } from "@keyturn/sdk";
import { Demo } from "./demo.js";
import { NoteStore } from "./notes.js";
import { DemoVendor } from "./vendor.js";

const PUBLIC = fileURLToPath(new URL("../public", import.meta.url));
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function page(title, body) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="/app.css"></head>
<body><header class="app-header"><a class="app-brand" href="/">Acme Notes</a><span data-keyturn-pill></span>
<nav><a href="/license/">License</a> <a href="/demo">Demo controls</a></nav></header>
<main class="app-main">${body}</main>
<script src="/license/banner.js" defer></script></body></html>\n`;
}

/**
 * Acme Notes: list notes, add a note. The whole Keyturn integration is three lines: build a LicenseManager, put the
 * middleware in front of the routes, and add `<script src="/license/banner.js" defer>` to the page frame.
 *
 * @param {{ dataDir: string, demo?: { preset?: string, start?: number }, trustedKeys?: import("@keyturn/sdk").KeyRing }} options
 */
export function createApp(options) {
  mkdirSync(options.dataDir, { recursive: true });
  let demo;
  let licenses;
  let clock = systemClock;
  if (options.demo) {
    const vendor = new DemoVendor(join(options.dataDir, "vendor-keys"), options.demo.preset ?? "appliance");
    demo = new Demo(vendor, options.demo.start ?? systemClock.now());
    clock = demo.clock;
    licenses = new LicenseManager({ stateDir: join(options.dataDir, "license"), trustedKeys: vendor.trustedKeys, clock, zone: "UTC" });
    demo.attach(licenses);
  } else {
    licenses = new LicenseManager({ stateDir: join(options.dataDir, "license"), trustedKeys: options.trustedKeys, clock });
  }
  const notes = new NoteStore(options.dataDir);
  const app = express();
  app.disable("x-powered-by");
  app.use(expressMiddleware(licenses, { productName: "Acme Notes", vendorName: "Acme Software", exemptPaths: ["/demo", "/health"] }));
  app.use(express.static(PUBLIC, { index: false }));
  app.use(express.urlencoded({ extended: false, limit: "16kb" }));

  app.get("/health", (_req, res) => res.json({ status: "up", mode: licenses.mode() }));
  app.get("/api/notes", (_req, res) => res.json(notes.list()));

  app.get("/", (_req, res) => {
    const list = notes.list();
    const items = list.map((n) => `<li class="note">${esc(n.text)}</li>`).join("\n");
    res.type("html").send(
      page(
        "Acme Notes",
        `<section class="app-card"><h1>Notes</h1><p class="app-count">${list.length} ${list.length === 1 ? "note" : "notes"}</p>
<ul class="notes">${items || '<li class="app-empty">No notes yet.</li>'}</ul>
<form method="post" action="/notes" class="note-form"><label for="note-text">New note</label>
<input id="note-text" name="text" maxlength="500" required autocomplete="off"><button type="submit">Add note</button></form></section>`,
      ),
    );
  });

  app.post("/notes", (req, res) => {
    const text = String(req.body?.text ?? "").trim();
    if (text === "") return res.status(400).type("text").send("a note needs some text");
    notes.add(text, clock.now());
    res.redirect(303, "/");
  });

  if (demo) mountDemo(app, demo, licenses);
  return { app, licenses, notes, demo };
}

function mountDemo(app, demo, licenses) {
  const sameOrigin = (req) => {
    const origin = req.get("origin");
    if (!origin) return true;
    try {
      return new URL(origin).host.toLowerCase() === String(req.get("host")).toLowerCase();
    } catch {
      return false;
    }
  };
  const panel = (licenseText = "", kind = "") => {
    const s = licenses.standing();
    const stages = demo
      .milestones()
      .map((m) => {
        const days = Math.ceil((m.at - s.evaluatedAt) / DAY);
        return `<button type="submit" name="to" value="${esc(m.id)}" data-stage="${esc(m.id)}">${esc(m.label)} <small>in ${days} ${days === 1 ? "day" : "days"}</small></button>`;
      })
      .join("\n");
    const license = licenseText
      ? `<label for="demo-license">${kind === "tampered" ? "A tampered renewal (its signature no longer holds)" : "A renewal signed by the demo vendor key"}: paste it on the lock screen or the <a href="/license/">license page</a></label>
<textarea id="demo-license" class="demo-license" rows="12" readonly>${esc(licenseText)}</textarea>`
      : "";
    return page(
      "Demo controls · Acme Notes",
      `<section class="app-card demo"><h1>Demo controls</h1>
<dl class="demo-facts"><div><dt>Product clock</dt><dd id="demo-clock">${new Date(s.evaluatedAt).toISOString()}</dd></div>
<div><dt>License</dt><dd id="demo-summary">${esc(s.summary)}</dd></div><div><dt>Mode</dt><dd id="demo-mode">${s.mode}</dd></div></dl>
<h2>Jump to a stage</h2><form class="demo-row" method="post" action="/demo/clock">${stages || '<p class="app-empty">No stage ahead: paste a renewal to start over.</p>'}</form>
<h2>Let time pass</h2><form class="demo-row" method="post" action="/demo/clock">
<button type="submit" name="days" value="1">+1 day</button><button type="submit" name="days" value="7">+7 days</button>
<button type="submit" name="back" value="2">Turn the clock back 2 days</button></form>
<h2>Licenses from the vendor</h2><form class="demo-row" method="post" action="/demo/license">
<button type="submit" name="kind" value="renewal">Issue a renewal</button><button type="submit" name="kind" value="tampered">Issue a tampered renewal</button></form>
${license}</section>`,
    );
  };
  app.get("/demo", (_req, res) => res.set("Cache-Control", "no-store").type("html").send(panel()));
  app.post("/demo/:action", (req, res) => {
    if (!sameOrigin(req)) return res.status(403).type("text").send("demo controls take requests from this server's pages only");
    try {
      if (req.params.action === "clock") {
        const { days, to, back } = req.body ?? {};
        if (days !== undefined) demo.advanceDays(Number(days));
        else if (to !== undefined) demo.jumpTo(String(to));
        else if (back !== undefined) demo.turnBack(Number(back));
        else throw new RangeError("say days=N, to=STAGE or back=N");
        return res.redirect(303, "/demo");
      }
      if (req.params.action === "license") {
        const tampered = req.body?.kind === "tampered";
        const text = tampered ? demo.tamperedRenewal() : demo.renewal();
        if ((req.get("accept") ?? "").includes("text/html")) return res.type("html").send(panel(text, tampered ? "tampered" : "renewal"));
        return res.json({ license: text });
      }
      return res.status(404).type("text").send("no such demo action");
    } catch (e) {
      return res.status(400).type("text").send(e.message);
    }
  });
}

/** Starts the app on `host:port` (0 = any free port); resolves with the server and its URL. */
export function listen(app, port, host = "127.0.0.1") {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({ server, url: `http://${host}:${address.port}` });
    });
  });
}
