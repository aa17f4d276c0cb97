// A customer's widget and an agent's console in two separate browser profiles meet through the
// reference sync server (real binary, embedded SQLite, real HTTP on loopback); the customer goes
// offline and comes back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { PortalPage, ConsolePage, storedFiles } from "../support/helpdesk.mjs";
import { startSyncServer } from "../support/sync-server.mjs";
import { testBed, synced } from "../support/harness.mjs";

const bed = testBed({ sync: true });

/** A customer's profile with the portal's page and an agent's with the console's, and the
 * errors each page reports. */
async function pair() {
  const customerContext = await bed.profile();
  const agentContext = await bed.profile();
  const portal = new PortalPage(await customerContext.page());
  const agent = new ConsolePage(await agentContext.page());
  const errors = [portal.page, agent.page].map((p) => p.errors);
  return { customerContext, agentContext, portal, agent, errors };
}

test("a ticket travels between a customer and an agent in two profiles, offline and back", async () => {
  const { customerContext, agentContext, portal, agent, errors } = await pair();
  const q = bed.syncQuery;

  // The customer's device gets an anonymous session and opens a ticket.
  await portal.page.goto(`${bed.url}/?${q}`);
  await synced(portal.page);
  const subject = "The blender arrived broken";
  const code = await portal.openTicket({ subject, description: "The jar is cracked." });
  await synced(portal.page);

  // Idle means idle: the live stream prompts pulls; nothing polls in a loop.
  const pulls = [];
  const countPulls = (r) => { if (r.url().includes("/v1/events?")) pulls.push(r.url()); };
  portal.page.on("request", countPulls);
  await portal.page.waitForTimeout(3000);
  portal.page.off("request", countPulls);
  assert.ok(pulls.length <= 2, `${pulls.length} pulls in 3 s of quiet`);

  // The agent signs in on another profile and finds it, pulled from the server.
  await agent.page.goto(`${bed.url}/?mode=console&${q}`);
  await agent.page.getByLabel("Agent user").fill("admin");
  await agent.page.getByLabel("Password").fill("wrong");
  await agent.page.getByRole("button", { name: "Sign in" }).click();
  await agent.page.getByRole("alert").getByText("Wrong user or password.").waitFor();
  await agent.page.getByLabel("Password").fill("correct horse battery");
  await agent.page.getByRole("button", { name: "Sign in" }).click();
  await agent.page.getByRole("navigation", { name: "Views" }).waitFor();
  await agent.view("All");
  await agent.row(code).waitFor();
  await agent.openTicket(code, subject);
  await agent.page.getByLabel("Reply to customer").fill("Sorry! A new one ships today.");
  await agent.page.getByRole("button", { name: "Send reply", exact: true }).click();

  // The customer sees the answer live.
  await portal.showTicket(subject);
  await portal.page.getByText("A new one ships today").waitFor();
  assert.equal(await portal.status().textContent(), "Answered");

  // Offline: the customer's reply waits in the outbox…
  await customerContext.setOffline(true);
  await portal.page.locator('.mo-sync[data-state="offline"]').waitFor();
  await portal.page.getByLabel("Your reply").fill("Thanks, written on the train.");
  await portal.page.getByRole("button", { name: "Send reply" }).click();
  await portal.page.getByText("written on the train").waitFor();
  await agent.page.waitForTimeout(1500);
  assert.equal(await agent.page.getByText("written on the train").count(), 0, "nothing left the offline device");

  // …and reaches the agent when the network returns.
  await customerContext.setOffline(false);
  await agent.page.getByText("written on the train").waitFor({ timeout: 60_000 });
  await agent.page.locator(".mo-ticket-meta").getByText("Open", { exact: true }).waitFor();
  await synced(portal.page);
  assert.equal(await portal.status().textContent(), "Open");

  // An agent's internal note never reaches the customer's device.
  await agent.page.getByRole("button", { name: "Internal note", exact: true }).click();
  await agent.page.getByLabel("Internal note (agents only)").fill("Supplier batch 7 is faulty.");
  await agent.page.getByRole("button", { name: "Add note" }).click();
  await agent.page.locator(".mo-msg-internal").getByText("Supplier batch 7").waitFor();
  await agent.page.getByRole("button", { name: "Public reply", exact: true }).click();
  await agent.page.getByLabel("Reply to customer").fill("The courier picks the old one up on Monday.");
  await agent.page.getByRole("button", { name: "Send reply", exact: true }).click();
  await portal.page.getByText("picks the old one up").waitFor();
  assert.equal(await portal.page.getByText("Supplier batch 7").count(), 0);

  // The browser logs the refused sign-in (401) from the wrong password above; nothing else.
  const [customerErrors, agentErrors] = errors;
  assert.deepEqual(customerErrors, []);
  assert.deepEqual(agentErrors.filter((e) => !/status of 401/.test(e)), []);
  assert.equal(agentErrors.length, 1, agentErrors.join("\n"));
  await customerContext.close();
  await agentContext.close();
});

