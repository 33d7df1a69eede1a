import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Builder, By, until } from "selenium-webdriver";
import chrome from "selenium-webdriver/chrome.js";
import { createApp, listen } from "../src/app.js";

const CHROMIUM = process.env.KEYTURN_CHROMIUM ?? "/usr/bin/chromium";
const CHROMEDRIVER = process.env.KEYTURN_CHROMEDRIVER ?? "/usr/bin/chromedriver";
const available = existsSync(CHROMIUM) && existsSync(CHROMEDRIVER);
if (!available && process.env.CI === "true") {
  throw new Error(`CI=true but ${CHROMIUM} or ${CHROMEDRIVER} is missing: install chromium and chromium-driver`);
}
const skip = available ? false : `no ${CHROMIUM} / ${CHROMEDRIVER}: browser test skipped (it fails under CI=true)`;

describe("Acme Notes in Chromium: D-30, lock, renewal", { skip }, () => {
  let dataDir;
  let server;
  let url;
  let ctx;
  let driver;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "acme-notes-test-"));
    ctx = createApp({ dataDir, demo: { start: Date.parse("2027-03-01T09:00:00Z") } });
    ({ server, url } = await listen(ctx.app, 0));
    // Never ask Selenium Manager for a driver or a browser: both are Debian's, given explicitly.
    process.env.SE_OFFLINE = "true";
    const options = new chrome.Options()
      .setChromeBinaryPath(CHROMIUM)
      .addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
      );
    driver = await new Builder()
      .forBrowser("chrome")
      .setChromeOptions(options)
      .setChromeService(new chrome.ServiceBuilder(CHROMEDRIVER))
      .build();
  });

  after(async () => {
    await driver?.quit();
    ctx?.licenses.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(path) {
    await driver.get(url + path);
    await driver.wait(until.elementLocated(By.css("html[data-keyturn-state=ready]")), 10_000);
  }

  async function pageText() {
    return driver.findElement(By.css("body")).getText();
  }

  async function addNote(text) {
    await driver.findElement(By.id("note-text")).sendKeys(text);
    const button = await driver.findElement(By.css(".note-form button"));
    await button.click();
    await driver.wait(until.stalenessOf(button), 10_000);
    await driver.wait(async () => (await pageText()).includes(text), 10_000);
  }

  async function jumpTo(stage) {
    await open("/demo");
    const button = await driver.findElement(By.css(`button[data-stage="${stage}"]`));
    await button.click();
    // The panel is drawn again after the move: wait for the new page, not the old one.
    await driver.wait(until.stalenessOf(button), 10_000);
    await driver.wait(until.elementLocated(By.css("html[data-keyturn-state=ready]")), 10_000);
  }

  it("shows the D-30 notice, locks after grace, and a pasted renewal unlocks with every note intact", async () => {
    await open("/");
    await addNote("Call the plumber");
    await addNote("Renew the support contract");

    await jumpTo("D-30");
    await open("/");
    const banner = await driver.wait(until.elementLocated(By.css(".kt-banner--info")), 10_000);
    assert.match(await banner.getText(), /Your license expires in 30 days/);

    await jumpTo("LOCK");
    await open("/");
    assert.equal(await driver.findElement(By.css("html")).getAttribute("data-keyturn-page"), "lock");
    assert.match(await pageText(), /Acme Notes is locked/);
    // Static assets are never gated: the lock screen's page still gets the product's stylesheet.
    const css = await fetch(url + "/app.css");
    assert.equal(css.status, 200);

    await driver.findElement(By.id("kt-license")).sendKeys(ctx.demo.tamperedRenewal());
    await driver.findElement(By.css("#kt-install-form button[type=submit]")).click();
    const error = await driver.wait(until.elementLocated(By.css("#kt-install-result .kt-result--error")), 10_000);
    assert.match(await error.getText(), /SIGNATURE_MISMATCH/);
    assert.equal(ctx.licenses.mode(), "LOCKED");

    const license = await driver.findElement(By.id("kt-license"));
    await license.clear();
    await license.sendKeys(ctx.demo.renewal());
    await driver.findElement(By.css("#kt-install-form button[type=submit]")).click();
    await driver.wait(until.elementLocated(By.id("note-text")), 15_000);
    await driver.wait(until.elementLocated(By.css("html[data-keyturn-state=ready]")), 10_000);

    assert.equal(ctx.licenses.mode(), "FULL");
    const text = await pageText();
    assert.match(text, /2 notes/);
    assert.match(text, /Call the plumber/);
    assert.match(text, /Renew the support contract/);
    assert.equal((await driver.findElements(By.css(".kt-banner"))).length, 0);
    await addNote("Back at work");
    assert.match(await pageText(), /3 notes/);
  });
});
