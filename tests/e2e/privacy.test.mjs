// A customer's rights over their data: the agent finds the customer's tickets, gives them a copy
// (access), then erases their personal data (erasure). Both are in each ticket's history, and after
// the erasure nothing personal is left anywhere on the device: not in the inbox, the ticket, the
// search or an export of everything.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS } from "../support/paths.mjs";
import { assertAccessible } from "../support/a11y.mjs";
import { ConsolePage, PortalPage, storedFiles } from "../support/helpdesk.mjs";
import { testBed } from "../support/harness.mjs";

const bed = testBed();

const nav = (page, name) =>
  page.getByRole("navigation", { name: "Views" }).getByRole("button", { name, exact: true });

async function find(page, who) {
  await page.getByLabel("Customer email or id").fill(who);
  await page.getByRole("button", { name: "Find" }).click();
}

test("a customer's data is exported on request, then erased from everything on the device", async () => {
  const context = await bed.profile({ acceptDownloads: true });
  const page = await context.page();
  const errors = page.errors;
  // Marta first writes from the help centre, with a photo, on this same device.
  const portal = new PortalPage(await context.page());
  await portal.open(bed.url);
  await portal.page.getByRole("button", { name: "New ticket" }).click();
  await portal.page.getByLabel("Attachments").setInputFiles({ name: "dni.png", mimeType: "image/png", buffer: Buffer.from("a photo of an ID card") });
  await portal.page.getByRole("list", { name: "Chosen files" }).getByText("dni.png").waitFor();
  await portal.page.getByLabel("Subject").fill("Foto de mi DNI para el reembolso");
  await portal.page.getByLabel("Description").fill("Adjunto la foto.");
  await portal.page.getByLabel("Name", { exact: true }).fill("Marta Ruiz");
  await portal.page.getByLabel("Email", { exact: true }).fill("marta@example.com");
  await portal.page.getByRole("button", { name: "Send ticket" }).click();
  await portal.page.getByRole("heading", { name: "We received your ticket" }).waitFor();
  await portal.page.close();

  const agent = new ConsolePage(page);
  await agent.open(bed.url);
  assert.equal(await storedFiles(page), 1, "the photo is kept on this device");
  const code = await agent.logTicket("Mi pedido 555 no llegó", { name: "Marta Ruiz", email: "marta@example.com" });
  await page.getByLabel("Reply to customer").fill("Hola Marta, ¿nos confirmas tu DNI 12345678Z?");
  await page.getByRole("button", { name: "Send reply", exact: true }).click();
  await page.getByText("¿nos confirmas tu DNI 12345678Z?").waitFor();
  const other = await agent.logTicket("Someone else's ticket", { name: "Otro Cliente", email: "otro@example.com" });

  await nav(page, "Data and backups").click();
  await page.getByRole("button", { name: "Find" }).click();
  await page.getByText("This field is required.").waitFor();
  await find(page, "MARTA@example.com");
  await page.getByText("2 tickets of this customer.").waitFor();
  await page.getByRole("listitem").filter({ hasText: code }).getByText("Mi pedido 555 no llegó").waitFor();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export their data" }).click(),
  ]);
  const copy = join(ARTIFACTS, "customer-data.json");
  await download.saveAs(copy);
  const data = JSON.parse(await readFile(copy, "utf8"));
  assert.equal(data.format, "mostrador-customer-data");
  assert.equal(data.tickets.length, 2);
  assert.deepEqual(data.tickets.map((t) => t.subject).sort(), ["Foto de mi DNI para el reembolso", "Mi pedido 555 no llegó"]);
  assert.equal(data.requester.email, "marta@example.com");
  await page.getByText("Data exported; recorded in the history of 2 tickets.").waitFor();

  await page.getByRole("button", { name: "Erase their data" }).click();
  await page.getByText("Check the confirmation to erase.").waitFor();
  await page.getByLabel("The customer asked for erasure; I understand this cannot be undone.").check();
  await assertAccessible(page, assert, "customer data");
  await page.screenshot({ path: join(ARTIFACTS, "data-erasure.png"), fullPage: true });
  await page.getByRole("button", { name: "Erase their data" }).click();
  await page.getByText("Personal data erased from 2 tickets; recorded in their history.").waitFor();
  assert.equal(await storedFiles(page), 0, "the photo's bytes are gone from the device");

  // The inbox, the ticket and the search no longer show anything personal.
  await agent.view("All");
  assert.equal(await page.getByRole("table").getByText("Mi pedido 555 no llegó").count(), 0);
  await agent.openTicket(code, code);
  await page.getByText("This ticket's personal data was erased at the customer's request.").waitFor();
  for (const s of ["Marta Ruiz", "marta@example.com", "12345678Z"]) {
    assert.equal(await page.getByText(s).count(), 0, `${s} is still shown`);
  }
  await page.getByText("History", { exact: true }).click();
  await page.getByText("gave the customer a copy of their data").waitFor();
  await page.getByText("erased the customer's personal data").waitFor();
  await assertAccessible(page, assert, "erased ticket");
  await agent.view("All");
  await page.getByLabel("Search tickets").fill("pedido 555");
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  await agent.row(other).waitFor({ state: "detached" });
  assert.equal(await agent.row(code).count(), 0, "the erased subject is not searchable");

  // An export of everything holds no trace of her either: the stored events were redacted.
  await nav(page, "Data and backups").click();
  const [all] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export everything" }).click(),
  ]);
  const file = join(ARTIFACTS, "export-after-erasure.json");
  await all.saveAs(file);
  const text = await readFile(file, "utf8");
  for (const s of ["Marta", "marta@example.com", "12345678Z", "pedido 555", "DNI para", "dni.png"]) {
    assert.ok(!text.includes(s), `the export still holds "${s}"`);
  }
  assert.ok(text.includes("Otro Cliente"), "the other customer's ticket is untouched");

  await find(page, "marta@example.com");
  await page.getByText("0 tickets of this customer.").waitFor();
  await find(page, "otro@example.com");
  await page.getByText("1 ticket of this customer.").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