test("a customer's screenshot reaches the agent on another profile, byte for byte", async () => {
  const customerContext = await bed.profile();
  const agentContext = await bed.profile({ acceptDownloads: true });
  const p = await customerContext.page();
  const a = await agentContext.page();
  const errors = [p, a].map((p) => p.errors);
  const q = bed.syncQuery;
  const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, n) => (n * 31 + 7) % 256));

  await p.goto(`${bed.url}/?${q}`);
  await synced(p);
  await p.getByRole("button", { name: "New ticket" }).click();
  await p.getByLabel("Attachments").setInputFiles({ name: "screen.png", mimeType: "image/png", buffer: bytes });
  await p.getByRole("list", { name: "Chosen files" }).getByText("screen.png").waitFor();
  await p.getByLabel("Subject").fill("The checkout page is blank");
  await p.getByLabel("Description").fill("Screenshot attached.");
  await p.getByLabel("Name", { exact: true }).fill("Lucía Pérez");
  await p.getByLabel("Email", { exact: true }).fill("marta.files@example.com");
  // The bytes follow the ticket once the server has accepted it.
  const uploaded = p.waitForResponse((r) => r.url().includes("/v1/files/") && r.request().method() === "PUT");
  await p.getByRole("button", { name: "Send ticket" }).click();
  await p.getByRole("heading", { name: "We received your ticket" }).waitFor();
  const code = (await p.locator(".mo-confirm .mo-code").textContent()).trim();
  assert.equal((await uploaded).status(), 201);

  const agent = new ConsolePage(a);
  await agent.signIn(bed.url, bed.sync.url);
  await agent.view("All");
  await agent.openTicket(code, "The checkout page is blank");
  // Fetched from the server on the first click, then kept on the agent's device.
  for (const round of [1, 2]) {
    const fetched = [];
    const watch = (r) => { if (r.url().includes("/v1/files/")) fetched.push(r.url()); };
    a.on("request", watch);
    const download = a.waitForEvent("download");
    await a.getByRole("button", { name: /^screen\.png/ }).click();
    const file = await download;
    a.off("request", watch);
    assert.equal(file.suggestedFilename(), "screen.png");
    const got = await readFile(await file.path());
    assert.ok(got.equals(bytes), `round ${round}: the agent got ${got.length} bytes, not the customer's ${bytes.length}`);
    assert.equal(fetched.length, round === 1 ? 1 : 0, `round ${round}: ${fetched.join(", ")}`);
  }
  assert.equal(await storedFiles(p), 1);
  assert.equal(await storedFiles(a), 1);

  // The customer asks for erasure: the bytes leave the agent's device, the server and the
  // customer's device when the erasure reaches it.
  await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Data and backups", exact: true }).click();
  await a.getByLabel("Customer email or id").fill("marta.files@example.com");
  await a.getByRole("button", { name: "Find" }).click();
  await a.getByText(/^1 tickets? of this customer\.$/).waitFor();
  await a.getByLabel("The customer asked for erasure; I understand this cannot be undone.").check();
  await a.getByRole("button", { name: "Erase their data" }).click();
  await a.getByText(/^Personal data erased from 1 tickets?;/).waitFor();
  assert.equal(await storedFiles(a), 0);
  await synced(a);
  await p.waitForFunction(async () => {
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); });
      const n = db.objectStoreNames.contains("attachments")
        ? await new Promise((ok) => { const r = db.transaction("attachments").objectStore("attachments").count(); r.onsuccess = () => ok(r.result); })
        : 0;
      db.close();
      if (n) return false;
    }
    return true;
  }, null, { polling: 500, timeout: 30_000 });

  const [customerErrors, agentErrors] = errors;
  assert.deepEqual(customerErrors, []);
  assert.deepEqual(agentErrors, []);
  await customerContext.close();
  await agentContext.close();
});

