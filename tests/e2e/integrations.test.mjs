// A CRM meets the help desk: an admin creates an API key and a webhook in the console (real
// sync server binary, embedded SQLite, loopback HTTP); a ticket opened in the portal reaches the
// CRM's receiver, signed as documented; a reply posted through the REST API with the key
// appears in the customer's portal.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { ConsolePage, PortalPage } from "../support/helpdesk.mjs";
import { assertAccessible } from "../support/a11y.mjs";
import { testBed, until } from "../support/harness.mjs";

const bed = testBed({ sync: true });
let receiver;
const received = [];

before(async () => {
  // The CRM's webhook receiver, on loopback (plain http is allowed there only).
  receiver = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise((ok) => receiver.listen(0, "127.0.0.1", ok));
});

after(async () => {
  await new Promise((ok) => (receiver ? receiver.close(ok) : ok()));
});

/** The check the README gives a receiver: HMAC-SHA256 over "<t>.<body>" with the secret. */
function verifies(secret, header, body) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=")));
  const expected = createHmac("sha256", secret).update(`${parts.t}.${body}`).digest("hex");
  return parts.v1?.length === expected.length && timingSafeEqual(Buffer.from(parts.v1), Buffer.from(expected));
}


test("an admin's key and webhook connect a CRM both ways", async () => {
  const q = bed.syncQuery;
  const agentContext = await bed.profile();
  const page = await agentContext.page();
  const errors = page.errors;
  await new ConsolePage(page).signIn(bed.url, bed.sync.url);
  await page.getByRole("button", { name: "Integrations" }).click();
  await page.getByRole("heading", { name: "Integrations" }).waitFor();
  await page.getByText("No keys yet.").waitFor();

  // A key with no scope is refused beside the form; then one that reads and writes tickets.
  await page.getByLabel("Key name").fill("CRM");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("alert").getByText("Choose at least one.").first().waitFor();
  await page.getByLabel("tickets:read").check();
  await page.getByLabel("tickets:write").check();
  await page.getByRole("button", { name: "Create key" }).click();
  const keyField = page.getByLabel("New key");
  await keyField.waitFor();
  const key = await keyField.inputValue();
  assert.match(key, /^mk_[0-9a-f]{64}$/);
  await page.getByRole("cell", { name: "CRM", exact: true }).waitFor();

  // A webhook to the receiver for new tickets and public replies.
  const hookUrl = `http://127.0.0.1:${receiver.address().port}/mostrador`;
  await page.getByLabel("Endpoint URL (HTTPS)").fill(hookUrl);
  await page.getByLabel("ticket_created").check();
  await page.getByLabel("public_reply").check();
  await page.getByRole("button", { name: "Add webhook" }).click();
  const secretField = page.getByLabel("Signing secret");
  await secretField.waitFor();
  const secret = await secretField.inputValue();
  assert.match(secret, /^whsec_/);
  await page.getByText(hookUrl).waitFor();
  await assertAccessible(page, assert, "integrations page");

  // A customer opens a ticket in the portal: the receiver gets it, signed.
  const customerContext = await bed.profile();
  const portal = new PortalPage(await customerContext.page());
  const portalErrors = portal.page.errors;
  await portal.page.goto(`${bed.url}/?${q}`);
  await portal.page.locator('.mo-sync[data-state="synced"]').waitFor();
  const subject = "Order 5521 never arrived";
  await portal.openTicket({ subject, description: "Tracking stopped a week ago." });
  const created = await until("the ticket_created webhook", () =>
    received.find((r) => r.headers["mostrador-event"] === "ticket_created"),
  );
  assert.ok(verifies(secret, created.headers["mostrador-signature"], created.body), "the signature verifies");
  assert.ok(created.headers["mostrador-delivery"], "an idempotency id");
  const payload = JSON.parse(created.body);
  assert.ok(JSON.stringify(payload).includes(subject), "the payload names the ticket");

  // The delivery log shows it delivered.
  await page.getByRole("button", { name: `Deliveries ${hookUrl}` }).click();
  await page.getByRole("table", { name: "Deliveries" }).getByText("ticket_created").waitFor();

  // The CRM answers through the REST API with the key; the customer sees the reply.
  const list = await fetch(`${bed.sync.url}/v1/api/tickets`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(list.status, 200);
  const tickets = JSON.stringify(await list.json());
  const id = tickets.match(/"id":"([^"]+)"/)?.[1];
  assert.ok(id, `a ticket id in ${tickets.slice(0, 200)}`);
  const reply = await fetch(`${bed.sync.url}/v1/api/tickets/${encodeURIComponent(id)}/replies`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ body: "Our CRM found it: a new parcel left today." }),
  });
  assert.ok(reply.status >= 200 && reply.status < 300, `reply answered ${reply.status}: ${await reply.text()}`);
  await portal.showTicket(subject);
  await portal.page.getByText("a new parcel left today").waitFor();

  // Revoked, the key is refused.
  await page.getByRole("button", { name: "Revoke CRM" }).click();
  await page.getByRole("cell", { name: "Revoked" }).waitFor();
  const refused = await fetch(`${bed.sync.url}/v1/api/tickets`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(refused.status, 401);

  assert.deepEqual(errors, []);
  assert.deepEqual(portalErrors, []);
  await agentContext.close();
  await customerContext.close();
});
