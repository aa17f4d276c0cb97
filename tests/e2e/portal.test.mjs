// The served app, end to end, in real Chromium with real IndexedDB.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { DIST, ARTIFACTS } from "../support/paths.mjs";

let server, browser;
before(async () => {
  server = await serve(DIST);
  browser = await launch();
  await mkdir(ARTIFACTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("a customer opens a ticket and still sees it after a reload", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/");

  await page.getByLabel("Subject").fill("Mi pedido no llegó");
  await page.getByRole("button", { name: "Send ticket" }).click();

  const list = page.getByRole("list", { name: "Your tickets" });
  await list.getByText("Mi pedido no llegó").waitFor();
  await page.screenshot({ path: join(ARTIFACTS, "portal.png") });

  await page.reload();
  await page.getByRole("list", { name: "Your tickets" }).getByText("Mi pedido no llegó").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("an empty subject is refused with a message next to the field", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + "/");
  await page.getByRole("button", { name: "Send ticket" }).click();
  await page.getByRole("alert").getByText("Please write a subject.").waitFor();
  assert.equal(await page.getByLabel("Subject").getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByRole("list", { name: "Your tickets" }).getByRole("listitem").count(), 0);
  await context.close();
});
