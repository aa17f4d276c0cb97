// @ts-check
/*! Mostrador loader | MIT OR Apache-2.0
 *
 * The only file a host page loads up front. It draws the launcher, answers the host API and
 * fetches nothing else — no WebAssembly, no storage — until the visitor asks for help (or the host
 * calls open()). Then it loads the app into a Shadow DOM, or, when the page's Content-Security-
 * Policy forbids WebAssembly, into an iframe served from this file's own origin.
 *
 * Plain JavaScript on purpose: no bundler, no dependencies, one request. Runs as a classic
 * <script> (the drop-in) or as a module imported by index.js (the npm entry).
 */
(function () {
  "use strict";

  /** @typedef {import("./index.js").MostradorGlobal} MostradorGlobal */

  var VERSION = "0.1.0";
  var EVENTS = ["ready", "open", "close", "error", "ticketCreated", "ticketUpdated", "statusChanged", "syncState", "unread"];
  // Events only the app (Rust, possibly in the iframe) may raise; open/close are the loader's.
  var APP_EVENTS = ["ready", "error", "ticketCreated", "ticketUpdated", "statusChanged", "syncState"];
  var THEME = {
    accent: ["--mo-accent", "color"],
    accentText: ["--mo-accent-text", "color"],
    text: ["--mo-text", "color"],
    muted: ["--mo-muted", "color"],
    bg: ["--mo-bg", "color"],
    border: ["--mo-border", "color"],
    error: ["--mo-error", "color"],
    radius: ["--mo-radius", "border-radius"],
    font: ["--mo-font", "font-family"],
    scale: ["--mo-rem", "font-size"],
  };
  var OPTIONS = ["mode", "dbName", "syncUrl", "locale", "position", "launcherText", "launcher", "theme", "colorScheme", "frame", "frameUrl", "zIndex", "identity", "prefill"];
  var SCHEMES = ["auto", "light", "dark"];
  // Launcher, close button, dialog name, loading, and one / several unread answers, by primary
  // language subtag: the languages the app speaks, picked by `pickLang` as the app picks.
  var LABELS = {
    en: ["Help", "Close", "Help desk", "Loading…", "new reply", "new replies"],
    es: ["Ayuda", "Cerrar", "Centro de ayuda", "Cargando…", "respuesta nueva", "respuestas nuevas"],
    pt: ["Ajuda", "Fechar", "Central de ajuda", "Carregando…", "resposta nova", "respostas novas"],
  };
  // How often a closed launcher asks the sync server for unread answers (only for a returning
  // visitor: see "Unread answers" below).
  var UNREAD_EVERY_MS = 60000;
  var LOCALE_RE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
  var SIGNATURE_RE = /^[A-Za-z0-9+/=_.:@-]{32,4096}$/;
  var EMAIL_RE = /^[^\s@]+@[^\s@]+$/;
  var PREFILL_TEXT = ["subject", "message", "name", "email", "category"];
  var PRIORITIES = ["low", "normal", "high", "urgent"];
  // The app's limits on what the host says about the visitor (crates/widget/src/host.rs).
  var MAX_SHORT = 256;
  var PREFILL_MAX = { subject: 200, message: 10000, name: MAX_SHORT, email: MAX_SHORT, category: MAX_SHORT };
  var MAX_PREFILL_FIELDS = 32;
  var MAX_FIELD_VALUE = MAX_SHORT * 4;
  var FIELD_NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;
  var FRAME_TIMEOUT_MS = 20000;
  // The policy frame.html needs, ending with the origins allowed to embed it.
  var FRAME_CSP = "Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors";

  var doc = document;
  var script = /** @type {HTMLScriptElement | null} */ (doc.currentScript);
  var queued = Array.isArray(globalThis.Mostrador) ? globalThis.Mostrador : [];
  if (globalThis.Mostrador && globalThis.Mostrador.version) {
    // Loaded twice (a script tag and the npm entry, say): one API, one module, one registry.
    if (script && script.dataset.frame !== "") globalThis.Mostrador._fromScript(script);
    return;
  }

  var assetsUrl = script && script.src ? new URL(".", script.src).href : null;
  var modulePromises = {};
  var wasmAllowedPromise = null;
  var defaultWidget = null;

  // ---------------------------------------------------------------------------------------------
  // Errors and events

  /** Reports a host mistake or a load failure: console first, then the widget's `error` event. */
  function fail(widget, message, cause) {
    var text = message.indexOf("Mostrador") === 0 ? message : "Mostrador: " + message;
    if (cause !== undefined) console.error(text, cause);
    else console.error(text);
    if (widget) widget._events.emit("error", { message: text });
    return false;
  }

  function messageOf(e) {
    return e && e.message ? e.message : String(e);
  }

  /** Per-widget listeners. `ready` is a state: late listeners are called too. Errors raised while
   * nobody listened wait for the first `error` listener, so none is lost. */
  function Emitter() {
    this._sets = {};
    this._sticky = {};
    this._pendingErrors = [];
  }
  Emitter.prototype.on = function (name, callback, widget) {
    if (EVENTS.indexOf(name) < 0) {
      fail(widget, "on(): unknown event " + JSON.stringify(name) + "; use one of " + EVENTS.join(", "));
      return function () {};
    }
    if (typeof callback !== "function") {
      fail(widget, "on(" + JSON.stringify(name) + ", callback): callback must be a function");
      return function () {};
    }
    var set = this._sets[name] || (this._sets[name] = new Set());
    var entry = { fn: callback };
    set.add(entry);
    var replay = [];
    if (name in this._sticky) replay.push(this._sticky[name]);
    if (name === "error") replay = replay.concat(this._pendingErrors.splice(0));
    replay.forEach(function (detail) {
      queueMicrotask(function () {
        if (set.has(entry)) call(entry.fn, detail);
      });
    });
    return function unsubscribe() {
      set.delete(entry);
    };
  };
  Emitter.prototype.emit = function (name, detail) {
    if (name === "ready") this._sticky.ready = detail;
    var set = this._sets[name];
    if (!set || set.size === 0) {
      if (name === "error") this._pendingErrors.push(detail);
      return;
    }
    Array.from(set).forEach(function (entry) {
      if (set.has(entry)) call(entry.fn, detail);
    });
  };
  Emitter.prototype.clear = function () {
    this._sets = {};
  };

  function call(fn, detail) {
    try {
      fn(detail);
    } catch (e) {
      console.error("Mostrador: an event listener threw:", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Options

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  /** Checks the host's options; returns the list of problems (empty when all is well). */
  function checkOptions(o) {
    var problems = [];
    if (!isObject(o)) return ["options must be an object"];
    Object.keys(o).forEach(function (k) {
      if (OPTIONS.indexOf(k) < 0) problems.push("unknown option " + JSON.stringify(k) + " (known: " + OPTIONS.join(", ") + ")");
    });
    if (o.mode !== undefined && o.mode !== "portal" && o.mode !== "console")
      problems.push("mode must be \"portal\" or \"console\", not " + JSON.stringify(o.mode));
    if (o.dbName !== undefined && (typeof o.dbName !== "string" || !o.dbName.trim()))
      problems.push("dbName must be a non-empty string");
    if (o.syncUrl !== undefined) {
      try {
        var su = new URL(o.syncUrl);
        if (su.protocol !== "https:" && su.protocol !== "http:") problems.push("syncUrl must be an http(s) URL");
      } catch (e) {
        problems.push("syncUrl must be an absolute http(s) URL, not " + JSON.stringify(o.syncUrl));
      }
    }
    if (o.locale !== undefined) pushIf(problems, checkLocale(o.locale));
    if (o.position !== undefined && o.position !== "bottom-right" && o.position !== "bottom-left")
      problems.push("position must be \"bottom-right\" or \"bottom-left\"");
    if (o.launcherText !== undefined && (typeof o.launcherText !== "string" || !o.launcherText.trim() || o.launcherText.length > 40))
      problems.push("launcherText must be 1 to 40 characters");
    if (o.launcher !== undefined && typeof o.launcher !== "boolean") problems.push("launcher must be true or false");
    if (o.frame !== undefined && ["auto", "always", "never"].indexOf(o.frame) < 0)
      problems.push("frame must be \"auto\", \"always\" or \"never\"");
    if (o.frameUrl !== undefined) {
      try {
        var u = new URL(o.frameUrl, assetsUrl || doc.baseURI);
        if (u.protocol !== "https:" && u.protocol !== "http:") problems.push("frameUrl must be an http(s) URL");
      } catch (e) {
        problems.push("frameUrl is not a URL: " + JSON.stringify(o.frameUrl));
      }
    }
    if (o.zIndex !== undefined && !(Number.isInteger(o.zIndex) && o.zIndex >= 0)) problems.push("zIndex must be a whole number ≥ 0");
    if (o.colorScheme !== undefined && SCHEMES.indexOf(o.colorScheme) < 0)
      problems.push("colorScheme must be \"auto\", \"light\" or \"dark\", not " + JSON.stringify(o.colorScheme));
    if (o.theme !== undefined) {
      if (!isObject(o.theme)) problems.push("theme must be an object");
      else
        Object.keys(o.theme).forEach(function (k) {
          var spec = THEME[k];
          var v = o.theme[k];
          if (!spec) problems.push("unknown theme key " + JSON.stringify(k) + " (known: " + Object.keys(THEME).join(", ") + ")");
          else if (typeof v !== "string" || /[;{}]/.test(v) || !CSS.supports(spec[1], v))
            problems.push("theme." + k + " is not a valid " + spec[1] + ": " + JSON.stringify(v));
        });
    }
    if (o.identity !== undefined) pushIf(problems, checkIdentity(o.identity));
    if (o.prefill !== undefined) pushIf(problems, checkPrefill(o.prefill));
    return problems;
  }

  function pushIf(list, problem) {
    if (problem) list.push(problem);
  }

  /** The languages the help desk speaks (primary subtags). */
  var SPOKEN = ["es", "en", "pt"];

  /**
   * The language the launcher and the app speak. The one rule, shared with the app
   * (`i18n::initial` in crates/ui/src/i18n/mod.rs): the host's `locale` option, else the page's
   * `<html lang>`, else the browser's languages in order (`navigator.languages`), else English;
   * the first of these the help desk speaks. The frame gets the choice as its `<html lang>`.
   * @param {string | null} locale
   * @returns {string}
   */
  function pickLang(locale) {
    var nav = globalThis.navigator;
    var tags = [locale, doc.documentElement.lang].concat(nav ? Array.from(nav.languages || [nav.language]) : []);
    for (var n = 0; n < tags.length; n++) {
      var primary = String(tags[n] || "").split(/[-_]/)[0].toLowerCase();
      if (SPOKEN.indexOf(primary) >= 0) return primary;
    }
    return "en";
  }

  function checkLocale(tag) {
    if (!(typeof tag === "string" && LOCALE_RE.test(tag) && tag.length <= 35))
      return "locale " + JSON.stringify(tag) + " is not a language tag; use one like \"en\", \"es\" or \"pt-BR\"";
    if (SPOKEN.indexOf(tag.split("-")[0].toLowerCase()) < 0)
      return "locale " + JSON.stringify(tag) + " is not a language the help desk speaks; use " + SPOKEN.join(", ") + " (with a region if you like, such as \"pt-BR\")";
    return null;
  }

  // The app checks these again in Rust; checking here too reports a mistake when the host makes
  // it, not later when the visitor opens the widget.
  function checkIdentity(u) {
    if (!isObject(u)) return "identify(user): user must be an object { id, signature, email?, name?, issuedAt? }";
    var extra = Object.keys(u).filter(function (k) {
      return ["id", "signature", "email", "name", "issuedAt"].indexOf(k) < 0;
    });
    if (extra.length) return "identify(user): unknown field " + JSON.stringify(extra[0]);
    if (typeof u.id !== "string" || !u.id.trim() || bytes(u.id.trim()) > MAX_SHORT)
      return "identify(user): id must be a string of 1 to " + MAX_SHORT + " bytes (UTF-8)";
    if (typeof u.signature !== "string" || !SIGNATURE_RE.test(u.signature))
      return "identify(user): signature must be the hex or base64 signature your server computed over the user id, or the sync server's mc1./mc2. customer token (32 to 4096 characters)";
    if (u.email !== undefined && (typeof u.email !== "string" || !EMAIL_RE.test(u.email) || bytes(u.email) > MAX_SHORT))
      return "identify(user): email " + JSON.stringify(u.email) + " is not an e-mail address";
    if (u.name !== undefined && (typeof u.name !== "string" || chars(u.name) > MAX_SHORT))
      return "identify(user): name must be a string of at most " + MAX_SHORT + " characters";
    if (u.issuedAt !== undefined && !(typeof u.issuedAt === "number" && isFinite(u.issuedAt) && u.issuedAt > 0))
      return "identify(user): issuedAt must be milliseconds since 1970 (Date.now())";
    return null;
  }

  /** Length in Unicode characters (what the app counts), not UTF-16 units. */
  function chars(text) {
    return Array.from(text).length;
  }

  function bytes(text) {
    return new TextEncoder().encode(text).length;
  }

  function checkPrefill(f) {
    if (!isObject(f)) return "prefill(fields): fields must be an object";
    var keys = Object.keys(f);
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      var v = f[k];
      if (PREFILL_TEXT.indexOf(k) >= 0) {
        if (typeof v !== "string") return "prefill(fields): " + k + " must be a string";
        if (chars(v) > PREFILL_MAX[k]) return "prefill(fields): " + k + " is longer than " + PREFILL_MAX[k] + " characters";
      } else if (k === "priority") {
        if (PRIORITIES.indexOf(v) < 0) return "prefill(fields): priority must be one of " + PRIORITIES.join(", ");
      } else if (k === "fields") {
        if (!isObject(v)) return "prefill(fields): fields must map names to strings";
        var names = Object.keys(v);
        if (names.length > MAX_PREFILL_FIELDS) return "prefill(fields): at most " + MAX_PREFILL_FIELDS + " custom fields";
        for (var j = 0; j < names.length; j++) {
          var n = names[j];
          if (!FIELD_NAME_RE.test(n))
            return "prefill(fields): field name " + JSON.stringify(n) + " must be 1 to 64 letters, digits, '_', '-' or '.'";
          if (typeof v[n] !== "string") return "prefill(fields): fields." + n + " must be a string";
          if (chars(v[n]) > MAX_FIELD_VALUE) return "prefill(fields): fields." + n + " is longer than " + MAX_FIELD_VALUE + " characters";
        }
      } else {
        return "prefill(fields): unknown field " + JSON.stringify(k) + " (known: " + PREFILL_TEXT.concat(["priority", "fields"]).join(", ") + ")";
      }
    }
    return null;
  }

  /** Reads options from data-* attributes (`data-db-name` → dbName, `data-theme-accent` → theme.accent). */
  function optionsFromDataset(ds) {
    var o = {};
    Object.keys(ds).forEach(function (k) {
      var v = ds[k];
      if (k === "frame" && v === "") return; // the frame page's own marker
      if (/^(cf|turbo)/.test(k)) return; // attributes other tools put on script tags
      if (k.indexOf("theme") === 0 && k.length > 5) {
        (o.theme = o.theme || {})[k.charAt(5).toLowerCase() + k.slice(6)] = v;
      } else if (k === "launcher") {
        o.launcher = v === "true" ? true : v === "false" ? false : v;
      } else if (k === "zIndex") {
        o.zIndex = /^\d+$/.test(v) ? Number(v) : v;
      } else if (k === "assetsUrl") {
        configure({ assetsUrl: v });
      } else {
        o[k] = v;
      }
    });
    return o;
  }

  /** The subset the Rust side understands (it refuses unknown keys). */
  function appOptions(w) {
    var o = {};
    ["mode", "dbName", "syncUrl"].forEach(function (k) {
      if (w._options[k] !== undefined) o[k] = w._options[k];
    });
    if (w._locale) o.locale = w._locale;
    if (w._identity) o.identity = w._identity;
    if (w._prefill) o.prefill = w._prefill;
    return o;
  }

  // ---------------------------------------------------------------------------------------------
  // Loading the app

  function assetsRoot() {
    return assetsUrl || new URL(".", doc.baseURI).href;
  }

  /** The module for a mode: customers get the small portal build, agents the whole app (in its
   * own folder: both are cut into modules fetched when needed, named alike). */
  var MODULES = { portal: "mostrador_wasm", console: "console/mostrador_console" };

  /** Imports the wasm-bindgen glue and instantiates the module for `mode`, once per page. */
  function loadModule(mode) {
    var name = MODULES[mode] || MODULES.portal;
    if (!modulePromises[name]) {
      var root = assetsRoot();
      var p = import(new URL(name + ".js", root).href).then(function (m) {
        return m.default({ module_or_path: new URL(name + "_bg.wasm", root) }).then(function () {
          return m;
        });
      });
      modulePromises[name] = p;
      // A failed load (offline, say) may be retried by the next open().
      p.catch(function () {
        if (modulePromises[name] === p) delete modulePromises[name];
      });
    }
    return modulePromises[name];
  }

  /** Whether this page may run WebAssembly: a CSP without 'wasm-unsafe-eval' forbids it. Compiling
   * the smallest valid module (8 bytes, no network) answers without side effects. */
  function wasmAllowed() {
    if (!wasmAllowedPromise) {
      wasmAllowedPromise =
        typeof WebAssembly === "object"
          ? WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(
              function () { return true; },
              function () { return false; }
            )
          : Promise.resolve(false);
    }
    return wasmAllowedPromise;
  }

  function configure(c) {
    if (!isObject(c)) return fail(null, "configure(): expects { assetsUrl }");
    if (c.assetsUrl !== undefined) {
      try {
        assetsUrl = new URL(String(c.assetsUrl), doc.baseURI).href.replace(/[^/]*$/, "");
      } catch (e) {
        return fail(null, "configure(): assetsUrl is not a URL: " + JSON.stringify(c.assetsUrl));
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Styles (the launcher's own; the app brings its stylesheet with it)

  var HOST_RESET = [["display", "block"], ["position", "static"], ["visibility", "visible"], ["opacity", "1"],
    ["transform", "none"], ["filter", "none"], ["backdrop-filter", "none"], ["perspective", "none"], ["contain", "none"],
    ["will-change", "auto"], ["clip-path", "none"], ["mask", "none"], ["zoom", "1"], ["content-visibility", "visible"]];

  // The app's dark tokens (crates/ui/src/shell/app.css) that the panel and the launcher use.
  var DARK = "color-scheme:dark;--mo-accent:#60a5fa;--mo-accent-text:#0b1220;--mo-text:#f3f4f6;--mo-muted:#9ca3af;--mo-bg:#111827;--mo-border:#6b7280;--mo-error:#f87171";

  var LAUNCHER_CSS =
    ":host{--mo-accent:#1d4ed8;--mo-accent-text:#fff;--mo-text:#111827;--mo-muted:#4b5563;--mo-bg:#fff;--mo-border:#d1d5db;" +
    "--mo-error:#b91c1c;--mo-radius:6px;--mo-font:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;--mo-z:2147483000}" +
    // Dark when the visitor's system prefers it, unless the host forces a scheme (colorScheme).
    "@media (prefers-color-scheme:dark){:host(:not([data-mo-scheme=light])){" + DARK + "}}:host([data-mo-scheme=dark]){" + DARK + "}" +
    ".w{all:initial;font:16px/1.5 var(--mo-font);color:var(--mo-text)}" +
    ".l{all:initial;box-sizing:border-box;position:fixed;z-index:var(--mo-z);bottom:20px;right:20px;display:inline-flex;align-items:center;" +
    "padding:12px 20px;border-radius:999px;background:var(--mo-accent);color:var(--mo-accent-text);font:600 16px/1.2 var(--mo-font);" +
    "cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
    ".l:focus-visible,.x:focus-visible{outline:3px solid var(--mo-accent);outline-offset:3px}" +
    ".l[hidden],.p[hidden],.p[popover]:not(:popover-open),.b[hidden]{display:none}" +
    ".b{position:absolute;top:-6px;right:-6px;box-sizing:border-box;min-width:22px;height:22px;padding:0 6px;border-radius:11px;" +
    "background:var(--mo-error);color:#fff;font:700 13px/22px var(--mo-font);text-align:center;box-shadow:0 0 0 2px var(--mo-bg)}" +
    ".p{all:initial;box-sizing:border-box;position:fixed;z-index:var(--mo-z);bottom:84px;right:20px;width:min(400px,calc(100vw - 40px));" +
    "height:min(640px,calc(100vh - 104px));display:flex;flex-direction:column;background:var(--mo-bg);color:var(--mo-text);" +
    "font:16px/1.5 var(--mo-font);border:1px solid var(--mo-border);border-radius:calc(var(--mo-radius) * 2);" +
    "box-shadow:0 12px 40px rgba(0,0,0,.3);overflow:hidden}" +
    ".left .l,.left .p{right:auto;left:20px}" +
    ".h{display:flex;justify-content:flex-end;padding:4px;border-bottom:1px solid var(--mo-border)}" +
    ".x{all:initial;cursor:pointer;font:16px/1 var(--mo-font);color:var(--mo-text);padding:8px 12px;border-radius:var(--mo-radius)}" +
    ".a{flex:1;overflow:auto}" +
    // The app's own :host rule declares its theme defaults on its mount point; a rule from this
    // (outer) tree beats it, so the launcher's theme — options or page CSS — flows into the app.
    ".m{--mo-accent:inherit;--mo-accent-text:inherit;--mo-text:inherit;--mo-muted:inherit;--mo-bg:inherit;" +
    "--mo-border:inherit;--mo-error:inherit;--mo-radius:inherit;--mo-font:inherit}" +
    ".s{padding:16px;color:var(--mo-muted)}" +
    ".f{display:block;border:0;width:100%;height:100%}" +
    "@media (max-width:480px){.p{inset:0;width:auto;height:auto;border-radius:0}}";

  /** Adopts `css` into `root`. Constructed stylesheets are not inline styles, so a CSP that
   * forbids inline styles does not strip them; a <style> element is the fallback. */
  function adoptCss(root, css) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.appendChild(el("style", null, css));
    }
  }

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text; // never innerHTML: labels may come from the host
    return e;
  }

  // ---------------------------------------------------------------------------------------------
  // Widgets

  var nextId = 1;

  /** One launcher or one inline app. `kind` is "launcher" or "inline". */
  function Widget(kind, options, element) {
    this._id = nextId++;
    this._kind = kind;
    this._events = new Emitter();
    this._options = options || {};
    this._state = "idle"; // idle → loading → ready | failed; any → unmounted
    this._open = false;
    this._identity = null;
    this._prefill = null;
    this._locale = null;
    this._app = null; // { handle } for WebAssembly here, or { frame, post, stop } for the iframe
    this._unread = 0;
    this._clockOffset = 0; // the sync server's clock minus ours, from its last answer
    this._poll = null;
    var self = this;
    this.ready = new Promise(function (resolve, reject) {
      self._resolveReady = resolve;
      self._rejectReady = reject;
    });
    this.ready.catch(function () {}); // the error event already reported it
    var problems = checkOptions(this._options);
    if (kind === "inline" && !(element instanceof HTMLElement))
      problems.unshift("mount(element, options): element must be an HTMLElement, not " + String(element));
    if (problems.length) {
      this._state = "failed";
      problems.forEach(function (p) {
        fail(self, p.indexOf("mount(") === 0 ? p : "bad options: " + p);
      });
      this._rejectReady(new Error("Mostrador: " + problems.join("; ")));
      return;
    }
    var o = this._options;
    this._locale = o.locale || null;
    this._identity = o.identity || null;
    this._prefill = o.prefill ? Object.assign({}, o.prefill) : null;
    if (kind === "launcher") this._buildLauncher();
    else this._buildInline(element);
  }

  var W = Widget.prototype;

  W._labels = function () {
    return LABELS[pickLang(this._locale)] || LABELS.en;
  };

  W._applyTheme = function (host) {
    var o = this._options;
    schemeOn(host, o.colorScheme);
    Object.keys(o.theme || {}).forEach(function (k) {
      host.style.setProperty(THEME[k][0], o.theme[k]);
    });
    if (o.zIndex !== undefined) host.style.setProperty("--mo-z", String(o.zIndex));
  };

  W._buildLauncher = function () {
    var self = this;
    var host = (this._host = el("mostrador-launcher"));
    // Inline !important beats every host rule that could match this element, so `* { all:
    // revert }`, `mostrador-launcher { display: none }` or a transform on everything (which would
    // trap our fixed-position children) cannot hide or move us. Inherited properties are cut
    // inside the shadow root.
    HOST_RESET.forEach(function (pair) {
      host.style.setProperty(pair[0], pair[1], "important");
    });
    this._applyTheme(host);
    var root = host.attachShadow({ mode: "open" });
    adoptCss(root, LAUNCHER_CSS);
    var wrap = el("div", "w" + (this._options.position === "bottom-left" ? " left" : ""));
    var button = (this._button = el("button", "l"));
    button.type = "button";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "mo-panel");
    button.setAttribute("aria-haspopup", "dialog");
    var panel = (this._panel = el("div", "p"));
    panel.id = "mo-panel";
    var badge = (this._badge = el("span", "b"));
    badge.setAttribute("aria-hidden", "true");
    badge.hidden = true;
    panel.setAttribute("role", "dialog");
    // In the browser's top layer where it can be (a manual popover): no host element, whatever
    // its z-index, can cover the panel or its close button. Elsewhere, our z-index.
    if (typeof panel.showPopover === "function") panel.popover = "manual";
    else panel.hidden = true;
    var header = el("div", "h");
    var close = (this._closeButton = el("button", "x", "✕"));
    close.type = "button";
    header.appendChild(close);
    var area = (this._area = el("div", "a"));
    panel.appendChild(header);
    panel.appendChild(area);
    wrap.appendChild(button);
    wrap.appendChild(panel);
    root.appendChild(wrap);
    this._relabel();
    if (this._options.launcher === false) button.hidden = true;

    button.addEventListener("click", function () {
      self.toggle();
    });
    close.addEventListener("click", function () {
      self.close();
    });
    panel.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") self.close();
    });
    // Intent is near: fetch and compile (no storage, no mount) so the click feels instant.
    var warm = function () {
      // (Not for a widget that always uses the frame: the frame fetches its own copy.)
      if (self._state === "idle" && self._options.frame !== "always")
        wasmAllowed().then(function (ok) { if (ok) loadModule(self._options.mode).catch(function () {}); });
    };
    button.addEventListener("pointerenter", warm);
    button.addEventListener("focus", warm);
    (doc.body || doc.documentElement).appendChild(host);
    // After the calls queued with the script (identify, say) have run.
    setTimeout(function () {
      self._checkUnread();
    }, 0);
  };

  // ---- Unread answers ----
  // A visitor who opened the widget before, on a help desk with a sync server, left the app's
  // note in localStorage (`mostrador:<dbName>:visitor`: the server and, for an anonymous visitor,
  // the session). With it, the closed launcher asks the server how many agents' answers came
  // since the visitor last had the panel open (`mostrador:<dbName>:seen`, in the server's
  // clock) and shows the count, without loading the app. A visitor without that note costs
  // nothing: no request, no write.

  function storageKey(w, what) {
    return "mostrador:" + (w._options.dbName || "mostrador") + ":" + what;
  }

  function readStorage(key) {
    try {
      return globalThis.localStorage ? localStorage.getItem(key) : null;
    } catch (e) {
      return null; // storage blocked: no badge
    }
  }

  function trimSlash(u) {
    return String(u).replace(/\/+$/, "");
  }

  W._checkUnread = function () {
    if (this._kind !== "launcher" || this._state === "unmounted" || this._open) return;
    var saved = null;
    try {
      saved = JSON.parse(readStorage(storageKey(this, "visitor")) || "null");
    } catch (e) {
      saved = null;
    }
    if (!isObject(saved) || typeof saved.server !== "string" || !this._options.syncUrl) return;
    if (trimSlash(saved.server) !== trimSlash(this._options.syncUrl)) return;
    var id = this._identity;
    var token = id && /^mc[12]\./.test(id.signature) ? id.signature : null;
    if (!token && typeof saved.token === "string" && !(saved.expires_ms < Date.now())) token = saved.token;
    if (!token) return;
    var self = this;
    if (!this._poll)
      this._poll = setInterval(function () {
        if (doc.visibilityState !== "hidden") self._checkUnread();
      }, UNREAD_EVERY_MS);
    // When the panel was last open, by the loader's note or the app's (the later one).
    var since = Math.max(0, Number(readStorage(storageKey(this, "seen"))) || 0, Number(saved.opened_ms) || 0);
    fetch(trimSlash(saved.server) + "/v1/unread?since=" + Math.floor(since), {
      headers: { authorization: "Bearer " + token, "mostrador-protocol": "2" },
      credentials: "omit",
      cache: "no-store",
    })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(
        function (body) {
          if (!isObject(body) || !Number.isInteger(body.unread) || self._open || self._state === "unmounted") return;
          if (typeof body.now_ms === "number") self._clockOffset = body.now_ms - Date.now();
          self._setUnread(body.unread);
        },
        function () {} // offline or no server: no badge, and nothing to report
      );
  };

  W._setUnread = function (n) {
    if (n === this._unread) return;
    this._unread = n;
    this._relabel();
    this._events.emit("unread", { count: n });
  };

  /** The visitor has the panel before their eyes: what came so far is read. */
  W._markSeen = function () {
    if (this._unread) this._setUnread(0);
    if (readStorage(storageKey(this, "visitor")) === null) return;
    try {
      localStorage.setItem(storageKey(this, "seen"), String(Date.now() + this._clockOffset));
    } catch (e) {
      // storage blocked: the badge may repeat, nothing else
    }
  };

  function showPanel(panel, shown) {
    if (panel.popover) {
      if (shown) panel.showPopover();
      else panel.hidePopover();
    } else {
      panel.hidden = !shown;
    }
  }

  /** Forces a colour scheme on an element the app's (or the launcher's) `:host` rules see. */
  function schemeOn(element, scheme) {
    if (scheme === "light" || scheme === "dark") element.setAttribute("data-mo-scheme", scheme);
  }

  W._relabel = function () {
    if (this._kind !== "launcher" || !this._button) return;
    var l = this._labels();
    var text = this._options.launcherText || l[0];
    this._button.textContent = text;
    var n = this._unread;
    this._badge.textContent = !n ? "" : n > 99 ? "99+" : String(n);
    this._badge.hidden = !n;
    this._button.appendChild(this._badge);
    if (n) this._button.setAttribute("aria-label", text + " (" + n + " " + (n === 1 ? l[4] : l[5]) + ")");
    else this._button.removeAttribute("aria-label");
    this._closeButton.setAttribute("aria-label", l[1]);
    this._panel.setAttribute("aria-label", l[2]);
  };

  W._buildInline = function (element) {
    this._host = element;
    this._applyTheme(element);
    this._start(element);
  };

  /** Loads the app into `target` (the launcher's panel area, or the host's element). */
  W._start = function (target) {
    if (this._state !== "idle") return;
    this._state = "loading";
    var self = this;
    var status = null;
    if (this._kind === "launcher") {
      status = el("p", "s", this._labels()[3]);
      status.setAttribute("role", "status");
      target.appendChild(status);
    }
    var mode = this._options.frame || "auto";
    (mode === "always" ? Promise.resolve(false) : mode === "never" ? Promise.resolve(true) : wasmAllowed())
      .then(function (ok) {
        if (self._state !== "loading") return;
        if (ok) return self._startWasm(target, status);
        if (status) status.remove();
        self._startFrame(target);
      })
      .catch(function (e) {
        self._failLoad("could not load the app from " + assetsRoot() + ": " + messageOf(e), e);
      });
  };

  W._startWasm = function (target, status) {
    var self = this;
    return loadModule(self._options.mode).then(function (m) {
      if (self._state !== "loading") return;
      if (status) status.remove();
      var mountPoint = target;
      if (self._kind === "launcher") {
        mountPoint = el("div", "m");
        schemeOn(mountPoint, self._options.colorScheme);
        target.appendChild(mountPoint);
      }
      var early = [];
      var relay = function (name, detail) {
        if (APP_EVENTS.indexOf(name) < 0) return;
        if (early) early.push([name, detail]);
        else self._appEvent(name, detail);
      };
      try {
        self._app = { handle: m.mount(mountPoint, appOptions(self), relay), point: mountPoint };
      } catch (e) {
        self._failLoad(messageOf(e), undefined);
        return;
      }
      var pending = early;
      early = null;
      pending.forEach(function (p) {
        self._appEvent(p[0], p[1]);
      });
    });
  };

  /** The iframe fallback: the app runs in our own page on our own origin, which the host's CSP
   * does not govern. Messages are accepted only from that window and that origin. */
  W._startFrame = function (target) {
    var self = this;
    var url = new URL(this._options.frameUrl || "frame.html", assetsRoot());
    var origin = url.origin;
    var frame = el("iframe", "f");
    frame.title = this._labels()[2];
    frame.src = url.href;
    if (this._kind === "inline") {
      var root = target.shadowRoot || target.attachShadow({ mode: "open" });
      adoptCss(root, ":host{display:block}.f{display:block;border:0;width:100%;height:100%;min-height:480px}");
      root.appendChild(frame);
    } else {
      target.appendChild(frame);
    }
    var post = function (msg) {
      if (frame.contentWindow) {
        msg.mostrador = 1;
        frame.contentWindow.postMessage(msg, origin);
      }
    };
    var onMessage = function (ev) {
      if (ev.source !== frame.contentWindow || ev.origin !== origin) return;
      var m = ev.data;
      if (!isObject(m) || m.mostrador !== 1 || m.type !== "event" || APP_EVENTS.indexOf(m.name) < 0) return;
      if (m.name === "ready") clearTimeout(timer);
      self._appEvent(m.name, m.detail);
    };
    // The only window listener we add, and only in this fallback: postMessage arrives on window.
    globalThis.addEventListener("message", onMessage);
    var timer = setTimeout(function () {
      if (self._state === "loading")
        self._failLoad(
          "the help desk frame at " + url.href + " did not answer; check frameUrl, and that frame.html's data-allowed-origins lists " + location.origin
        );
    }, FRAME_TIMEOUT_MS);
    frame.addEventListener("load", function () {
      post({ type: "init", options: appOptions(self), colorScheme: self._options.colorScheme, lang: pickLang(self._locale) });
    });
    this._app = {
      frame: frame,
      post: post,
      stop: function () {
        clearTimeout(timer);
        globalThis.removeEventListener("message", onMessage);
        frame.remove();
      },
    };
  };

  W._appEvent = function (name, detail) {
    if (this._state === "unmounted") return;
    if (name === "ready") {
      this._state = "ready";
      this._resolveReady();
      this._events.emit("ready", detail);
    } else if (name === "error") {
      var message = isObject(detail) && typeof detail.message === "string" ? detail.message : "the app reported an error";
      if (this._state === "loading") this._failLoad(message);
      else fail(this, message);
    } else {
      this._events.emit(name, detail);
    }
  };

  W._failLoad = function (message, cause) {
    if (this._state === "unmounted") return;
    this._state = "failed";
    fail(this, message, cause);
    this._rejectReady(new Error(message));
    if (this._area) {
      this._area.textContent = "";
      this._area.appendChild(el("p", "s", message));
    }
  };

  W._alive = function (what) {
    if (this._state === "unmounted") return fail(this, what + ": this widget was unmounted");
    return true;
  };

  // ---- the host API (also on window.Mostrador for the drop-in's widget) ----

  W.open = function () {
    if (!this._alive("open()") || this._kind !== "launcher") return false;
    if (this._state === "failed" && !this._panel) return fail(this, "open(): the widget did not start; see the error above");
    if (!this._open) {
      this._open = true;
      showPanel(this._panel, true);
      this._button.setAttribute("aria-expanded", "true");
      if (this._state === "idle") this._start(this._area);
      this._closeButton.focus();
      this._markSeen();
      this._events.emit("open");
    }
    return true;
  };

  W.close = function () {
    if (!this._alive("close()") || this._kind !== "launcher" || !this._panel) return false;
    if (this._open) {
      this._open = false;
      showPanel(this._panel, false);
      this._button.setAttribute("aria-expanded", "false");
      if (!this._button.hidden) this._button.focus();
      this._markSeen();
      this._checkUnread(); // from now on, answers on this page count
      this._events.emit("close");
    }
    return true;
  };

  W.toggle = function () {
    return this._open ? this.close() : this.open();
  };

  W.showLauncher = function () {
    if (!this._alive("showLauncher()") || !this._button) return false;
    this._button.hidden = false;
    return true;
  };

  W.hideLauncher = function () {
    if (!this._alive("hideLauncher()") || !this._button) return false;
    this._button.hidden = true;
    return true;
  };

  W.identify = function (user) {
    if (!this._alive("identify()")) return false;
    var problem = checkIdentity(user);
    if (problem) return fail(this, problem);
    this._identity = Object.assign({}, user);
    this._checkUnread();
    return this._forward("identify", this._identity);
  };

  W.prefill = function (fields) {
    if (!this._alive("prefill()")) return false;
    var problem = checkPrefill(fields);
    if (problem) return fail(this, problem);
    var merged = Object.assign({}, this._prefill, fields);
    if (this._prefill && this._prefill.fields && fields.fields) merged.fields = Object.assign({}, this._prefill.fields, fields.fields);
    // Calls add up: the sum must stay within the limits too.
    problem = checkPrefill(merged);
    if (problem) return fail(this, problem);
    this._prefill = merged;
    return this._forward("prefill", fields);
  };

  W.setLocale = function (locale) {
    if (!this._alive("setLocale()")) return false;
    var problem = checkLocale(locale);
    if (problem) return fail(this, "setLocale(): " + problem);
    this._locale = locale;
    this._relabel();
    return this._forward("setLocale", locale);
  };

  /** Hands a host call to the running app (here or in the iframe); before that, it waits in the
   * widget and goes in with the mount options. */
  W._forward = function (method, value) {
    var app = this._app;
    if (!app) return true;
    if (app.post) {
      app.post({ type: "call", method: method, value: value });
      return true;
    }
    try {
      app.handle[method](value);
      return true;
    } catch (e) {
      return fail(this, messageOf(e));
    }
  };

  W.on = function (name, callback) {
    return this._events.on(name, callback, this);
  };

  /** Host state the running app holds (locale, identity, prefill), or the queued copy. */
  W.state = function () {
    var app = this._app;
    if (app && app.handle) return app.handle.hostState();
    return { locale: this._locale, identity: this._identity, prefill: this._prefill || {} };
  };

  W.unmount = function () {
    if (this._state === "unmounted") return;
    this._state = "unmounted";
    if (this._poll) clearInterval(this._poll);
    var app = this._app;
    this._app = null;
    if (app && app.handle) {
      app.handle.unmount();
      app.handle.free();
      if (app.point.shadowRoot) app.point.shadowRoot.adoptedStyleSheets = [];
    }
    if (app && app.stop) app.stop();
    if (this._kind === "launcher" && this._host) this._host.remove();
    if (this._host) delete this._host.mostradorWidget;
    if (this === defaultWidget) defaultWidget = null;
    this._events.clear();
  };

  Object.defineProperty(W, "isOpen", {
    get: function () {
      return this._open;
    },
  });

  // ---------------------------------------------------------------------------------------------
  // Entry points

  function mount(element, options) {
    if (element && element.mostradorWidget) {
      fail(element.mostradorWidget, "mount(): this element already holds a Mostrador app; unmount it first");
      return element.mostradorWidget;
    }
    var widget = new Widget("inline", options === undefined ? {} : options, element);
    if (widget._state !== "failed") element.mostradorWidget = widget;
    return widget;
  }

  function launcher(options) {
    return new Widget("launcher", options === undefined ? {} : options, null);
  }

  /** The drop-in: `<script src=".../mostrador.js" data-mode="portal" defer>`. */
  function fromScript(s) {
    if ("manual" in s.dataset) return null;
    var ds = Object.assign({}, s.dataset);
    delete ds.manual;
    var create = function () {
      var w = launcher(optionsFromDataset(ds));
      if (!defaultWidget) defaultWidget = w;
      return w;
    };
    if (doc.body) return create();
    doc.addEventListener("DOMContentLoaded", create, { once: true });
    return null;
  }

  /** Calls `method` on the drop-in's widget, or explains why there is none. */
  function onDefault(method) {
    return function () {
      if (!defaultWidget) {
        fail(null, method + "(): no launcher on this page; add the script tag or call Mostrador.launcher(options)");
        return method === "on" ? function () {} : false;
      }
      return defaultWidget[method].apply(defaultWidget, arguments);
    };
  }

  // Typed as the public global (index.d.ts); the methods below are added by the loop.
  var api = /** @type {MostradorGlobal & { _fromScript: (script: HTMLScriptElement) => void }} */ ({
    version: VERSION,
    mount: mount,
    launcher: function (options) {
      var w = launcher(options);
      if (!defaultWidget && w._state !== "failed") defaultWidget = w;
      return w;
    },
    configure: configure,
    preload: function (mode) {
      return loadModule(mode).then(function () {});
    },
    get widget() {
      return defaultWidget;
    },
    _fromScript: fromScript,
  });
  ["open", "close", "toggle", "showLauncher", "hideLauncher", "identify", "prefill", "setLocale", "on"].forEach(function (m) {
    api[m] = onDefault(m);
  });
  globalThis.Mostrador = api;

  // <mostrador-desk mode="console"> for inline embedding; attributes are the options in kebab-case.
  if (globalThis.customElements && !customElements.get("mostrador-desk")) {
    var GLOBAL_ATTRS = /^(class|style|id|title|hidden|slot|tabindex|lang|dir|role|aria-.*|data-.*)$/;
    customElements.define(
      "mostrador-desk",
      class extends HTMLElement {
        static get observedAttributes() {
          return ["locale"];
        }
        connectedCallback() {
          if (this.mostradorWidget) return;
          // Attributes are the options in kebab-case: db-name, theme-accent, frame-url…
          var probe = doc.createElement("div");
          for (var i = 0; i < this.attributes.length; i++) {
            var a = this.attributes[i];
            if (!GLOBAL_ATTRS.test(a.name)) probe.setAttribute("data-" + a.name, a.value);
          }
          mount(this, optionsFromDataset(Object.assign({}, probe.dataset)));
        }
        disconnectedCallback() {
          var self = this;
          // A move within the page disconnects and reconnects at once; only a removal unmounts.
          queueMicrotask(function () {
            if (!self.isConnected && self.mostradorWidget) self.mostradorWidget.unmount();
          });
        }
        attributeChangedCallback(name, old, value) {
          if (name === "locale" && value && old !== null && this.mostradorWidget) this.mostradorWidget.setLocale(value);
        }
        get widget() {
          return this.mostradorWidget || null;
        }
      }
    );
  }

  // ---------------------------------------------------------------------------------------------
  // The frame page (frame.html): runs the app for a parent page that could not.

  function frameMain(s) {
    // Who may embed this frame: the origins the site owner lists, else only the frame's own.
    var allowed = (s.dataset.allowedOrigins || "").split(/\s+/).filter(Boolean);
    if (!allowed.length) allowed = [location.origin];
    // The browser's own word on who the parent is (Chromium and Safari); the handshake below
    // checks the sender's origin too, for browsers without it.
    var ancestors = location.ancestorOrigins;
    if (ancestors && ancestors.length && allowed.indexOf(ancestors[0]) < 0) {
      refuse(ancestors[0], allowed);
      return;
    }
    var parentOrigin = null;
    var handle = null;
    var tell = function (name, detail) {
      if (parentOrigin) parent.postMessage({ mostrador: 1, type: "event", name: name, detail: detail }, parentOrigin);
    };
    var report = function (message) {
      console.error(message);
      tell("error", { message: message });
    };
    globalThis.addEventListener("message", function (ev) {
      if (/** @type {unknown} */ (parent) === globalThis || ev.source !== parent) return;
      var m = ev.data;
      if (!isObject(m) || m.mostrador !== 1) return;
      if (parentOrigin === null) {
        if (m.type !== "init") return;
        if (allowed.indexOf(ev.origin) < 0) {
          refuse(ev.origin, allowed);
          return;
        }
        parentOrigin = ev.origin;
        var problems = checkOptions(m.options);
        if (problems.length) return report("Mostrador: bad options: " + problems.join("; "));
        loadModule(m.options.mode).then(
          function (mod) {
            try {
              var point = doc.getElementById("app") || doc.body;
              schemeOn(point, m.colorScheme);
              // The host page's language (see `pickLang`), so the app here picks as it would there.
              if (typeof m.lang === "string" && SPOKEN.indexOf(m.lang) >= 0) doc.documentElement.lang = m.lang;
              handle = mod.mount(point, m.options, function (name, detail) {
                if (APP_EVENTS.indexOf(name) >= 0) tell(name, detail);
              });
            } catch (e) {
              report(messageOf(e));
            }
          },
          function (e) {
            wasmAllowed().then(function (ok) {
              report(
                ok
                  ? "Mostrador: could not load the app: " + messageOf(e)
                  : "Mostrador: frame.html is served with a Content-Security-Policy that forbids WebAssembly; serve frame.html with the header " +
                      FRAME_CSP + " " + allowed.join(" ") + " (or let the sync server serve the widget: see \"Strict Content-Security-Policy\" in the package README)"
              );
            });
          }
        );
      } else if (ev.origin === parentOrigin && m.type === "call" && handle) {
        if (["identify", "prefill", "setLocale"].indexOf(m.method) < 0) return;
        try {
          handle[m.method](m.value);
        } catch (e) {
          report(messageOf(e));
        }
      }
    });
  }

  /** A page that may not embed the help desk gets nothing: no app, no events, no storage. */
  var refused = false;
  function refuse(origin, allowed) {
    if (refused) return;
    refused = true;
    console.error(
      "Mostrador: frame: " + origin + " may not embed this help desk (allowed: " + allowed.join(" ") +
        "); add it to data-allowed-origins in frame.html and to frame-ancestors in the frame's Content-Security-Policy header"
    );
    var app = doc.getElementById("app");
    if (app) app.textContent = "This help desk cannot be shown on this site.";
  }

  // ---------------------------------------------------------------------------------------------
  // Start

  if (script && script.dataset.frame === "") {
    frameMain(script);
  } else if (script) {
    fromScript(script);
  }
  queued.forEach(function (entry) {
    if (Array.isArray(entry) && typeof api[entry[0]] === "function") api[entry[0]].apply(null, entry.slice(1));
    else fail(null, "queued call " + JSON.stringify(entry) + " is not [\"method\", ...args]");
  });
})();
