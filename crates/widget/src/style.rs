//! The widget's own CSS, wrapped around the app's stylesheet inside the Shadow DOM.

/// Goes before the app's CSS. Custom properties are inherited through a Shadow DOM, and so are
/// `font`, `color`, `line-height` and friends, which a host page may set to anything on the
/// element we mount in. `all: initial` on our shell cuts that inheritance (custom properties
/// excepted, which is what lets hosts theme us).
pub(crate) const BEFORE: &str = "\
:host { display: block; }
.mo-shell { all: initial; display: block; font-family: var(--mo-font, system-ui, sans-serif); \
--mo-rem: 16px; font-size: var(--mo-rem); line-height: 1.5; color: var(--mo-text, #111827); text-align: start; }
";

/// Goes after the app's CSS. The app declares its design tokens on `:host` (light, dark, or the
/// scheme the host forces), where a host page's rule for the element (or an inline custom
/// property) overrides them; re-declaring them lower down would hide the host's theme, so every
/// token is inherited from the host from here on.
pub(crate) const AFTER: &str = "\
.mo-root { color-scheme: inherit; --mo-accent: inherit; --mo-accent-text: inherit; --mo-text: inherit; \
--mo-muted: inherit; --mo-bg: inherit; --mo-surface: inherit; --mo-border: inherit; \
--mo-error: inherit; --mo-error-text: inherit; --mo-error-bg: inherit; --mo-ok: inherit; \
--mo-ok-bg: inherit; --mo-warn: inherit; --mo-warn-bg: inherit; --mo-warn-border: inherit; \
--mo-info-bg: inherit; --mo-note-bg: inherit; --mo-note-border: inherit; --mo-note-text: \
inherit; --mo-note-badge: inherit; --mo-focus: inherit; --mo-status-new: inherit; \
--mo-status-open: inherit; --mo-status-done: inherit; --mo-priority-urgent: inherit; \
--mo-priority-high: inherit; --mo-chart-1: inherit; --mo-chart-2: inherit; --mo-chart-3: \
inherit; --mo-chart-4: inherit; --mo-chart-5: inherit; --mo-radius: inherit; --mo-font: \
inherit; --mo-text-sm: inherit; --mo-text-lg: inherit; --mo-text-xl: inherit; --mo-space-1: \
inherit; --mo-space-2: inherit; --mo-space-3: inherit; --mo-space-4: inherit; }
";

/// Rewrites every `<number>rem` in `css` as `calc(<number> * var(--mo-rem))`.
///
/// `rem` is relative to the *host page's* root font size, which a host may set to anything
/// (`html { font-size: 30px }`), and no CSS inside a Shadow DOM can rebase it. The widget's shell
/// defines `--mo-rem` instead, so the app keeps its proportions on every page and a host may still
/// scale it on purpose.
pub(crate) fn rebase_rem(css: &str) -> String {
    let bytes = css.as_bytes();
    let mut out = String::with_capacity(css.len() + css.len() / 4);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit()
            || (matches!(bytes[i], b'.' | b'-' | b'+')
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        let after_ident = i > 0 && is_ident(bytes[i - 1]);
        if !starts_number || after_ident {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        let unit_end = i + 3;
        if css.get(i..unit_end) == Some("rem") && bytes.get(unit_end).is_none_or(|b| !is_ident(*b))
        {
            out.push_str(&css[copied..start]);
            out.push_str("calc(");
            out.push_str(&css[start..i]);
            out.push_str(" * var(--mo-rem, 16px))");
            copied = unit_end;
            i = unit_end;
        }
    }
    out.push_str(&css[copied..]);
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')
}
