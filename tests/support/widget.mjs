// Page objects for the embedded widget. Every selector the packaging tests use is here, by
// accessible role and label, so a UI rewrite that renames them changes this file only.

/** The drop-in's launcher button (its default label, in English). */
export const launcher = (page, name = "Help") => page.getByRole("button", { name, exact: true });

/** The launcher's panel. */
export const panel = (page) => page.getByRole("dialog", { name: "Help desk" });

/** The panel's close button. */
export const closeButton = (page) => panel(page).getByRole("button", { name: "Close" });

/** The iframe fallback's content, inside the panel or an inline element. */
export const frame = (scope) => scope.frameLocator("iframe");

/** A label in any of the app's languages (Spanish, English, Portuguese), matched whole. */
const any = (...names) => new RegExp(`^(${names.join("|")})$`);

/** The app's labels the packaging tests use, in all three languages. */
export const L = {
  helpCenter: any("Centro de ayuda", "Help center", "Central de ajuda"),
  subject: any("Asunto", "Subject", "Assunto"),
  description: any("Descripción", "Description", "Descrição"),
  name: any("Nombre", "Name", "Nome"),
  email: any("Correo electrónico", "Email", "E-mail"),
  send: any("Enviar ticket", "Send ticket"),
  received: any("Recibimos tu ticket", "We received your ticket", "Recebemos seu ticket"),
  myTickets: any("Mis tickets", "My tickets", "Meus tickets"),
  yourTickets: any("Tus tickets", "Your tickets", "Seus tickets"),
  helpArticles: any("Artículos de ayuda", "Help articles", "Artigos de ajuda"),
  unavailable: any("Esta sección no se pudo descargar. Revisa la conexión.", "This section could not be downloaded. Check the connection.", "Esta seção não pôde ser baixada. Verifique a conexão."),
  tryAgain: any("Reintentar", "Try again", "Tentar de novo"),
  views: any("Vistas", "Views", "Visões"),
};

/** The customer portal, wherever it is mounted (page, panel, inline element or frame). */
export function portal(scope) {
  return {
    subject: () => scope.getByLabel(L.subject),
    send: () => scope.getByRole("button", { name: L.send }),
    heading: () => scope.getByRole("heading", { name: L.helpCenter }),
    tickets: () => scope.getByRole("list", { name: L.yourTickets }),
    /** Fills the description and, where the form asks them, the contact fields. */
    async describe(description) {
      await scope.getByLabel(L.description).fill(description);
      // Contact fields are asked only of visitors the host did not identify.
      const name = scope.getByLabel(L.name);
      if (await name.count()) await name.fill("Ana Test");
      const email = scope.getByLabel(L.email);
      if (await email.count()) await email.fill("ana@example.com");
    },
    /** Opens a ticket and waits until the portal lists it under "My tickets". */
    async createTicket(subject) {
      await this.subject().fill(subject);
      await this.describe(`Details: ${subject}`);
      await this.send().click();
      await scope.getByRole("heading", { name: L.received }).waitFor();
      await scope.getByRole("button", { name: L.myTickets }).click();
      await this.tickets().getByText(subject).waitFor();
    },
  };
}

/** The agent console, wherever it is mounted. */
export function console_(scope) {
  return {
    views: () => scope.getByRole("navigation", { name: L.views }),
  };
}

/** A host stylesheet that tries everything a careless (or hostile) site does. */
export const HOSTILE_CSS = `
* { all: revert; font: 30px "Comic Sans MS", cursive !important; color: magenta !important;
    letter-spacing: 3px; text-transform: uppercase; line-height: 3 !important; }
html { font-size: 30px !important; }
button, input, iframe, form, label, h1, ul, li, [role=dialog] { display: none !important; }
div, section { padding: 40px !important; border: 5px dashed red !important; }
mostrador-launcher, mostrador-desk { display: none !important; transform: rotate(5deg); }
*, *::before, *::after { box-sizing: content-box !important; }
`;

/** Computed properties compared between a plain and a hostile host page. */
export const STYLE_PROPS = [
  "font-family", "font-size", "font-weight", "line-height", "letter-spacing", "text-transform",
  "color", "background-color", "display", "padding-top", "padding-left", "margin-top",
  "border-top-width", "border-top-style", "box-sizing", "width", "height",
];

/** The computed values of STYLE_PROPS for the element behind `locator`. */
export function computed(locator) {
  return locator.evaluate((el, props) => {
    const cs = getComputedStyle(el);
    return Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
  }, STYLE_PROPS);
}

/** What the page holds in storage: IndexedDB databases, localStorage keys, cookies. */
export function storage(page) {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    localStorage: localStorage.length,
    cookies: document.cookie,
  }));
}

/** Records every request the page makes, for "nothing before intent" checks. */
export function watchRequests(page) {
  const urls = [];
  page.on("request", (r) => urls.push(r.url()));
  return urls;
}
