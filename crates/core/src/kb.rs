//! Knowledge base: articles, their search, deflection suggestions and the deflection report.
//!
//! Articles are written in Markdown. For indexing, [`markdown_to_text`] strips the syntax with a
//! cheap line-and-character pass (no Markdown parser): headings, quotes, list markers, emphasis,
//! code fences, tables, HTML tags and link targets go; the words stay.
//!
//! While a customer types a ticket subject, [`KnowledgeBase::suggest_for_subject`] offers
//! published articles that may answer the question before the ticket is sent ("deflection").
//! What happened next is recorded as [`Deflection`]s and summed by [`deflection_stats`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::Timestamp;
use crate::search::{self, DocKind, DocRef, Fields, Match, PrefixMode, Query, SearchIndex};

/// Longest slug accepted, in bytes.
pub const MAX_SLUG_LEN: usize = 100;
/// Longest title accepted, in characters.
pub const MAX_TITLE_LEN: usize = 200;

/// Identifies an article. Opaque text, unique within an installation; translations of one
/// article are separate articles with their own ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ArticleId(pub String);

/// A knowledge-base article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: ArticleId,
    /// URL part: lower-case ASCII letters and digits in hyphen-separated groups. Unique per
    /// locale.
    pub slug: String,
    pub title: String,
    /// Markdown source.
    pub body: String,
    pub tags: Vec<String>,
    /// BCP 47 language tag such as `es`, `pt-BR` or `es-419`.
    pub locale: String,
    /// Only published articles are shown to customers.
    pub published: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Raised by one on every edit; an older version never replaces a newer one.
    pub version: u32,
}

/// Why a slug is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {MAX_SLUG_LEN} bytes")]
    TooLong,
    #[error("has {0:?}; only a-z, 0-9 and '-' are allowed")]
    InvalidChar(char),
    #[error("starts or ends with '-'")]
    EdgeHyphen,
    #[error("has '--'")]
    DoubleHyphen,
}

/// Why an article is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    #[error("article id is empty")]
    EmptyId,
    #[error("article title is empty")]
    EmptyTitle,
    #[error("article title is longer than {MAX_TITLE_LEN} characters")]
    TitleTooLong,
    #[error("slug {slug:?} {reason}")]
    InvalidSlug { slug: String, reason: SlugError },
    #[error("locale {0:?} is not a language tag like \"es\" or \"pt-BR\"")]
    InvalidLocale(String),
    #[error("article updated_at is before created_at")]
    UpdatedBeforeCreated,
}

/// Why the knowledge base refused a change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KbError {
    #[error(transparent)]
    Invalid(#[from] ArticleError),
    #[error("slug {slug:?} is already used in locale {locale:?} by article {other:?}")]
    DuplicateSlug {
        slug: String,
        locale: String,
        other: ArticleId,
    },
    #[error("article version {given} is older than the stored version {current}")]
    StaleVersion { current: u32, given: u32 },
}

/// Checks a slug: non-empty, at most [`MAX_SLUG_LEN`] bytes, groups of `a-z0-9` joined by
/// single hyphens.
pub fn validate_slug(slug: &str) -> Result<(), SlugError> {
    if slug.is_empty() {
        return Err(SlugError::Empty);
    }
    if slug.len() > MAX_SLUG_LEN {
        return Err(SlugError::TooLong);
    }
    if let Some(c) = slug
        .chars()
        .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        return Err(SlugError::InvalidChar(c));
    }
    if slug.starts_with('-') || slug.ends_with('-') {
        return Err(SlugError::EdgeHyphen);
    }
    if slug.contains("--") {
        return Err(SlugError::DoubleHyphen);
    }
    Ok(())
}

