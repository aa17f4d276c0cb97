// Text people really type, and text attackers type, shared by the tests that enter it through the
// UI. `literal: true` marks entries that carry no Markdown formatting, so a rendered body must read
// exactly as typed (whitespace aside). Anything that would run sets `window.__pwned`.

const longWord = "Supercalifragilistic".repeat(100); // 2,000 characters, no break opportunity

export const AWKWARD = [
  { name: "an image tag with a handler", literal: true, text: `Broken: <img src=x onerror="window.__pwned=1"> here` },
  { name: "a script tag", literal: true, text: `<script>window.__pwned=1</script>` },
  { name: "pasted markup on lines of its own", literal: true, text: `<div class="cart">\n  <p>Total: 0</p>\n</div>` },
  { name: "a line break tag", literal: true, text: "first line<br>second line" },
  { name: "an svg with onload", literal: true, text: `<svg onload="window.__pwned=1"><circle r="5"/></svg>` },
  { name: "an iframe", literal: true, text: `<iframe src="javascript:window.__pwned=1"></iframe>` },
  { name: "a javascript: link", literal: false, text: "[click me](javascript:window.__pwned=1) and <javascript:window.__pwned=1>" },
  { name: "a data: link", literal: false, text: "[open](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+)" },
  { name: "right-to-left override", literal: true, text: "Invoice \u202Efdp.exe\u202C attached" },
  { name: "zero-width characters", literal: true, text: "pass\u200Bword\u200Cand\u200Djoin\uFEFFers" },
  { name: "a 2,000-character word", literal: true, text: `Code: ${longWord}` },
  { name: "a long URL", literal: false, text: `See https://shop.example/checkout?session=${"a1b2c3".repeat(100)}` },
  { name: "emoji, combining marks and a wide ligature", literal: true, text: "👩‍👩‍👧 famille cafe\u0301 ﷽" },
  { name: "character references", literal: false, text: "&lt;b&gt;bold?&lt;/b&gt; &amp;amp; &#x3C;script&#x3E; &copy;" },
  { name: "unclosed Markdown", literal: true, text: "**not closed and `not code and [not a link" },
  { name: "template and SQL look-alikes", literal: true, text: "{{constructor.constructor('window.__pwned=1')()}} ${7*7} ' OR 1=1 --" },
];

/** Plain-text fields (subject, name) take the first 120 characters of an entry, on one line. */
export const asLine = (text) => text.replace(/\s+/g, " ").slice(0, 120).trim();

/** Whitespace-insensitive form for comparing rendered text with typed text. The core keeps text
 *  in Unicode normal form C (a combining accent joins its letter), so the comparison does too. */
export const squash = (text) => text.normalize("NFC").replace(/\s+/g, " ").trim();

/** E-mail addresses that must be refused: a hidden Bcc, a fragment, spaces, a control character. */
export const BAD_EMAILS = [
  "ana@example.com?bcc=spy%40evil.example&subject=hi",
  "ana@example.com#frag",
  "ana maria@example.com",
  "ana@exam\u0007ple.com",
];
