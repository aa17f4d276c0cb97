// The self-service assistant: an admin switches the sample flow on; one visitor follows it by
// keyboard to an answer that solves it, another hands off and the ticket arrives with the
// category, tags and transcript the path set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { DIST, ARTIFACTS } from "../support/paths.mjs";
import { assertAccessible } from "../support/a11y.mjs";
import { ConsolePage } from "../support/helpdesk.mjs";

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

/** Whether `locator`'s element has the focus inside its own (shadow) root. */
async function focused(locator) {
  return locator.evaluate((el) => el.getRootNode().activeElement === el);
}

test("visitors follow the assistant to an answer, by keyboard, and to a person with the path's ticket", async () => {
  const context = await browser.newContext({ locale: "en-US" });
  const agent = new ConsolePage(await context.newPage());
  const errors = [watchErrors(agent.page)];
  const a = agent.page;
  await agent.open(server.url);
  await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Settings", exact: true }).click();
  await a.getByRole("heading", { name: "Settings", exact: true }).waitFor();
  await a.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Assistant" }).click();
  const flow = a.getByRole("group", { name: "Quick help" });
  await flow.getByText("Steps: 10").waitFor();
  assert.equal(await flow.getByLabel("Offer it to visitors").isChecked(), false, "the sample comes switched off");
  await flow.getByLabel("Offer it to visitors").check();
  await a.getByRole("button", { name: "Save settings" }).click();
  await a.getByText("Settings saved.", { exact: false }).waitFor();

  // The first visitor: the assistant is the first thing the portal shows.
  const portal = await context.newPage();
  errors.push(watchErrors(portal));
  await portal.setViewportSize({ width: 360, height: 740 });
  await portal.goto(server.url + "/");
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
  assert.equal(await portal.getByLabel("Type").inputValue(), "Task");
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
  await tags.getByText("return", { exact: true }).waitFor();
  await tags.getByText("assistant", { exact: true }).waitFor();
  assert.equal(await a.getByRole("combobox", { name: "Category" }).inputValue(), "Orders");
  await a.getByText("— Conversation with the assistant —", { exact: false }).first().waitFor();
  await a.getByText("Order number: A-1001", { exact: false }).first().waitFor();
  assert.deepEqual(errors.flat(), []);
  await context.close();
});