/// A valid slug made from a title: `"¿Cómo cambio mi contraseña?"` → `"como-cambio-mi-contrasena"`.
/// Letters with no ASCII form (e.g. CJK) are dropped; the result may be empty.
pub fn slugify(title: &str) -> String {
    let folded = search::fold(title);
    let mut out = String::new();
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let extra = word.len() + usize::from(!out.is_empty());
        if out.len() + extra > MAX_SLUG_LEN {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

fn valid_locale(locale: &str) -> bool {
    let mut parts = locale.split('-');
    let lang = parts.next().unwrap_or_default();
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The language part of a locale, lower-cased: `"pt-BR"` → `"pt"`.
fn language(locale: &str) -> &str {
    locale.split(['-', '_']).next().unwrap_or_default()
}

/// How well an article's locale suits the wanted one: 0 same tag, 1 same language, 2 other.
fn locale_rank(article: &str, wanted: &str) -> u8 {
    if article.eq_ignore_ascii_case(wanted) {
        0
    } else if language(article).eq_ignore_ascii_case(language(wanted)) {
        1
    } else {
        2
    }
}

impl Article {
    /// Checks the article on its own (slug uniqueness is checked by [`KnowledgeBase::upsert`]).
    pub fn validate(&self) -> Result<(), ArticleError> {
        if self.id.0.trim().is_empty() {
            return Err(ArticleError::EmptyId);
        }
        if self.title.trim().is_empty() {
            return Err(ArticleError::EmptyTitle);
        }
        if self.title.chars().count() > MAX_TITLE_LEN {
            return Err(ArticleError::TitleTooLong);
        }
        validate_slug(&self.slug).map_err(|reason| ArticleError::InvalidSlug {
            slug: self.slug.clone(),
            reason,
        })?;
        if !valid_locale(&self.locale) {
            return Err(ArticleError::InvalidLocale(self.locale.clone()));
        }
        if self.updated_at < self.created_at {
            return Err(ArticleError::UpdatedBeforeCreated);
        }
        Ok(())
    }

    /// The body as plain text (see [`markdown_to_text`]).
    pub fn plain_body(&self) -> String {
        markdown_to_text(&self.body)
    }
}

/// Markdown source to plain text, cheaply: good enough for indexing and short previews, not a
/// renderer.
///
/// Removed: heading `#`s, `>` quote markers, list and task markers, thematic breaks and table
/// rule lines, code fence lines (the code itself is kept, error messages are worth finding),
/// emphasis and code marks (`*`, `~`, `` ` ``, `_` at word edges), table pipes, HTML tags and
/// comments on one line, link and image targets (the link text and alt text stay), reference
/// definitions, and backslash escapes. The entities `&amp; &lt; &gt; &quot; &#39; &nbsp;` are
/// decoded. Line breaks are kept.
pub fn markdown_to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut fence: Option<&str> = None;
    for line in md.lines() {
        let trimmed = line.trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            } else {
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        if is_rule_line(trimmed) || is_link_definition(trimmed) {
            continue;
        }
        let mut rest = trimmed;
        while let Some(r) = rest.strip_prefix('>') {
            rest = r.trim_start();
        }
        let unhashed = rest.trim_start_matches('#');
        if unhashed.len() != rest.len() && (unhashed.is_empty() || unhashed.starts_with(' ')) {
            rest = unhashed.trim().trim_end_matches('#');
        }
        rest = strip_list_marker(rest);
        inline_to_text(rest, &mut out);
        out.push('\n');
    }
    out
}

/// `---`, `***`, `===`, `| --- | :-: |` and the like.
fn is_rule_line(line: &str) -> bool {
    let mut marks = 0;
    for c in line.chars() {
        match c {
            '-' | '=' | '*' | '_' => marks += 1,
            '|' | ':' | ' ' | '\t' => {}
            _ => return false,
        }
    }
    marks >= 3
}

/// `[label]: https://…`
fn is_link_definition(line: &str) -> bool {
    line.starts_with('[')
        && line
            .find("]:")
            .is_some_and(|i| !line[1..i].contains(']') && i > 1)
}

fn strip_list_marker(line: &str) -> &str {
    let rest = if let Some(r) = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
    {
        r
    } else {
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if (1..=9).contains(&digits)
            && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
        {
            &line[digits + 2..]
        } else {
            return line;
        }
    };
    let rest = rest.trim_start();
    ["[ ] ", "[x] ", "[X] "]
        .iter()
        .find_map(|task| rest.strip_prefix(task))
        .unwrap_or(rest)
}

/// Index just past the bracket matching the opener at `open` (`(` or `[`), if any.
fn matching_close(s: &str, open: usize) -> Option<usize> {
    let (o, c) = match s.as_bytes()[open] {
        b'(' => (b'(', b')'),
        _ => (b'[', b']'),
    };
    let mut depth = 0usize;
    for (i, &b) in s.as_bytes()[open..].iter().enumerate() {
        if b == o {
            depth += 1;
        } else if b == c {
            depth -= 1;
            if depth == 0 {
                return Some(open + i + 1);
            }
        }
    }
    None
}

fn inline_to_text(line: &str, out: &mut String) {
    const ENTITIES: [(&str, char); 6] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&nbsp;", ' '),
    ];
    let mut chars = line.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        let rest = &line[i..];
        match c {
            '\\' => {
                if let Some(&(_, next)) = chars.peek().filter(|(_, n)| n.is_ascii_punctuation()) {
                    out.push(next);
                    chars.next();
                } else {
                    out.push('\\');
                }
            }
            '*' | '~' | '`' => {}
            '_' => {
                let next = chars.peek().map(|&(_, n)| n);
                if prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric)
                {
                    out.push('_');
                }
            }
            '|' => out.push(' '),
            '!' if rest[1..].starts_with('[') => {}
            '[' => {}
            ']' => {
                // Skip a link target `(…)` or reference `[…]` right after the text.
                let after = i + 1;
                if matches!(line.as_bytes().get(after), Some(b'(' | b'['))
                    && let Some(end) = matching_close(line, after)
                {
                    while chars.peek().is_some_and(|&(j, _)| j < end) {
                        chars.next();
                    }
                }
            }
            '<' => match rest.find('>') {
                Some(end) if end > 1 => {
                    let inner = &rest[1..end];
                    let is_tag = inner
                        .starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '/' || ch == '!');
                    if !is_tag {
                        out.push('<');
                        prev = Some(c);
                        continue;
                    }
                    if !inner.contains(' ') && (inner.contains("://") || inner.contains('@')) {
                        // Autolink: keep the address.
                        out.push_str(inner.strip_prefix("mailto:").unwrap_or(inner));
                    } else {
                        out.push(' ');
                    }
                    while chars.peek().is_some_and(|&(j, _)| j <= i + end) {
                        chars.next();
                    }
                }
                _ => out.push('<'),
            },
            '&' => match ENTITIES.iter().find(|(name, _)| rest.starts_with(name)) {
                Some(&(name, ch)) => {
                    out.push(ch);
                    while chars.peek().is_some_and(|&(j, _)| j < i + name.len()) {
                        chars.next();
                    }
                }
                None => out.push('&'),
            },
            _ => out.push(c),
        }
        prev = Some(c);
    }
}

