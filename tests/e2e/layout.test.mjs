// Layout of the main screens, at a desktop (1280×800) and a phone (360×640) size, in the light
// and the dark palette: no sideways scrolling, no controls overlapping or covered by others,
// targets of at least 24 × 24 px (or spaced as WCAG 2.5.8 allows), no form field, card or
// fieldset much taller than what it holds, and no axe violations. Each state is photographed into
// tests/artifacts/screens/ for a reviewer (not committed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS } from "../support/paths.mjs";
import { axeViolations } from "../support/a11y.mjs";
import { ConsolePage, PortalPage } from "../support/helpdesk.mjs";
import { testBed } from "../support/harness.mjs";

const SCREENS = join(ARTIFACTS, "screens");
const SIZES = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 360, height: 640 },
];
const SCHEMES = ["light", "dark"];

const bed = testBed();
await mkdir(SCREENS, { recursive: true });

/** What is wrong with the layout of the page as it is now, one line per problem. */
async function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      problems.push(`the page scrolls sideways: ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`);
    }
    // Every element, including those inside open shadow roots (the widget).
    const all = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll("*")) {
        all.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    // Rendered and seen: not in a closed <details>, not hidden, not transparent.
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return false;
      return el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true });
    };
    const name = (el) => {
      const text = (el.getAttribute("aria-label") || el.textContent || el.getAttribute("name") || el.id || "").trim();
      return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}> "${text.slice(0, 40)}"`;
    };
    const isTarget = (el) =>
      el.matches("button, a[href], select, textarea, summary, [role=button], input:not([type=hidden])");
    // Links inside a sentence are exempt from the size rule (WCAG 2.5.8 "inline").
    const inline = (el) => {
      if (el.tagName !== "A") return false;
      const parent = el.parentElement;
      return parent && (parent.textContent || "").trim().length > (el.textContent || "").trim().length + 10;
    };
    const targets = all.filter((el) => isTarget(el) && visible(el) && !el.closest("[inert]"));
    const rects = targets.map((el) => el.getBoundingClientRect());

    // Size: at least 24 × 24, or no other target within the 24 px circle around its centre.
    targets.forEach((el, i) => {
      const r = rects[i];
      if ((r.width >= 24 && r.height >= 24) || inline(el)) return;
      const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
      const near = targets.findIndex((other, j) => {
        if (j === i || other.contains(el) || el.contains(other)) return false;
        const o = rects[j];
        const dx = Math.max(o.left - cx, 0, cx - o.right);
        const dy = Math.max(o.top - cy, 0, cy - o.bottom);
        return Math.hypot(dx, dy) < 12;
      });
      if (near >= 0) {
        problems.push(`${name(el)} is ${Math.round(r.width)}×${Math.round(r.height)}px with ${name(targets[near])} within 12px of its centre`);
      }
    });

    // Overlap: two targets sharing more than a sliver, neither inside the other.
    for (let i = 0; i < targets.length; i++) {
      for (let j = i + 1; j < targets.length; j++) {
        const a = targets[i], b = targets[j];
        if (a.contains(b) || b.contains(a) || a.closest("label")?.contains(b) || b.closest("label")?.contains(a)) continue;
        const ra = rects[i], rb = rects[j];
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 2 && h > 2) problems.push(`${name(a)} and ${name(b)} overlap by ${Math.round(w)}×${Math.round(h)}px`);
      }
    }

    // Covered: a target wholly inside the window whose centre shows something else on top.
    targets.forEach((el, i) => {
      const r = rects[i];
      if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth) return;
      const root = el.getRootNode();
      const top = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!top || el.contains(top) || top.contains(el)) return;
      // A label on its own control is the control's target too.
      if (top.closest("label") && top.closest("label").contains(el)) return;
      if (el.labels && [...el.labels].some((l) => l.contains(top))) return;
      problems.push(`${name(el)} is covered by ${name(top)}`);
    });

    // Empty space: a form field, card or fieldset taller than what it holds by more than 48 px.
    for (const block of all.filter((el) => el.matches(".mo-field, .mo-card, fieldset, .mo-composer") && visible(el))) {
      const box = block.getBoundingClientRect();
      let top = Infinity, bottom = -Infinity;
      for (const child of block.children) {
        if (!visible(child) || getComputedStyle(child).position === "absolute") continue;
        const r = child.getBoundingClientRect();
        top = Math.min(top, r.top);
        bottom = Math.max(bottom, r.bottom);
      }
      if (top === Infinity) continue;
      const s = getComputedStyle(block);
      const empty = box.height - (bottom - top) - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)
        - parseFloat(s.borderTopWidth) - parseFloat(s.borderBottomWidth);
      if (empty > 48) {
        problems.push(`${name(block)} (.${[...block.classList].join(".")}) is ${Math.round(box.height)}px tall with ${Math.round(empty)}px of it empty`);
      }
    }
    return problems;
  });
}

/** Checks the page as it is now at every size and scheme; photographs each state. */
async function check(page, screen, prepare = async () => {}) {
  const failures = [];
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await prepare(size);
      // Let the layout settle after the resize (Leptos renders synchronously; CSS transitions
      // are off under reduced motion, but fonts and images may still land).
      await page.waitForTimeout(150);
      await page.screenshot({ path: join(SCREENS, `${screen}-${size.name}-${scheme}.png`), fullPage: true });
      const problems = await layoutProblems(page);
      for (const p of problems) failures.push(`${screen} ${size.name} ${scheme}: ${p}`);
      for (const v of await axeViolations(page)) {
        failures.push(`${screen} ${size.name} ${scheme}: axe ${v.id} (${v.help}): ${v.nodes.join("; ")}`);
      }
    }
  }
  await page.emulateMedia({ colorScheme: null });
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(failures, [], failures.join("\n"));
}

test("the portal's screens lay out cleanly on a desktop and a phone, light and dark", async () => {
  const context = await bed.profile({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" });
  const page = await context.page();
  const errors = page.errors;
  const portal = new PortalPage(page);
  await portal.open(bed.url);
  await check(page, "portal-home");
  await page.getByRole("button", { name: "New ticket" }).click();
  await page.getByLabel("Subject").waitFor();
  await check(page, "portal-new-ticket");
  await portal.open(bed.url);
  await portal.openTicket({ subject: "The blender lid arrived cracked", description: "It came like that; photos sent by e-mail." });
  await check(page, "portal-confirmation");
  await portal.showTicket("The blender lid arrived cracked");
  await check(page, "portal-ticket");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the console's screens lay out cleanly on a desktop and a phone, light and dark", async () => {
  const context = await bed.profile({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" });
  const page = await context.page();
  const errors = page.errors;
  const agent = new ConsolePage(page);
  await agent.open(bed.url);
  const welcome = page.getByRole("region", { name: "Welcome to your help desk" });
  await welcome.getByRole("button", { name: "Try it with sample tickets" }).click();
  await welcome.waitFor({ state: "detached" });
  await agent.view("All");
  await page.getByRole("table").getByRole("button").first().waitFor();
  // The phone's menu stays folded: content first.
  await check(page, "console-inbox");

  await page.getByRole("table").getByRole("button").first().click();
  await page.locator("#mo-ticket-title").waitFor();
  await check(page, "console-ticket");

  const nav = page.getByRole("navigation", { name: "Views" });
  // On a phone the pages fold behind the menu button: open it when it is there.
  const go = (label) => async () => {
    const menu = nav.getByRole("button", { name: "Menu" });
    if (await menu.isVisible()) {
      if ((await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
    }
    await nav.getByRole("button", { name: label, exact: true }).click();
  };
  for (const [label, heading, screen] of [
    ["Dashboard", "Dashboard", "console-dashboard"],
    ["Settings", "Settings", "console-settings"],
    ["Help articles", "Help articles", "console-articles"],
    ["Data and backups", "Data and backups", "console-data"],
    ["Log a ticket", "Log a ticket", "console-log-ticket"],
  ]) {
    await go(label)();
    await page.getByRole("heading", { name: heading, exact: true }).first().waitFor();
    await check(page, screen);
  }
  // The assistant's editor, its steps open and a preview under them.
  await go("Settings")();
  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Assistant" }).click();
  const flow = page.getByRole("group", { name: "Quick help" });
  await flow.getByText("Steps (9)").click();
  await flow.getByRole("button", { name: "Preview" }).click();
  await flow.getByRole("region", { name: "Preview" }).getByRole("log").getByText("Hi! What can we help you with?").waitFor();
  await check(page, "console-assistant-editor");
  // Switched on, it is the portal's first screen.
  await flow.getByLabel("Offer it to visitors").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Settings saved.", { exact: false }).waitFor();
  const visitor = await context.page();
  const visitorErrors = visitor.errors;
  await visitor.goto(bed.url + "/");
  await visitor.getByRole("log", { name: "Ask the assistant" }).getByText("Hi! What can we help you with?").waitFor();
  await visitor.getByRole("button", { name: "I want to return something" }).click();
  await visitor.getByLabel("Order number").waitFor();
  await check(visitor, "portal-assistant");
  assert.deepEqual([...errors, ...visitorErrors], []);
  await context.close();
});
