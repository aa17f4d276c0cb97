// A benchmark, not a timed test: the time a visitor feels between clicking the launcher and a
// form that accepts typing, on a slow phone network (1.6 Mbit/s down, 750 kbit/s up, 150 ms
// round trips) with the CPU slowed 4x, through Chromium's own network and CPU emulation. Files
// are served brotli-compressed as a CDN would. It prints the figures (recorded in
// BENCHMARKS.md) and asserts only that the form really took the typed text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { DIST } from "../support/paths.mjs";
import { launcher, portal } from "../support/widget.mjs";

const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1000 * 1000) / 8,
  uploadThroughput: (750 * 1000) / 8,
};
const CPU_SLOWDOWN = 4;

let server, browser;

before(async () => {
  server = await serve(DIST, { brotli: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page with the network and CPU throttled; counts the bytes it downloads. */
async function throttledPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", NETWORK);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  const transfer = { bytes: 0, requests: 0 };
  cdp.on("Network.loadingFinished", (e) => {
    transfer.bytes += e.encodedDataLength;
    transfer.requests += 1;
  });
  return { page, context, transfer };
}

/** Fills `field` and checks it kept the text: the form is usable, not just painted. */
async function typeInto(field) {
  await field.fill("Hola");
  assert.equal(await field.inputValue(), "Hola");
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

test("throttled: launcher click to a customer form that accepts typing", { timeout: 180_000 }, async () => {
  const { page, context, transfer } = await throttledPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/host/index.html", { waitUntil: "load", timeout: 120_000 });
  const before = { ...transfer };
  const start = Date.now();
  await launcher(page, "Ayuda").click();
  // The shop is in Spanish: its panel is "Centro de ayuda".
  const subject = portal(page.getByRole("dialog", { name: "Centro de ayuda" })).subject();
  await subject.waitFor({ timeout: 150_000 });
  await typeInto(subject);
  const ms = Date.now() - start;
  console.log(
    `throttled open, customer widget: ${ms} ms from click to typing; ` +
      `${kb(transfer.bytes - before.bytes)} in ${transfer.requests - before.requests} requests after the click`,
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("throttled: navigation to an agent console that accepts typing", { timeout: 180_000 }, async () => {
  const { page, context, transfer } = await throttledPage();
  const errors = watchErrors(page);
  const start = Date.now();
  await page.goto(server.url + "/host/console.html", { waitUntil: "commit", timeout: 120_000 });
  // A fresh console opens on its inbox (under the first-run welcome): its search box.
  const field = page.locator("mostrador-desk").getByRole("searchbox").first();
  await field.waitFor({ timeout: 150_000 });
  await typeInto(field);
  const ms = Date.now() - start;
  console.log(
    `throttled open, agent console: ${ms} ms from navigation to typing; ` +
      `${kb(transfer.bytes)} in ${transfer.requests} requests`,
  );
  assert.deepEqual(errors, []);
  await context.close();
});