/// A knowledge-base search result.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleHit<'a> {
    pub article: &'a Article,
    pub score: f32,
    /// Indexed (folded) terms that matched, for highlighting.
    pub matched_terms: Vec<String>,
}

/// The articles and their search index.
///
/// The index holds only articles, under [`DocRef::Article`]; a knowledge base of a few thousand
/// articles is the expected size.
#[derive(Debug, Default)]
pub struct KnowledgeBase {
    articles: BTreeMap<ArticleId, Article>,
    /// (lower-cased locale, slug) → id.
    slugs: BTreeMap<(String, String), ArticleId>,
    index: SearchIndex,
}

impl KnowledgeBase {
    pub fn new() -> Self {
        Self::default()
    }

    /// A knowledge base holding `articles`; stops at the first refused one.
    pub fn from_articles(articles: impl IntoIterator<Item = Article>) -> Result<Self, KbError> {
        let mut kb = Self::new();
        for article in articles {
            kb.upsert(article)?;
        }
        Ok(kb)
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    pub fn get(&self, id: &ArticleId) -> Option<&Article> {
        self.articles.get(id)
    }

    pub fn get_by_slug(&self, locale: &str, slug: &str) -> Option<&Article> {
        let id = self
            .slugs
            .get(&(locale.to_ascii_lowercase(), slug.to_owned()))?;
        self.articles.get(id)
    }

    /// All articles, by id.
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.articles.values()
    }

    /// Adds or replaces an article and re-indexes it. Refuses invalid articles, a slug already
    /// used by another article of the same locale, and a version older than the stored one (an
    /// equal version replaces, so replaying the same article is harmless).
    pub fn upsert(&mut self, article: Article) -> Result<(), KbError> {
        article.validate()?;
        if let Some(current) = self.articles.get(&article.id)
            && current.version > article.version
        {
            return Err(KbError::StaleVersion {
                current: current.version,
                given: article.version,
            });
        }
        let key = (article.locale.to_ascii_lowercase(), article.slug.clone());
        if let Some(other) = self.slugs.get(&key)
            && *other != article.id
        {
            return Err(KbError::DuplicateSlug {
                slug: article.slug,
                locale: article.locale,
                other: other.clone(),
            });
        }
        if let Some(old) = self.articles.get(&article.id) {
            self.slugs
                .remove(&(old.locale.to_ascii_lowercase(), old.slug.clone()));
        }
        let body = article.plain_body();
        self.index.upsert(
            DocRef::Article(article.id.0.clone()),
            Fields {
                title: &article.title,
                tags: &article.tags,
                body: &body,
            },
        );
        self.slugs.insert(key, article.id.clone());
        self.articles.insert(article.id.clone(), article);
        Ok(())
    }

