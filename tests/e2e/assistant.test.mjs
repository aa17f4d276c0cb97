// The self-service assistant: an admin switches the sample flow on; one visitor follows it by
// keyboard to an answer that solves it, another hands off and the ticket arrives with the
// category, tags and transcript the path set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS } from "../support/paths.mjs";
import { assertAccessible } from "../support/a11y.mjs";
import { ConsolePage } from "../support/helpdesk.mjs";
import { testBed } from "../support/harness.mjs";

const bed = testBed({ sync: true });

/** Whether `locator`'s element has the focus inside its own (shadow) root. */
async function focused(locator) {
  return locator.evaluate((el) => el.getRootNode().activeElement === el);
}

test("visitors follow the assistant to an answer, by keyboard, and to a person with the path's ticket", async () => {
  const context = await bed.profile();
  const agent = new ConsolePage(await context.page());
  const errors = [agent.page.errors];
  const a = agent.page;
  await agent.open(bed.url);
  await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Settings", exact: true }).click();
  await a.getByRole("heading", { name: "Settings", exact: true }).waitFor();
  await a.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Assistant" }).click();
  const flow = a.getByRole("group", { name: "Quick help" });
  await flow.getByText("Steps: 9").waitFor();
  assert.equal(await flow.getByLabel("Offer it to visitors").isChecked(), false, "the sample comes switched off");
  await flow.getByLabel("Offer it to visitors").check();
  await a.getByRole("button", { name: "Save settings" }).click();
  await a.getByText("Settings saved.", { exact: false }).waitFor();

  // The first visitor: the assistant is the first thing the portal shows.
  const portal = await context.page();
  errors.push(portal.errors);
  await portal.setViewportSize({ width: 360, height: 740 });
  await portal.goto(bed.url + "/");
  const log = portal.getByRole("log", { name: "Ask the assistant" });
  await log.getByText("Hi! What can we help you with?").waitFor();
  assert.equal(await portal.getByRole("button", { name: "Assistant", exact: true }).getAttribute("aria-current"), "page");
  await assertAccessible(portal, assert, "assistant at 360 px");
  // Keyboard only: every option is a button, and after each answer the focus is on the next
  // choice.
  const signIn = portal.getByRole("button", { name: "I cannot sign in" });
  await signIn.focus();
  await portal.keyboard.press("Enter");
  await log.getByText("Forgot password").waitFor();
  await log.getByText("Did that help?").waitFor();
  const yes = portal.getByRole("button", { name: "Yes, that solved it" });
  for (let n = 0; n < 50 && !(await focused(yes)); n++) await portal.waitForTimeout(20);
  assert.ok(await focused(yes), "the focus moved to the check's first answer");
  await portal.keyboard.press("Enter");
  await log.getByText("Great! If you need anything else, we are here.").waitFor();
  // Free text searches the articles at any point.
  await portal.getByLabel("Or type your question").fill("reset password");
  await portal.getByRole("button", { name: "Search", exact: true }).click();
  await log.getByRole("button", { name: "How to reset your password" }).click();
  await log.getByRole("heading", { name: "How to reset your password" }).waitFor();
  await portal.screenshot({ path: join(ARTIFACTS, "assistant-answered.png") });

  // The second visitor: a return, which collects the order and hands off.
  await portal.getByRole("button", { name: "Start over" }).click();
  await portal.getByRole("button", { name: "I want to return something" }).click();
  await portal.getByRole("button", { name: "Continue" }).click();
  await portal.getByText("Please fill in “Order number”.").waitFor();
  await portal.getByLabel("Order number").fill("A-1001");
  await portal.getByLabel("What is wrong with it?").fill("The lid is broken");
  await portal.getByRole("button", { name: "Continue" }).click();
  await log.getByText("Let us put you in touch with the team.", { exact: false }).waitFor();
  await assertAccessible(portal, assert, "assistant hand-off");
  await portal.getByRole("button", { name: "Write to the team" }).click();
  await portal.getByText("Your conversation with the assistant is attached to the ticket.", { exact: false }).waitFor();
  assert.equal(await portal.getByLabel("Category").inputValue(), "Orders");
  // What the visitor sees chosen (the option's value is the core's name, `task`).
  assert.equal(await portal.getByLabel("Type").evaluate((s) => s.selectedOptions[0].textContent), "Task");
  await portal.getByLabel("Subject").fill("Return of A-1001");
  await portal.getByLabel("Name", { exact: true }).fill("Lucía Pérez");
  await portal.getByLabel("Email", { exact: true }).fill("lucia@example.com");
  await portal.getByRole("button", { name: "Send ticket" }).click();
  await portal.getByRole("heading", { name: "We received your ticket" }).waitFor();
  const code = (await portal.locator(".mo-confirm .mo-code").textContent()).trim();

  // The agent sees the path's set-up and the transcript.
  await a.reload();
  await agent.view("All");
  await agent.openTicket(code, "Return of A-1001");
  const tags = a.getByRole("list", { name: "Tags" });
  assert.deepEqual((await tags.getByRole("listitem").allTextContents()).map((t) => t.replace("×", "").trim()).sort(), ["assistant", "return"]);
  assert.equal(await a.getByRole("combobox", { name: "Category" }).inputValue(), "Orders");
  await a.getByText("— Conversation with the assistant —", { exact: false }).first().waitFor();
  await a.getByText("Order number: A-1001", { exact: false }).first().waitFor();
  // The dashboard: two conversations, one answered (a ticket avoided), one handed off.
  await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Dashboard", exact: true }).click();
  await a.getByText("Quick help — started: 2 · answered by the assistant: 1 (50", { exact: false }).waitFor();
  await a.getByText("handed off to a person: 1 · tickets avoided: 1", { exact: false }).waitFor();
  await assertAccessible(a, assert, "dashboard with the assistant");
  assert.deepEqual(errors.flat(), []);
  await context.close();
});

