//! Markdown for messages and articles, rendered by walking pulldown-cmark's events into Leptos
//! nodes. Nothing is ever parsed as HTML: raw HTML in the source is shown as the literal text
//! the person wrote (inline and as blocks, line breaks kept), images become links, and links
//! keep only http, https and mailto targets (no `javascript:` or `data:`).

use leptos::prelude::*;
use pulldown_cmark::{Event, Parser, Tag};

#[derive(Debug, Clone, PartialEq)]
enum El {
    P,
    H,
    Quote,
    Ul,
    Ol,
    Li,
    Em,
    Strong,
    Del,
    Pre,
    /// A block of raw HTML, shown as its literal text with its line breaks.
    RawBlock,
    /// A link; `None` when its target was refused (the text stays).
    Link(Option<String>),
    Span,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    El(El, Vec<Node>),
    Text(String),
    Code(String),
    Break,
    Rule,
}

/// Only web and mail links; anything else (javascript:, data:, vbscript:, relative paths that a
/// host page would resolve against its own origin) is refused.
pub fn safe_href(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
        .then(|| u.to_owned())
}

fn parse(source: &str) -> Vec<Node> {
    let mut stack: Vec<(El, Vec<Node>)> = vec![(El::Span, Vec::new())];
    for ev in Parser::new(source) {
        match ev {
            Event::Start(tag) => {
                let el = match tag {
                    Tag::Paragraph => El::P,
                    Tag::Heading { .. } => El::H,
                    Tag::BlockQuote(_) => El::Quote,
                    Tag::CodeBlock(_) => El::Pre,
                    Tag::List(Some(_)) => El::Ol,
                    Tag::List(None) => El::Ul,
                    Tag::Item => El::Li,
                    Tag::Emphasis => El::Em,
                    Tag::Strong => El::Strong,
                    Tag::Strikethrough => El::Del,
                    Tag::HtmlBlock => El::RawBlock,
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                        El::Link(safe_href(&dest_url))
                    }
                    _ => El::Span,
                };
                stack.push((el, Vec::new()));
            }
            Event::End(_) => {
                if stack.len() > 1
                    && let Some((el, children)) = stack.pop()
                    && let Some(parent) = stack.last_mut()
                {
                    parent.1.push(Node::El(el, children));
                }
            }
            Event::Text(t) => push(&mut stack, Node::Text(t.into_string())),
            Event::Code(t) => push(&mut stack, Node::Code(t.into_string())),
            Event::SoftBreak => push(&mut stack, Node::Text(" ".into())),
            Event::HardBreak => push(&mut stack, Node::Break),
            Event::Rule => push(&mut stack, Node::Rule),
            // Raw HTML is what the person typed: shown as text, never interpreted.
            Event::Html(t) | Event::InlineHtml(t) => push(&mut stack, Node::Text(t.into_string())),
            _ => {}
        }
    }
    // Unbalanced input cannot happen with pulldown-cmark, but fold leftovers in anyway.
    while stack.len() > 1 {
        if let Some((el, children)) = stack.pop()
            && let Some(parent) = stack.last_mut()
        {
            parent.1.push(Node::El(el, children));
        }
    }
    stack.pop().map(|(_, c)| c).unwrap_or_default()
}

fn push(stack: &mut [(El, Vec<Node>)], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.1.push(node);
    }
}

fn render(node: Node) -> AnyView {
    match node {
        Node::Text(t) => t.into_any(),
        Node::Code(t) => view! { <code class="mo-md-code">{t}</code> }.into_any(),
        Node::Break => view! { <br /> }.into_any(),
        Node::Rule => view! { <hr /> }.into_any(),
        Node::El(el, children) => {
            let kids: Vec<AnyView> = children.into_iter().map(render).collect();
            match el {
                El::P => view! { <p>{kids}</p> }.into_any(),
                // Headings inside a message must not compete with the page's own outline.
                El::H => view! { <p class="mo-md-heading">{kids}</p> }.into_any(),
                El::Quote => view! { <blockquote>{kids}</blockquote> }.into_any(),
                El::Ul => view! { <ul>{kids}</ul> }.into_any(),
                El::Ol => view! { <ol>{kids}</ol> }.into_any(),
                El::Li => view! { <li>{kids}</li> }.into_any(),
                El::Em => view! { <em>{kids}</em> }.into_any(),
                El::Strong => view! { <strong>{kids}</strong> }.into_any(),
                El::Del => view! { <del>{kids}</del> }.into_any(),
                El::Pre => view! { <pre class="mo-md-pre"><code>{kids}</code></pre> }.into_any(),
                El::RawBlock => view! { <p class="mo-md-raw">{kids}</p> }.into_any(),
                El::Link(Some(href)) => view! {
                    <a href=href target="_blank" rel="noopener noreferrer nofollow">{kids}</a>
                }
                .into_any(),
                El::Link(None) | El::Span => view! { <span>{kids}</span> }.into_any(),
            }
        }
    }
}

/// Markdown source shown as formatted text.
#[component]
pub fn Markdown(
    /// The Markdown source (user text: it never becomes HTML).
    #[prop(into)]
    source: String,
) -> impl IntoView {
    let nodes: Vec<AnyView> = parse(&source).into_iter().map(render).collect();
    view! { <div class="mo-md">{nodes}</div> }
}

// The crate builds for the browser only, so its unit tests run there too.
#[cfg(test)]
mod tests {
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn links_keep_only_web_and_mail_targets() {
        assert_eq!(
            safe_href(" https://a.example/x "),
            Some("https://a.example/x".into())
        );
        assert_eq!(safe_href("mailto:a@b.c"), Some("mailto:a@b.c".into()));
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href("JaVaScRiPt:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,x"), None);
        assert_eq!(safe_href("/relative"), None);
    }

    /// The text a person would read: every text node in order.
    fn text(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text(t) | Node::Code(t) => t.clone(),
                Node::El(_, kids) => text(kids),
                Node::Break => "\n".into(),
                Node::Rule => String::new(),
            })
            .collect()
    }

    #[wasm_bindgen_test]
    fn raw_html_is_shown_as_the_text_that_was_written() {
        let nodes = parse("hi <img src=x onerror=alert(1)> **there** <br> and `<b>`");
        assert_eq!(
            text(&nodes),
            "hi <img src=x onerror=alert(1)> there <br> and <b>"
        );
        assert!(
            format!("{nodes:?}").contains("Strong"),
            "Markdown formatting still applies"
        );
        let block = parse("<div class=\"x\">\n  <p>pasted</p>\n</div>\n\nafter");
        assert!(matches!(&block[0], Node::El(El::RawBlock, _)));
        assert_eq!(
            text(&block),
            "<div class=\"x\">\n  <p>pasted</p>\n</div>\nafter"
        );
        assert_eq!(
            text(&parse("<script>alert(1)</script>")),
            "<script>alert(1)</script>"
        );
    }
}