    /// Removes an article, returning it.
    pub fn remove(&mut self, id: &ArticleId) -> Option<Article> {
        let article = self.articles.remove(id)?;
        self.slugs
            .remove(&(article.locale.to_ascii_lowercase(), article.slug.clone()));
        self.index.remove(&DocRef::Article(id.0.clone()));
        Some(article)
    }

    fn article_of(&self, doc: &DocRef) -> Option<&Article> {
        match doc {
            DocRef::Article(id) => self.articles.get(&ArticleId(id.clone())),
            DocRef::Ticket(_) => None,
        }
    }

    /// Full-text search for agents and the help centre: every query word must match, the last one
    /// may be unfinished. With `locale`, only articles in that language (any region) are
    /// returned. All matches come back, best first.
    pub fn search_articles(
        &self,
        query: &str,
        locale: Option<&str>,
        include_unpublished: bool,
    ) -> Vec<ArticleHit<'_>> {
        let q = Query::new(query).kind(DocKind::Article).limit(usize::MAX);
        let keep = |doc: &DocRef| {
            self.article_of(doc).is_some_and(|a| {
                (include_unpublished || a.published)
                    && locale.is_none_or(|l| locale_rank(&a.locale, l) <= 1)
            })
        };
        self.index
            .search_filtered(&q, keep)
            .into_iter()
            .filter_map(|hit| self.to_hit(hit))
            .collect()
    }

    /// Published articles that may answer a ticket while its subject is being typed.
    ///
    /// The subject is matched loosely (any word may match, articles matching more words rank
    /// higher; the last word may be unfinished) and stop words alone never suggest anything.
    /// Articles in the customer's `locale` come first, then the same language in another region,
    /// then other languages, each group by relevance. Subjects with fewer than three letters or
    /// digits suggest nothing.
    pub fn suggest_for_subject(
        &self,
        subject_so_far: &str,
        locale: &str,
        limit: usize,
    ) -> Vec<ArticleHit<'_>> {
        if subject_so_far
            .chars()
            .filter(|c| c.is_alphanumeric())
            .count()
            < 3
            || limit == 0
        {
            return Vec::new();
        }
        let q = Query::new(subject_so_far)
            .prefix(PrefixMode::Last)
            .matching(Match::Any)
            .kind(DocKind::Article)
            .limit(usize::MAX);
        let keep = |doc: &DocRef| self.article_of(doc).is_some_and(|a| a.published);
        let mut hits: Vec<ArticleHit<'_>> = self
            .index
            .search_filtered(&q, keep)
            .into_iter()
            .filter(|hit| hit.matched_terms.iter().any(|t| !search::is_stop_word(t)))
            .filter_map(|hit| self.to_hit(hit))
            .collect();
        // Stable: within a locale group the index order (score, then id) stays.
        hits.sort_by_key(|h| locale_rank(&h.article.locale, locale));
        hits.truncate(limit);
        hits
    }

    fn to_hit(&self, hit: search::Hit) -> Option<ArticleHit<'_>> {
        Some(ArticleHit {
            article: self.article_of(&hit.doc)?,
            score: hit.score,
            matched_terms: hit.matched_terms,
        })
    }
}

/// What a customer did with a suggested article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeflectionOutcome {
    /// Opened the suggestion.
    Viewed,
    /// Said the article answered the question.
    Helpful,
    /// Said it did not.
    NotHelpful,
    /// Sent the ticket after seeing the suggestion.
    TicketCreatedAnyway,
}

/// One recorded reaction to a suggested article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deflection {
    pub article_id: ArticleId,
    pub at: Timestamp,
    pub outcome: DeflectionOutcome,
}

/// Per-article totals of [`Deflection`] outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeflectionCounts {
    pub viewed: u32,
    pub helpful: u32,
    pub not_helpful: u32,
    pub ticket_created_anyway: u32,
}