test("an admin builds a two-level flow on one profile; a visitor on another follows it to a person", async () => {
  const agentContext = await bed.profile();
  const visitorContext = await bed.profile();
  const readerContext = await bed.profile({ locale: "es-ES" });
  try {
    const agent = new ConsolePage(await agentContext.page());
    const a = agent.page;
    const errors = [a.errors];
    const q = bed.syncQuery;
    await agent.signIn(bed.url, bed.sync.url);
    // An article for the flow to answer with.
    await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Help articles" }).click();
    await a.getByRole("button", { name: "New article" }).click();
    await a.getByLabel("Title").fill("Where to find your invoices");
    await a.getByLabel("Article text").fill("Open **My account** and choose *Invoices*.");
    await a.getByRole("button", { name: "Publish" }).click();
    await a.getByRole("row").filter({ hasText: "Where to find your invoices" }).getByText("Published", { exact: true }).waitFor();
    // …and the same answer written for visitors who read Spanish.
    await a.getByRole("button", { name: "New article" }).click();
    await a.getByLabel("Title").fill("Dónde encontrar tus facturas");
    await a.getByRole("region", { name: "Help articles" }).getByLabel("Language").selectOption("es");
    await a.getByLabel("Article text").fill("Abre **Mi cuenta** y elige *Facturas*.");
    await a.getByRole("button", { name: "Publish" }).click();
    await a.getByRole("row").filter({ hasText: "Dónde encontrar tus facturas" }).getByText("Published", { exact: true }).waitFor();
    await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Settings", exact: true }).click();
    await a.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Assistant" }).click();
    await a.getByRole("button", { name: "Add a flow" }).click();
    const flow = a.getByRole("group", { name: "New flow" });
    await flow.getByLabel("Flow name · English").fill("Billing help");
    await flow.getByText("Steps (1)").click();
    // The new flow's question has no text and no options yet: the core says so beside it.
    const start = flow.getByRole("group", { name: "Step 1: start" });
    await start.getByRole("list", { name: "Problems of this step" }).getByText("The question offers no options.").waitFor();
    await start.getByLabel("Text · English").fill("What is it about?");
    // Two more steps: a second question, and a hand-off.
    for (let n = 0; n < 4; n++) await flow.getByRole("button", { name: "Add step" }).click();
    const second = flow.getByRole("group", { name: "Step 2: step-2" });
    await second.getByLabel("Kind of step").selectOption({ label: "Question with options" });
    await second.getByLabel("Step identifier").fill("invoice");
    await second.getByLabel("Step identifier").press("Tab");
    const invoice = flow.getByRole("group", { name: "Step 2: invoice" });
    await invoice.getByLabel("Text · English").fill("Which invoice?");
    const person = flow.getByRole("group", { name: "Step 3: step-3" });
    await person.getByLabel("Kind of step").selectOption({ label: "Hand-off to a person" });
    await person.getByLabel("Text · English").fill("Our billing team will take it from here.");
    await person.getByLabel("Type").selectOption({ label: "Incident" });
    await person.getByLabel("Category").selectOption({ index: 1 });
    const category = await person.getByLabel("Category").inputValue();
    await person.getByLabel("Ticket tags (comma-separated)").fill("Billing, Assistant");
    await person.getByLabel("Ticket tags (comma-separated)").press("Tab");
    // An article, then "did it solve it?", which hands off when it did not.
    const article = flow.getByRole("group", { name: "Step 4: step-4" });
    await article.getByLabel("Kind of step").selectOption({ label: "Help article" });
    await article.getByLabel("Article", { exact: true }).selectOption({ label: "Where to find your invoices (en)" });
    // Only Spanish articles are offered for Spanish readers.
    const spanish = article.getByLabel("Article · Español");
    assert.deepEqual(await spanish.locator("option").allTextContents(), ["(the article above)", "Dónde encontrar tus facturas"]);
    await spanish.selectOption({ label: "Dónde encontrar tus facturas" });
    await article.getByLabel("Then").selectOption("step-5");
    const check = flow.getByRole("group", { name: "Step 5: step-5" });
    await check.getByLabel("Kind of step").selectOption({ label: "Did it solve it?" });
    await check.getByLabel("Text · English").fill("Did that answer it?");
    await check.getByLabel("If it did not, go to").selectOption("step-3");
    // The links: start → invoice, the article or the person; invoice → the person.
    for (let n = 0; n < 3; n++) await start.getByRole("button", { name: "Add option" }).click();
    await start.getByRole("group", { name: "Option 1" }).getByLabel("Option text · English").fill("An invoice");
    await start.getByRole("group", { name: "Option 1" }).getByLabel("Leads to").selectOption("invoice");
    await start.getByRole("group", { name: "Option 2" }).getByLabel("Option text · English").fill("Something else");
    await start.getByRole("group", { name: "Option 2" }).getByLabel("Leads to").selectOption("step-3");
    await start.getByRole("group", { name: "Option 3" }).getByLabel("Option text · English").fill("Where are my invoices?");
    await start.getByRole("group", { name: "Option 3" }).getByLabel("Leads to").selectOption("step-4");
    await invoice.getByRole("button", { name: "Add option" }).click();
    await invoice.getByRole("group", { name: "Option 1" }).getByLabel("Option text · English").fill("Last month's");
    await invoice.getByRole("group", { name: "Option 1" }).getByLabel("Leads to").selectOption("step-3");
    assert.equal(await flow.locator(".mo-bot-problems li").count(), 0, "a complete flow has no problems");
    await assertAccessible(a, assert, "assistant editor");
    // The preview walks the draft.
    await flow.getByRole("button", { name: "Preview" }).click();
    const preview = flow.getByRole("region", { name: "Preview" });
    await preview.getByRole("button", { name: "An invoice" }).click();
    await preview.getByRole("button", { name: "Last month's" }).click();
    await preview.getByRole("log").getByText("Our billing team will take it from here.").waitFor();
    await flow.getByLabel("Offer it to visitors").check();
    await a.getByRole("button", { name: "Save settings" }).click();
    await a.getByText("Settings saved.", { exact: false }).waitFor();
    await a.locator('.mo-sync[data-state="synced"]').waitFor();

    // A visitor on another profile gets the flow from the server; the article solves it.
    const portal = await visitorContext.page();
    errors.push(portal.errors);
    await portal.goto(`${bed.url}/?${q}`);
    const log = portal.getByRole("log", { name: "Ask the assistant" });
    await log.getByText("What is it about?").waitFor();
    await portal.getByRole("button", { name: "Where are my invoices?" }).click();
    await log.getByRole("heading", { name: "Where to find your invoices" }).waitFor();
    await log.getByText("Did that answer it?").waitFor();
    await portal.getByRole("button", { name: "Yes, that solved it" }).click();
    await log.getByText("Great! If you need anything else, we are here.").waitFor();
    // Another conversation on the same device goes to a person.
    await portal.getByRole("button", { name: "Start over" }).click();
    await log.getByText("What is it about?").waitFor();
    await portal.getByRole("button", { name: "An invoice" }).click();
    await portal.getByRole("button", { name: "Last month's" }).click();
    await log.getByText("Our billing team will take it from here.").waitFor();
    await portal.getByRole("button", { name: "Write to the team" }).click();
    // The hand-off's category comes along where the visitor's device knows it (categories are
    // a section of their own, synced when an admin saves them).
    const offered = await portal.getByLabel("Category").locator("option").allTextContents();
    if (offered.includes(category)) assert.equal(await portal.getByLabel("Category").inputValue(), category);
    await portal.getByLabel("Subject").fill("Invoice of last month");
    await portal.getByLabel("Description").fill("It shows the wrong address.");
    await portal.getByLabel("Name", { exact: true }).fill("Lucía Pérez");
    await portal.getByLabel("Email", { exact: true }).fill("lucia@example.com");
    await portal.getByRole("button", { name: "Send ticket" }).click();
    await portal.getByRole("heading", { name: "We received your ticket" }).waitFor();
    const code = (await portal.locator(".mo-confirm .mo-code").textContent()).trim();
    await portal.locator('.mo-sync[data-state="synced"]').waitFor();

    // The server accepted the hand-off's tags; the agent sees them, the category and the path.
    await agent.view("All");
    await agent.row(code).waitFor();
    await agent.openTicket(code, "Invoice of last month");
    const tags = a.getByRole("list", { name: "Tags" });
    await tags.getByRole("listitem").first().waitFor();
    assert.deepEqual((await tags.getByRole("listitem").allTextContents()).map((t) => t.replace("×", "").trim()).sort(), ["assistant", "billing"]);
    await a.getByText("You: Last month's", { exact: false }).first().waitFor();
    // The dashboard counts the conversation, pulled from the visitor's device.
    await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Dashboard", exact: true }).click();
    await a.getByText("Billing help — started: 2 · answered by the assistant: 1 (50", { exact: false }).waitFor();
    await a.getByText("handed off to a person: 1 · tickets avoided: 1", { exact: false }).waitFor();
    // A visitor reading Spanish (the demo page says it is English, so they switch) reaches the
    // same step and is answered by the Spanish article.
    const reader = await readerContext.page();
    errors.push(reader.errors);
    await reader.goto(`${bed.url}/?${q}`);
    await reader.getByRole("combobox", { name: "Language" }).selectOption("es");
    await reader.getByRole("log", { name: "Pregunta al asistente" }).waitFor();
    await reader.getByRole("button", { name: "Where are my invoices?" }).click();
    await reader.getByRole("log").getByRole("heading", { name: "Dónde encontrar tus facturas" }).waitFor();
    assert.equal(await reader.getByRole("log").getByRole("heading", { name: "Where to find your invoices" }).count(), 0);
    assert.deepEqual(errors.flat(), []);
  } finally {
    await agentContext.close();
    await visitorContext.close();
    await readerContext.close();
  }
});
