// Page objects for the portal and the console, by accessible role and label.

export class PortalPage {
  constructor(page) {
    this.page = page;
  }

  async open(url) {
    await this.page.goto(url + "/");
    await this.page.getByRole("heading", { name: "Help center" }).waitFor();
  }

  /** Fills and sends the intake form; returns the ticket code from the confirmation. */
  async openTicket({ subject, description = "", name = "Lucía Pérez", email = "lucia@example.com" }) {
    const p = this.page;
    await p.getByRole("button", { name: "New ticket" }).click();
    await p.getByLabel("Subject").fill(subject);
    await p.getByLabel("Description").fill(description);
    await p.getByLabel("Name", { exact: true }).fill(name);
    await p.getByLabel("Email", { exact: true }).fill(email);
    await p.getByRole("button", { name: "Send ticket" }).click();
    await p.getByRole("heading", { name: "We received your ticket" }).waitFor();
    return (await p.locator(".mo-confirm .mo-code").textContent()).trim();
  }

  async showTicket(subject) {
    await this.page.getByRole("button", { name: "My tickets" }).click();
    await this.page.getByRole("list", { name: "Your tickets" }).getByRole("button", { name: subject }).click();
    await this.page.getByRole("heading", { name: subject }).waitFor();
  }

  status() {
    return this.page.locator(".mo-ticket-meta .mo-badge").first();
  }
}

export class ConsolePage {
  constructor(page) {
    this.page = page;
  }

  /** Logs a phone call (or an email, when `email` is given) as a ticket, waits for its view and
   *  returns its code. */
  async logTicket(subject, { name = "Don Ramón", email = "", assignToMe = true } = {}) {
    const p = this.page;
    await p.getByRole("button", { name: "Log a ticket" }).click();
    await p.getByLabel("Channel").selectOption({ label: email ? "Email" : "Phone" });
    await p.getByLabel("Requester name").fill(name);
    if (email) await p.getByLabel("Email", { exact: true }).fill(email);
    else await p.getByLabel("Phone", { exact: true }).fill("+34 600 123 456");
    await p.getByLabel("Subject").fill(subject);
    if (!assignToMe) await p.getByLabel("Assign to me").uncheck();
    await p.getByRole("button", { name: "Create ticket" }).click();
    await p.getByRole("heading", { name: subject }).waitFor();
    return (await p.locator(".mo-ticket-meta .mo-code").textContent()).trim();
  }

  async open(url) {
    await this.page.goto(url + "/?mode=console");
    await this.page.getByRole("navigation", { name: "Views" }).waitFor();
  }

  /** Opens the console of the app at `url` synced with the server at `syncUrl` and signs in
   *  (as the sync server's default admin unless told otherwise). */
  async signIn(url, syncUrl, { user = "admin", password = "correct horse battery" } = {}) {
    const p = this.page;
    await p.goto(`${url}/?mode=console&sync=${encodeURIComponent(syncUrl)}`);
    await p.getByLabel("Agent user").fill(user);
    await p.getByLabel("Password").fill(password);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.getByRole("navigation", { name: "Views" }).waitFor();
  }

  async view(name) {
    await this.page.getByRole("navigation", { name: "Views" }).getByRole("button", { name: new RegExp("^" + name) }).click();
    await this.page.getByRole("heading", { name, exact: true }).waitFor();
  }

  row(code) {
    return this.page.getByRole("table").getByRole("button", { name: new RegExp(code) });
  }

  async openTicket(code, subject) {
    await this.row(code).click();
    await this.page.getByRole("heading", { name: subject }).waitFor();
  }

  status() {
    return this.page.locator(".mo-ticket-meta .mo-badge").first();
  }
}

/** How many attachment files this browser profile keeps, over every database of the origin. */
export async function storedFiles(page) {
  return page.evaluate(async () => {
    let n = 0;
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      if (db.objectStoreNames.contains("attachments")) {
        n += await new Promise((ok) => {
          const r = db.transaction("attachments").objectStore("attachments").count();
          r.onsuccess = () => ok(r.result);
        });
      }
      db.close();
    }
    return n;
  });
}