impl DeflectionCounts {
    /// Views not followed by a ticket: the estimate of tickets this article avoided.
    pub fn deflected(&self) -> u32 {
        self.viewed.saturating_sub(self.ticket_created_anyway)
    }

    /// Share of views that did not end in a ticket, if the article was viewed.
    pub fn deflection_rate(&self) -> Option<f64> {
        (self.viewed > 0).then(|| f64::from(self.deflected()) / f64::from(self.viewed))
    }

    /// Share of votes that were "helpful", if anyone voted.
    pub fn helpful_rate(&self) -> Option<f64> {
        let votes = self.helpful + self.not_helpful;
        (votes > 0).then(|| f64::from(self.helpful) / f64::from(votes))
    }
}

/// Sums outcomes per article (the "which articles deflected tickets" report). Filter `events`
/// by date first for a period.
pub fn deflection_stats(events: &[Deflection]) -> BTreeMap<ArticleId, DeflectionCounts> {
    let mut out: BTreeMap<ArticleId, DeflectionCounts> = BTreeMap::new();
    for event in events {
        let counts = out.entry(event.article_id.clone()).or_default();
        let slot = match event.outcome {
            DeflectionOutcome::Viewed => &mut counts.viewed,
            DeflectionOutcome::Helpful => &mut counts.helpful,
            DeflectionOutcome::NotHelpful => &mut counts.not_helpful,
            DeflectionOutcome::TicketCreatedAnyway => &mut counts.ticket_created_anyway,
        };
        *slot = slot.saturating_add(1);
    }
    out
}

