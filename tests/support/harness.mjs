// The one setup every browser test file shares: serve the built app on loopback, start Debian's
// Chromium and, when asked, the reference sync server; close all of it after the file's tests.
// Each browser profile a test opens watches its pages for console and page errors.
import { before, after } from "node:test";
import { mkdir } from "node:fs/promises";
import { serve } from "./server.mjs";
import { launch, watchErrors } from "./browser.mjs";
import { ARTIFACTS, DIST } from "./paths.mjs";
import { startSyncServer } from "./sync-server.mjs";
import { ConsolePage, PortalPage } from "./helpdesk.mjs";

/**
 * Registers the file's `before` and `after` hooks and returns the test bed. Its fields are set
 * once `before` has run: `site` (the app's static server: `url`, `requests`), `browser`, and
 * `sync` (the sync server: `url`, `log`) when `sync` is given (`true`, or `startSyncServer`'s
 * options). `root` serves another directory than the built app; `site` passes options to `serve`.
 */
export function testBed({ sync = false, root = DIST, site = {} } = {}) {
  const bed = {
    site: null,
    sync: null,
    browser: null,
    /** The app's address. */
    get url() {
      return bed.site.url;
    },
    /** `sync=<the sync server's url>`, for an app address's query. */
    get syncQuery() {
      return `sync=${encodeURIComponent(bed.sync.url)}`;
    },
    /** A fresh browser profile (English unless `locale` says otherwise); see `Profile`. */
    async profile({ locale = "en-US", ...options } = {}) {
      return new Profile(await bed.browser.newContext({ locale, ...options }));
    },
  };
  before(async () => {
    bed.site = await serve(root, site);
    if (sync) bed.sync = await startSyncServer(sync === true ? {} : sync);
    bed.browser = await launch();
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await bed.browser?.close();
    await bed.sync?.stop();
    await bed.site?.close();
  });
  return bed;
}

/** A browser profile (its own storage). Every page it opens is watched for console and page
 *  errors: `page.errors` holds a page's, `profile.errors` all of them. */
export class Profile {
  constructor(context) {
    this.context = context;
    this.pages = [];
  }

  get errors() {
    return this.pages.flatMap((p) => p.errors);
  }

  /** A new tab. */
  async page() {
    const page = await this.context.newPage();
    page.errors = watchErrors(page);
    this.pages.push(page);
    return page;
  }

  /** A new tab as the customer portal's page object (not yet navigated). */
  async portal() {
    return new PortalPage(await this.page());
  }

  /** A new tab as the agent console's page object (not yet navigated). */
  async console() {
    return new ConsolePage(await this.page());
  }

  /** Cuts the profile off the network, or brings it back. */
  setOffline(offline) {
    return this.context.setOffline(offline);
  }

  grantPermissions(permissions, options) {
    return this.context.grantPermissions(permissions, options);
  }

  /** A script run in every page of the profile before the page's own. */
  addInitScript(script, arg) {
    return this.context.addInitScript(script, arg);
  }

  close() {
    return this.context.close();
  }
}

/** Waits until the app on `page` says it is in step with the sync server. */
export const synced = (page) => page.locator('.mo-sync[data-state="synced"]').waitFor();

/** Polls `check` every 200 ms until it returns something truthy; fails after `ms`. */
export async function until(what, check, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
