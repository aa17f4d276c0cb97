// The customer portal on its own: validation, deflection, help articles, languages, phones.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS } from "../support/paths.mjs";
import { assertAccessible } from "../support/a11y.mjs";
import { PortalPage } from "../support/helpdesk.mjs";
import { testBed } from "../support/harness.mjs";

const bed = testBed();

test("a customer opens a ticket and still sees it after a reload", async () => {
  const context = await bed.profile();
  const portal = new PortalPage(await context.page());
  const errors = portal.page.errors;
  await portal.open(bed.url);
  const code = await portal.openTicket({ subject: "Mi pedido no llegó" });
  assert.match(code, /\w/);
  await portal.page.reload();
  await portal.page.getByRole("button", { name: "My tickets" }).click();
  const list = portal.page.getByRole("list", { name: "Your tickets" });
  await list.getByText("Mi pedido no llegó").waitFor();
  await list.getByText("New", { exact: true }).waitFor();
  await portal.page.screenshot({ path: join(ARTIFACTS, "portal-my-tickets.png") });
  assert.deepEqual(errors, []);
  await context.close();
});

test("an empty form is refused with messages next to the fields", async () => {
  const context = await bed.profile();
  const page = await context.page();
  await page.goto(bed.url + "/");
  await page.getByRole("button", { name: "Send ticket" }).click();
  await page.getByRole("alert").getByText("Please write a subject.").waitFor();
  assert.equal(await page.getByLabel("Subject").getAttribute("aria-invalid"), "true");
  await page.getByText("Please tell us your name.").waitFor();
  await page.getByLabel("Email", { exact: true }).fill("not-an-email");
  await page.getByRole("button", { name: "Send ticket" }).click();
  await page.getByText("“not-an-email” is not an email address.").waitFor();
  await assertAccessible(page, assert, "form with errors");
  await page.getByRole("button", { name: "My tickets" }).click();
  assert.equal(await page.getByRole("list", { name: "Your tickets" }).getByRole("listitem").count(), 0);
  await context.close();
});

test("typing a subject suggests articles, and the help centre searches and reads them", async () => {
  const context = await bed.profile();
  const page = await context.page();
  await page.goto(bed.url + "/");
  await page.getByLabel("Subject").fill("where is my order");
  const suggestion = page.getByRole("complementary").getByRole("button", { name: /Where is my order/ });
  await suggestion.click();
  await page.getByRole("heading", { name: /Where is my order/ }).waitFor();
  await page.getByRole("button", { name: "Help articles" }).click();
  await page.getByLabel("Search help articles").fill("password");
  await page.getByRole("list", { name: "Help articles" }).getByRole("button", { name: "How to reset your password" }).click();
  await page.getByText("Forgot password").waitFor();
  await assertAccessible(page, assert, "help article");
  await context.close();
});

test("the language switches at runtime", async () => {
  const context = await bed.profile();
  const page = await context.page();
  await page.goto(bed.url + "/");
  await page.getByLabel("Language").selectOption({ label: "Português" });
  await page.getByRole("button", { name: "Enviar ticket" }).waitFor();
  await page.getByRole("heading", { name: "Central de ajuda" }).waitFor();
  await page.getByLabel("Idioma").selectOption({ label: "Español" });
  await page.getByLabel("Asunto").waitFor();
  await page.getByRole("button", { name: "Enviar ticket" }).click();
  await page.getByText("Escribe un asunto.").waitFor();
  await context.close();
});

test("the portal fits a 360-pixel phone and passes axe", async () => {
  const context = await bed.profile({ viewport: { width: 360, height: 740 } });
  const page = await context.page();
  await page.goto(bed.url + "/");
  await page.getByRole("button", { name: "Send ticket" }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await assertAccessible(page, assert, "phone portal");
  await page.screenshot({ path: join(ARTIFACTS, "portal-phone.png"), fullPage: true });
  await context.close();
});

test("a customer attaches a screenshot; a file over the limit or of a refused type is refused beside the field", async () => {
  const context = await bed.profile({ acceptDownloads: true });
  const portal = new PortalPage(await context.page());
  const errors = portal.page.errors;
  const p = portal.page;
  await portal.open(bed.url);
  await p.getByRole("button", { name: "New ticket" }).click();
  const files = p.getByLabel("Attachments");
  await files.setInputFiles({ name: "huge.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(26 * 1024 * 1024) });
  await p.locator("#mo-files-error").getByText("huge.bin is 26.0 MB; the most per file is 25.0 MB.").waitFor();
  await files.setInputFiles({ name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") });
  await p.locator("#mo-files-error").getByText("setup.exe cannot be attached (type application/x-msdownload)", { exact: false }).waitFor();
  await files.setInputFiles({ name: "screen.png", mimeType: "image/png", buffer: Buffer.from("not really a png") });
  const chosen = p.getByRole("list", { name: "Chosen files" });
  await chosen.getByText("screen.png").waitFor();
  // A log file the browser gives no type is typed by its extension and taken.
  await files.setInputFiles({ name: "console.log", mimeType: "", buffer: Buffer.from("TypeError: x is undefined") });
  await chosen.getByText("console.log").waitFor();
  assert.equal(await chosen.getByText("huge.bin").count(), 0);
  assert.equal(await chosen.getByText("setup.exe").count(), 0);
  await p.getByLabel("Subject").fill("The checkout button is grey");
  await p.getByLabel("Description").fill("See the screenshot.");
  await p.getByLabel("Name", { exact: true }).fill("Lucía Pérez");
  await p.getByLabel("Email", { exact: true }).fill("lucia@example.com");
  await p.getByRole("button", { name: "Send ticket" }).click();
  await p.getByRole("heading", { name: "We received your ticket" }).waitFor();

  await portal.showTicket("The checkout button is grey");
  const download = p.waitForEvent("download");
  await p.getByRole("button", { name: /^screen\.png/ }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), "screen.png");
  assert.deepEqual(errors, []);
  await context.close();
});