test("an admin's category and article reach the customer's open portal on another profile", async () => {
  const { customerContext, agentContext, portal, agent, errors } = await pair();
  const q = bed.syncQuery;

  // The customer's portal is open before anything is published.
  await portal.page.goto(`${bed.url}/?${q}`);
  await synced(portal.page);
  const category = portal.page.getByLabel("Category");
  assert.equal(await category.locator("option", { hasText: "Warranty claims" }).count(), 0);

  const a = agent.page;
  await agent.signIn(bed.url, bed.sync.url);

  // The admin adds a category…
  await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Settings", exact: true }).click();
  await a.getByRole("heading", { name: "Settings", exact: true }).waitFor();
  await a.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Teams and categories" }).click();
  await a.getByRole("button", { name: "Add category" }).click();
  await a.getByLabel("Category name").last().fill("Warranty claims");
  // …and a field customers must fill in.
  await a.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Ticket rules" }).click();
  await a.getByRole("button", { name: "Add field" }).click();
  await a.getByLabel("Key (e.g. order_number)").last().fill("serial_number");
  await a.getByLabel("Label", { exact: true }).last().fill("Serial number");
  await a.getByLabel("Required from customers").last().check();
  await a.getByRole("button", { name: "Save settings" }).click();
  await a.getByText("Settings saved.").waitFor();

  // …and publishes an article.
  await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Help articles" }).click();
  await a.getByRole("button", { name: "New article" }).click();
  await a.getByLabel("Title").fill("How warranty claims work");
  await a.getByLabel("Article text").fill("Send a photo of the **serial number**.");
  await a.getByRole("button", { name: "Publish" }).click();
  await a.getByRole("row").filter({ hasText: "How warranty claims work" }).getByText("Published", { exact: true }).waitFor();
  await synced(a);

  // The customer's open form offers the category and the help centre lists the article, with
  // no reload.
  await category.locator("option", { hasText: "Warranty claims" }).waitFor({ state: "attached", timeout: 30_000 });
  await portal.page.getByLabel("Serial number").waitFor();
  await portal.page.getByLabel("Subject").fill("warranty claim");
  await portal.page.getByRole("complementary").getByRole("button", { name: "How warranty claims work" }).click();
  await portal.page.getByRole("heading", { name: "How warranty claims work" }).waitFor();
  await portal.page.locator("strong").getByText("serial number").waitFor();

  // The new field is required beside it, then the ticket goes through with it.
  const p = portal.page;
  await p.getByRole("button", { name: "Still need help? Open a ticket" }).click();
  await p.getByLabel("Subject").fill("My kettle's warranty");
  await p.getByLabel("Description").fill("Bought in March.");
  await p.getByLabel("Category").selectOption({ label: "Warranty claims" });
  await p.getByLabel("Name", { exact: true }).fill("Lucía Pérez");
  await p.getByLabel("Email", { exact: true }).fill("lucia@example.com");
  await p.getByRole("button", { name: "Send ticket" }).click();
  await p.locator(".mo-field").filter({ has: p.getByLabel("Serial number") }).getByText("This field is required.").waitFor();
  await p.getByLabel("Serial number").fill("SN-2291");
  await p.getByRole("button", { name: "Send ticket" }).click();
  await p.getByRole("heading", { name: "We received your ticket" }).waitFor();
  const code = (await p.locator(".mo-confirm .mo-code").textContent()).trim();
  await synced(p);
  await agent.view("All");
  await agent.openTicket(code, "My kettle's warranty");
  await a.getByLabel("Serial number").waitFor();
  assert.equal(await a.getByLabel("Serial number").inputValue(), "SN-2291");

  const [customerErrors, agentErrors] = errors;
  assert.deepEqual(customerErrors, []);
  assert.deepEqual(agentErrors, []);
  await customerContext.close();
  await agentContext.close();
});