/// The report rows, most deflections first (ties by article id).
pub fn deflection_ranking(events: &[Deflection]) -> Vec<(ArticleId, DeflectionCounts)> {
    let mut rows: Vec<_> = deflection_stats(events).into_iter().collect();
    rows.sort_by(|a, b| {
        b.1.deflected()
            .cmp(&a.1.deflected())
            .then_with(|| a.0.cmp(&b.0))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2025, 3, day, 9, 0, 0).unwrap()
    }

    fn article(id: &str, locale: &str, title: &str, body: &str, published: bool) -> Article {
        Article {
            id: ArticleId(id.to_owned()),
            slug: slugify(title),
            title: title.to_owned(),
            body: body.to_owned(),
            tags: Vec::new(),
            locale: locale.to_owned(),
            published,
            created_at: at(1),
            updated_at: at(2),
            version: 1,
        }
    }

    fn ids<'a>(hits: &[ArticleHit<'a>]) -> Vec<&'a str> {
        hits.iter().map(|h| h.article.id.0.as_str()).collect()
    }

    fn sample() -> KnowledgeBase {
        KnowledgeBase::from_articles([
            article(
                "es-factura",
                "es",
                "Cómo descargar tu factura",
                "Ve a **Mi cuenta** → *Facturación* y pulsa [Descargar](https://example.invalid/f).",
                true,
            ),
            article(
                "pt-factura",
                "pt-BR",
                "Como baixar sua fatura",
                "Acesse Minha conta e depois Faturamento. Não precisa abrir chamado.",
                true,
            ),
            article(
                "en-invoice",
                "en",
                "How to download your invoice",
                "Open Account, then Billing. Invoices (facturas) are PDF files.",
                true,
            ),
            article(
                "es-contrasena",
                "es-MX",
                "Cambiar la contraseña",
                "Si olvidaste tu contraseña, usa «Recuperar acceso».",
                true,
            ),
            article(
                "es-borrador",
                "es",
                "Facturación electrónica (borrador)",
                "Pendiente de revisar.",
                false,
            ),
        ])
        .unwrap()
    }

    #[test]
    fn validation_reports_typed_errors() {
        let good = article("a1", "es", "Título", "", true);
        assert_eq!(good.validate(), Ok(()));
        let mut bad = good.clone();
        bad.title = "  ".into();
        assert_eq!(bad.validate(), Err(ArticleError::EmptyTitle));
        for (slug, reason) in [
            ("", SlugError::Empty),
            ("Mayus", SlugError::InvalidChar('M')),
            ("con espacio", SlugError::InvalidChar(' ')),
            ("ñandu", SlugError::InvalidChar('ñ')),
            ("-borde", SlugError::EdgeHyphen),
            ("borde-", SlugError::EdgeHyphen),
            ("doble--guion", SlugError::DoubleHyphen),
        ] {
            let mut bad = good.clone();
            bad.slug = slug.into();
            assert_eq!(
                bad.validate(),
                Err(ArticleError::InvalidSlug {
                    slug: slug.into(),
                    reason
                }),
                "{slug}"
            );
        }
        let mut bad = good.clone();
        bad.slug = "a".repeat(MAX_SLUG_LEN + 1);
        assert!(matches!(
            bad.validate(),
            Err(ArticleError::InvalidSlug {
                reason: SlugError::TooLong,
                ..
            })
        ));
        for locale in ["", "e", "español", "pt_BR", "es-"] {
            let mut bad = good.clone();
            bad.locale = locale.into();
            assert_eq!(
                bad.validate(),
                Err(ArticleError::InvalidLocale(locale.into()))
            );
        }
        let mut bad = good.clone();
        bad.updated_at = at(1) - chrono::Duration::hours(1);
        assert_eq!(bad.validate(), Err(ArticleError::UpdatedBeforeCreated));
        let mut bad = good;
        bad.id = ArticleId(String::new());
        assert_eq!(bad.validate(), Err(ArticleError::EmptyId));
    }

    #[test]
    fn slugify_makes_valid_slugs() {
        assert_eq!(
            slugify("¿Cómo cambio mi contraseña?"),
            "como-cambio-mi-contrasena"
        );
        assert_eq!(slugify("  Não consigo   entrar!! "), "nao-consigo-entrar");
        assert_eq!(validate_slug(&slugify(&"palabra ".repeat(40))), Ok(()));
    }

    #[test]
    fn upsert_checks_slugs_and_versions() {
        let mut kb = sample();
        let mut dup = article("otro", "es", "Cómo descargar tu factura", "", true);
        assert!(matches!(
            kb.upsert(dup.clone()),
            Err(KbError::DuplicateSlug { .. })
        ));
        // Same slug in another locale is fine.
        dup.locale = "en".into();
        kb.upsert(dup).unwrap();

        let mut edit = kb.get(&ArticleId("es-factura".into())).unwrap().clone();
        edit.version = 2;
        edit.title = "Descargar facturas".into();
        edit.slug = "descargar-facturas".into();
        kb.upsert(edit.clone()).unwrap();
        assert!(kb.get_by_slug("es", "como-descargar-tu-factura").is_none());
        assert_eq!(
            kb.get_by_slug("ES", "descargar-facturas").unwrap().version,
            2
        );
        edit.version = 1;
        assert_eq!(
            kb.upsert(edit),
            Err(KbError::StaleVersion {
                current: 2,
                given: 1
            })
        );

        let invalid = article("x", "es", "", "", true);
        assert_eq!(
            kb.upsert(invalid),
            Err(KbError::Invalid(ArticleError::EmptyTitle))
        );

        assert!(kb.remove(&ArticleId("es-factura".into())).is_some());
        assert!(kb.get_by_slug("es", "descargar-facturas").is_none());
        assert!(
            kb.search_articles("descargar facturas", None, true)
                .is_empty()
        );
    }

    #[test]
    fn search_articles_filters_published_and_language() {
        let kb = sample();
        assert_eq!(
            ids(&kb.search_articles("factu", Some("es"), false)),
            ["es-factura"]
        );
        let mut all = ids(&kb.search_articles("factu", Some("es"), true));
        all.sort_unstable();
        assert_eq!(all, ["es-borrador", "es-factura"]);
        // Without a locale, any language; "facturas" is in the English body.
        let mut any = ids(&kb.search_articles("facturas", None, false));
        any.sort_unstable();
        assert_eq!(any, ["en-invoice"]);
        // Region variants count as the language.
        assert_eq!(
            ids(&kb.search_articles("contraseña", Some("es"), false)),
            ["es-contrasena"]
        );
        // Markdown link targets are not indexed, the link text is.
        assert!(kb.search_articles("example", None, true).is_empty());
        assert_eq!(
            ids(&kb.search_articles("pulsa descargar", None, true)),
            ["es-factura"]
        );
    }

    #[test]
    fn suggestions_skip_unpublished() {
        let kb = sample();
        let hits = kb.suggest_for_subject("facturación electr", "es", 5);
        assert!(hits.iter().all(|h| h.article.published));
        assert!(!ids(&hits).contains(&"es-borrador"));
        assert_eq!(ids(&hits).first(), Some(&"es-factura"));
    }

    #[test]
    fn suggestions_prefer_locale_and_fall_back() {
        let kb = sample();
        // Words from all three languages: the customer's language first.
        let subject = "factura fatura invoice";
        assert_eq!(
            ids(&kb.suggest_for_subject(subject, "pt-BR", 3)),
            ["pt-factura", "es-factura", "en-invoice"]
        );
        assert_eq!(
            ids(&kb.suggest_for_subject(subject, "pt-PT", 1)),
            ["pt-factura"]
        );
        assert_eq!(
            ids(&kb.suggest_for_subject(subject, "en", 1)),
            ["en-invoice"]
        );
        // No English article about passwords: fall back to the Spanish one, even from a partial
        // last word.
        assert_eq!(
            ids(&kb.suggest_for_subject("olvide mi contras", "en", 3)),
            ["es-contrasena"]
        );
        // Tolerant of an unfinished last word and of accents.
        assert_eq!(
            ids(&kb.suggest_for_subject("nao consigo baixar a fat", "pt-BR", 1)),
            ["pt-factura"]
        );
    }

    #[test]
    fn suggestions_ignore_noise() {
        let kb = sample();
        assert!(kb.suggest_for_subject("", "es", 5).is_empty());
        assert!(kb.suggest_for_subject("fa", "es", 5).is_empty());
        assert!(kb.suggest_for_subject("factura", "es", 0).is_empty());
        // Only stop words: nothing.
        assert!(kb.suggest_for_subject("como la de ", "es", 5).is_empty());
        // ...but an unfinished last word may be the start of a real one ("descargar").
        assert_eq!(
            ids(&kb.suggest_for_subject("como la des", "es", 5)),
            ["es-factura"]
        );
        assert!(kb.suggest_for_subject("zzzz qqqq", "es", 5).is_empty());
    }

    #[test]
    fn markdown_is_stripped_to_words() {
        let md = "# Título *uno* #\n\
                  > cita **fuerte**\n\
                  - [ ] tarea `código`\n\
                  2. paso con [enlace](https://x.invalid/a_(b)) y ![alt texto](img.png)\n\
                  ---\n\
                  | col_a | col b |\n\
                  |---|:-:|\n\
                  <b>negrita</b> &amp; <https://ayuda.invalid> snake_case _énfasis_ \\*lit\\*\n\
                  [ref]: https://x.invalid\n\
                  ```rust\n\
                  let error_code = 42;\n\
                  ```\n\
                  texto [con ref][ref] fin";
        let text = markdown_to_text(md);
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(
            words,
            [
                "Título",
                "uno",
                "cita",
                "fuerte",
                "tarea",
                "código",
                "paso",
                "con",
                "enlace",
                "y",
                "alt",
                "texto",
                "col_a",
                "col",
                "b",
                "negrita",
                "&",
                "https://ayuda.invalid",
                "snake_case",
                "énfasis",
                "*lit*",
                "let",
                "error_code",
                "=",
                "42;",
                "texto",
                "con",
                "ref",
                "fin",
            ]
        );
    }

    #[test]
    fn deflection_stats_count_per_article() {
        let ev = |id: &str, outcome| Deflection {
            article_id: ArticleId(id.to_owned()),
            at: at(3),
            outcome,
        };
        use DeflectionOutcome::*;
        let events = [
            ev("a", Viewed),
            ev("a", Viewed),
            ev("a", Helpful),
            ev("b", Viewed),
            ev("b", NotHelpful),
            ev("b", TicketCreatedAnyway),
            ev("a", Viewed),
            ev("c", Helpful),
        ];
        let stats = deflection_stats(&events);
        let a = stats[&ArticleId("a".into())];
        assert_eq!(
            a,
            DeflectionCounts {
                viewed: 3,
                helpful: 1,
                not_helpful: 0,
                ticket_created_anyway: 0
            }
        );
        assert_eq!(a.deflected(), 3);
        assert_eq!(a.helpful_rate(), Some(1.0));
        let b = stats[&ArticleId("b".into())];
        assert_eq!(b.deflected(), 0);
        assert_eq!(b.deflection_rate(), Some(0.0));
        assert_eq!(stats[&ArticleId("c".into())].deflection_rate(), None);
        assert!(deflection_stats(&[]).is_empty());
        let ranking = deflection_ranking(&events);
        let order: Vec<&str> = ranking.iter().map(|r| r.0.0.as_str()).collect();
        assert_eq!(order, ["a", "b", "c"]);
    }
}
