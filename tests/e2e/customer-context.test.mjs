// Customer context from the site: the host's backend signs the visitor's plan, customer-since
// date, recent orders and CRM link into an `mc2.` token (real sync server binary, embedded
// SQLite, loopback HTTP); the visitor opens a ticket in the portal; an agent on another browser
// profile sees the context on the ticket's requester card (plain text, the CRM link opening in a
// new tab) and finds the ticket by an order number.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { assertAccessible } from "../support/a11y.mjs";
import { ConsolePage } from "../support/helpdesk.mjs";
import { testBed } from "../support/harness.mjs";

const SECRET = "a-long-random-secret-shared-with-the-site";

/** What the site's backend does: the README's `customerToken`. */
function customerToken(userId, context) {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const ctx = Buffer.from(JSON.stringify(context)).toString("base64url");
  const sig = createHmac("sha256", SECRET).update(`mc2.${exp}.${ctx}.${userId}`).digest("hex");
  return `mc2.${exp}.${ctx}.${sig}.${userId}`;
}

const bed = testBed({ sync: { env: { MOSTRADOR_CUSTOMER_SECRET: SECRET } } });

const CONTEXT = {
  plan: "Enterprise <b>gold</b>",
  customer_since: "2021-03-04",
  orders: ["A-1002", "A-1001"],
  crm_url: "https://crm.example.com/contacts/42",
};

test("the context the site signed reaches the agent's requester card and search", async () => {
  const q = bed.syncQuery;
  // The customer's page mounts the app with the identity its backend signed, as a host page does.
  const customer = await (await bed.profile()).page();
  const identity = { id: "cust-42", name: "Ada Lovelace", email: "ada@example.com", signature: customerToken("cust-42", CONTEXT) };
  await customer.addInitScript((identity) => {
    addEventListener(
      "TrunkApplicationStarted",
      () => {
        const syncUrl = new URLSearchParams(location.search).get("sync");
        window.mostradorApp = window.wasmBindings.mount(document.getElementById("app"), { mode: "portal", syncUrl, identity });
      },
      { once: true },
    );
  }, identity);
  await customer.goto(`${bed.url}/?${q}`);
  await customer.locator('.mo-sync[data-state="synced"]').waitFor();
  await customer.getByRole("button", { name: "New ticket" }).click();
  const subject = "Order A-1002 arrived broken";
  await customer.getByLabel("Subject").fill(subject);
  await customer.getByLabel("Description").fill("The box was crushed.");
  // The site vouched for who they are: no contact fields to fill.
  assert.equal(await customer.getByLabel("Email", { exact: true }).count(), 0);
  await customer.getByRole("button", { name: "Send ticket" }).click();
  await customer.getByRole("heading", { name: "We received your ticket" }).waitFor();
  await customer.locator('.mo-sync[data-state="synced"]').waitFor();

  // An agent on another profile.
  const agent = await (await bed.profile()).page();
  await new ConsolePage(agent).signIn(bed.url, bed.sync.url);

  // An order number finds the ticket.
  await agent.getByLabel("Search tickets").fill("A-1001");
  await agent.getByLabel("Search tickets").press("Enter");
  const row = agent.getByRole("table").getByRole("button", { name: new RegExp(subject) });
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await agent.getByRole("heading", { name: subject }).waitFor();

  const card = agent.getByRole("region", { name: "Requester" });
  const context = card.getByRole("group", { name: "From the site" });
  await context.waitFor();
  const text = await context.innerText();
  // Shown as text, never as markup.
  assert.match(text, /Plan\s+Enterprise <b>gold<\/b>/);
  assert.equal(await context.locator("b").count(), 0);
  assert.match(text, /Customer since\s+Mar 4, 2021/);
  assert.match(text, /Orders\s+A-1002, A-1001/);
  const link = context.getByRole("link", { name: "Open in the CRM (new tab)" });
  assert.equal(await link.getAttribute("href"), CONTEXT.crm_url);
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.match(await link.getAttribute("rel"), /noopener/);
  const box = await link.boundingBox();
  assert.ok(box.height >= 24, `the CRM link is ${box.height}px tall`);
  await assertAccessible(agent, assert, "ticket with customer context");

  // In Spanish the labels and the date follow the language.
  await agent.getByRole("combobox", { name: "Language" }).selectOption("es");
  await agent.getByRole("group", { name: "Datos del sitio" }).getByText("04/03/2021").waitFor();

  assert.deepEqual(customer.errors, []);
  assert.deepEqual(agent.errors, []);
});