test("with a server, a customer's ticket is routed, woken and auto-closed by the server's rules", async () => {
  // A desk whose settings file routes to the one agent and closes resolved tickets after 2 s;
  // the server runs its rules every second.
  const desk = await startSyncServer({
    settings: {
      domain: { auto_close_after_secs: 2 },
      agents: [{ id: "admin", name: "Ada Admin", email: "ada@example.com", capacity: 10 }],
    },
    env: { MOSTRADOR_RULES_INTERVAL: "1" },
  });
  const { customerContext, agentContext, portal, agent, errors } = await pair();
  try {
    const q = `sync=${encodeURIComponent(desk.url)}`;

    await portal.page.goto(`${bed.url}/?${q}`);
    await synced(portal.page);
    const subject = "The kettle does not switch on";
    const code = await portal.openTicket({ subject, description: "Nothing happens." });
    await synced(portal.page);

    // The server routed it as System, to the only agent, right after the push.
    const login = await fetch(`${desk.url}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "mostrador-protocol": "2" },
      body: JSON.stringify({ agent_id: "admin", password: "correct horse battery" }),
    });
    const { token } = await login.json();
    const pulled = await (await fetch(`${desk.url}/v1/events?after=0&limit=100`, {
      headers: { authorization: `Bearer ${token}`, "mostrador-protocol": "2" },
    })).json();
    const assigned = pulled.events.map((p) => p.event).filter((e) => e.payload.type === "assigned");
    assert.equal(assigned.length, 1, JSON.stringify(pulled.events.map((p) => p.event.payload.type)));
    assert.equal(assigned[0].payload.agent, "admin");
    assert.equal(assigned[0].actor.kind, "system");

    // The agent resolves it; the server closes it 2 s later and the customer's portal shows it.
    await agent.signIn(bed.url, desk.url);
    await agent.view("All");
    await agent.row(code).waitFor();
    await agent.openTicket(code, subject);

    // Postponed a few seconds ahead, the ticket is woken by the server at its date.
    const meta = agent.page.locator(".mo-ticket-meta");
    const soon = await agent.page.evaluate(() => {
      const d = new Date(Date.now() + 4000);
      const p = (n) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    });
    await agent.page.getByLabel("Postpone until").fill(soon);
    await agent.page.getByRole("button", { name: "Postpone", exact: true }).click();
    await meta.getByText("Postponed", { exact: true }).waitFor();
    await meta.getByText("Postponed", { exact: true }).waitFor({ state: "detached", timeout: 30_000 });

    await agent.page.getByRole("button", { name: "Resolve", exact: true }).click();
    await meta.getByText("Resolved").waitFor();
    await portal.showTicket(subject);
    await portal.page.locator(".mo-ticket-meta").getByText("Closed").waitFor({ timeout: 30_000 });
    await agent.page.locator(".mo-ticket-meta").getByText("Closed").waitFor({ timeout: 30_000 });

    const [customerErrors, agentErrors] = errors;
    assert.deepEqual(customerErrors, []);
    assert.deepEqual(agentErrors, []);
  } finally {
    await customerContext.close();
    await agentContext.close();
    await desk.stop();
  }
});
