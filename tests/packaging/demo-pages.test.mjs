// The host demo pages that `cargo xtask demo` serves (www/host → dist/host, drop-in in dist/pkg).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { DIST } from "../support/paths.mjs";
import { launcher, panel, portal, console_, frame, storage, computed } from "../support/widget.mjs";

let server, browser;
before(async () => {
  server = await serve(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const isCspReport = (text) => /WebAssembly|wasm-unsafe-eval|Content Security Policy/i.test(text);

test("the shop: a themed Spanish launcher that opens the portal and takes a ticket", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/host/index.html");
  const help = launcher(page, "Ayuda");
  await help.waitFor();
  assert.equal((await computed(help))["background-color"], "rgb(194, 65, 12)");
  assert.deepEqual((await storage(page)).databases, []);
  await help.click();
  const dialog = page.getByRole("dialog", { name: "Centro de ayuda" });
  assert.equal((await computed(portal(dialog).subject()))["background-color"], "rgb(255, 255, 255)",
    "the shop's dark inputs stay outside");
  await portal(dialog).createTicket("¿Cuándo llega mi taza?");
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("the strict-CSP shop falls back to the iframe and still takes a ticket", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/host/strict-csp.html");
  await launcher(page, "Ayuda").click();
  await portal(frame(page.getByRole("dialog", { name: "Centro de ayuda" }))).createTicket("Desde el iframe");
  assert.deepEqual(errors.filter((e) => !isCspReport(e)), []);
  await page.context().close();
});

test("the back office shows the console inline", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/host/console.html");
  await console_(page.locator("mostrador-desk")).views().waitFor();
  assert.equal(await page.getByRole("button", { name: "Ayuda", exact: true }).count(), 0, "no launcher on this page");
  assert.deepEqual(errors, []);
  await page.context().close();
});
