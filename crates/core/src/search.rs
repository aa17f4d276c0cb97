//! Full-text search: a folding tokenizer and a compact in-memory inverted index.
//!
//! # Tokenizer
//!
//! Text is *folded* before it is split: lower-cased, decomposed (Unicode compatibility
//! decomposition) and stripped of combining marks, so `"Atención"`, `"ATENCION"` and `"atencion"`
//! are the same term, as are `"não"`/`"nao"`, `"pingüino"`/`"pinguino"` and `"ç"`/`"c"`. A few
//! letters that do not decompose are spelled out (`ß`→`ss`, `æ`→`ae`, `œ`→`oe`, `ø`→`o`, `ł`→`l`,
//! `đ`→`d`).
//!
//! Terms are runs of letters and digits. Runs joined by `-`, `_`, `.`, `/` or `@` with no space in
//! between form a *compound* (`KQD-48213-ZPT`, `juan@ejemplo.com`, `v2.3`, `24/7`): the index
//! keeps the whole compound *and* each of its parts, so a ticket code is found by its full text, by
//! a typed-ahead start of it (`kqd-482`) or by any of its parts (`48213`). Queries keep compounds
//! whole, so `KQD-48213-ZPT` finds the documents holding that exact code; only when no document
//! holds a query compound are its parts searched instead (each then being a query term). Terms
//! longer than [`MAX_TERM_LEN`] bytes are dropped.
//!
//! Short stop-word lists for Spanish, Portuguese and English ([`is_stop_word`]) are indexed like
//! any other term but are left out of a query that also holds other terms, so they neither filter
//! nor rank. A query made only of stop words (`"como"`, `"de la"`) is run as written.
//!
//! # Index
//!
//! [`SearchIndex`] maps terms to posting lists (document ordinal + term frequency per field),
//! with the term dictionary in a `BTreeMap` so a prefix is a range walk over the matching terms
//! only. Every query term must match (AND), unless the query asks for [`Match::Any`]. The last
//! query term (or every term) may match as a prefix, for type-ahead. Ranking is BM25F: term
//! frequencies are weighted per field (title 3, tags 2, body 1) and normalised by field length
//! against the average; ties break on [`DocRef`] order, so results are deterministic.
//!
//! The index is derived data, rebuilt from the tickets and articles it describes. A store may
//! keep [`SearchIndex::snapshot`]'s bytes to skip the rebuild ([`SearchIndex::from_snapshot`]
//! reads them back, refusing bytes of another format version or damaged ones); the IndexedDB
//! store does, for the console.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Bound;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::text;

/// Longest term kept, in bytes of folded text.
pub const MAX_TERM_LEN: usize = 64;

// ---------------------------------------------------------------------------------------------
// Folding and tokenizing
// ---------------------------------------------------------------------------------------------

/// Lower-cases `text` and strips accents and other combining marks.
///
/// ```
/// use mostrador_core::search::fold;
/// assert_eq!(fold("ATENCIÓN al Pingüino, não ç"), "atencion al pinguino, nao c");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

fn fold_into(text: &str, out: &mut String) {
    // Lower case first (with the letters that have no decomposition spelled out), then one
    // compatibility decomposition of the whole text without its marks (a single call to the
    // normaliser, which in the browser is JavaScript), then lower case again: compatibility forms
    // such as full-width letters may decompose to upper case.
    let mut lowered = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            lowered.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            match lower {
                'ß' => lowered.push_str("ss"),
                'æ' => lowered.push_str("ae"),
                'œ' => lowered.push_str("oe"),
                'ø' => lowered.push('o'),
                'ł' => lowered.push('l'),
                'đ' => lowered.push('d'),
                'ı' => lowered.push('i'),
                _ => lowered.push(lower),
            }
        }
    }
    if lowered.is_ascii() {
        out.push_str(&lowered);
        return;
    }
    for d in text::nfkd_without_marks(&lowered).chars() {
        if d.is_ascii() {
            out.push(d.to_ascii_lowercase());
        } else {
            out.extend(d.to_lowercase());
        }
    }
}

/// Whether a folded term is on the (short) Spanish, Portuguese or English stop-word list.
///
/// Negations (`no`, `nao`, `not`) are deliberately *not* stop words: in support requests they
/// carry meaning ("no funciona").
pub fn is_stop_word(term: &str) -> bool {
    matches!(
        term,
        // Shared by two or three of the languages.
        "a" | "e" | "o" | "y" | "u" | "de" | "en" | "la" | "las" | "el" | "los" | "lo" | "un"
            | "una" | "unos" | "unas" | "del" | "al" | "que" | "se" | "con" | "por" | "para"
            | "como" | "mas" | "pero" | "su" | "sus" | "le" | "les" | "es" | "son" | "fue"
            | "ya" | "si" | "me" | "mi" | "mis" | "te" | "tu" | "tus" | "yo" | "ha" | "han"
            | "hay" | "este" | "esta" | "esto" | "estos" | "estas" | "ese" | "esa" | "eso"
            | "muy" | "sin" | "sobre" | "entre" | "hasta" | "desde" | "cuando" | "donde"
            | "tambien" | "ni" | "nos"
            // Portuguese.
            | "da" | "das" | "do" | "dos" | "em" | "na" | "nas" | "os" | "as" | "ao" | "aos"
            | "um" | "uma" | "umas" | "uns" | "com" | "seu" | "sua" | "seus" | "suas" | "ou"
            | "eu" | "ja" | "isso" | "isto" | "essa" | "esse" | "pelo" | "pela" | "pelos"
            | "pelas" | "num" | "numa" | "ate" | "sem" | "quando" | "onde" | "muito" | "foi"
            | "ser" | "meu" | "minha" | "voce" | "ele" | "ela" | "eles" | "elas"
            // English.
            | "an" | "the" | "and" | "or" | "of" | "to" | "in" | "on" | "at" | "for" | "with"
            | "by" | "from" | "is" | "are" | "was" | "were" | "be" | "been" | "it" | "its"
            | "this" | "that" | "these" | "those" | "i" | "my" | "we" | "our" | "you"
            | "your" | "he" | "she" | "they" | "them" | "his" | "her" | "does" | "did"
            | "have" | "has" | "had" | "can" | "will" | "would" | "should" | "if" | "so"
            | "but" | "there" | "what" | "which" | "who" | "how" | "am"
    )
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | '/' | '@')
}

/// Calls `emit` with each term of already-folded text. With `parts`, a compound yields its whole
/// text then each part (index side); without, only the whole (query side), or its parts if the
/// whole is too long.
fn scan_terms<'t>(folded: &'t str, parts: bool, mut emit: impl FnMut(&'t str)) {
    let mut chars = folded.char_indices().peekable();
    let mut bounds: Vec<(usize, usize)> = Vec::new();
    while let Some(&(start, c)) = chars.peek() {
        if !c.is_alphanumeric() {
            chars.next();
            continue;
        }
        bounds.clear();
        let mut run_start = start;
        let end = loop {
            // Consume one alphanumeric run.
            let mut run_end = run_start;
            while let Some(&(i, c)) = chars.peek() {
                if !c.is_alphanumeric() {
                    break;
                }
                run_end = i + c.len_utf8();
                chars.next();
            }
            bounds.push((run_start, run_end));
            // A joiner directly followed by another run continues the compound.
            match chars.peek() {
                Some(&(j, c)) if is_joiner(c) => {
                    let next = folded[j + c.len_utf8()..].chars().next();
                    if next.is_some_and(char::is_alphanumeric) {
                        chars.next();
                        run_start = j + c.len_utf8();
                    } else {
                        break run_end;
                    }
                }
                _ => break run_end,
            }
        };
        let whole = &folded[start..end];
        let whole_fits = whole.len() <= MAX_TERM_LEN;
        if whole_fits {
            emit(whole);
        }
        if bounds.len() > 1 && (parts || !whole_fits) {
            for &(s, e) in &bounds {
                if e - s <= MAX_TERM_LEN {
                    emit(&folded[s..e]);
                }
            }
        }
    }
}

/// The terms the index stores for `text`: folded words, and compounds both whole and in parts.
/// Stop words are included.
///
/// ```
/// use mostrador_core::search::tokenize;
/// assert_eq!(tokenize("Ticket KQD-48213-ZPT: ¡Atención!"),
///            ["ticket", "kqd-48213-zpt", "kqd", "48213", "zpt", "atencion"]);
/// ```
pub fn tokenize(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    scan_terms(&folded, true, |t| out.push(t.to_owned()));
    out
}

// ---------------------------------------------------------------------------------------------
// Public index types
// ---------------------------------------------------------------------------------------------

crate::tagged! {
    #[tag = "kind", content = "id"]
    /// What a search hit points at.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum DocRef {
        /// A ticket, by its id.
        Ticket(String),
        /// A knowledge-base article, by its id.
        Article(String),
    }
}

impl DocRef {
    pub fn kind(&self) -> DocKind {
        match self {
            DocRef::Ticket(_) => DocKind::Ticket,
            DocRef::Article(_) => DocKind::Article,
        }
    }

    /// The id inside, whatever the kind.
    pub fn id(&self) -> &str {
        match self {
            DocRef::Ticket(id) | DocRef::Article(id) => id,
        }
    }
}

/// The kind of a [`DocRef`], for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Ticket,
    Article,
}

/// The text of a document, by field. Put a ticket's subject in `title` and its description (and
/// messages, if wanted) in `body`; ids and codes fit well in `tags`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fields<'a> {
    pub title: &'a str,
    pub tags: &'a [String],
    pub body: &'a str,
}

/// Which query terms may match as a prefix of an indexed term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrefixMode {
    /// Every term must match a whole indexed term.
    None,
    /// The last term may be unfinished (type-ahead), unless the text ends in white space.
    #[default]
    Last,
    /// Every term may be a prefix.
    All,
}

/// Whether a document must match every query term or at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// Every (non-stop-word) term must match.
    #[default]
    All,
    /// At least one term must match; documents matching more terms rank higher.
    Any,
}

/// A search request. Build with [`Query::new`] and the chained setters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub text: String,
    pub prefix: PrefixMode,
    pub matching: Match,
    /// Only documents of this kind.
    pub kind: Option<DocKind>,
    /// At most this many hits.
    pub limit: usize,
}

impl Query {
    /// Default hit limit.
    pub const DEFAULT_LIMIT: usize = 20;

    /// A query for `text`, AND semantics, prefix on the last term, all kinds, 20 hits.
    pub fn new(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            prefix: PrefixMode::default(),
            matching: Match::default(),
            kind: None,
            limit: Self::DEFAULT_LIMIT,
        }
    }

    pub fn prefix(mut self, prefix: PrefixMode) -> Self {
        self.prefix = prefix;
        self
    }

    pub fn matching(mut self, matching: Match) -> Self {
        self.matching = matching;
        self
    }

    pub fn kind(mut self, kind: DocKind) -> Self {
        self.kind = Some(kind);
        self
    }

    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub doc: DocRef,
    /// Relevance; only meaningful relative to other hits of the same search.
    pub score: f32,
    /// The indexed (folded) terms that matched, e.g. `facturacion` for the query `factu`; handy
    /// for highlighting.
    pub matched_terms: Vec<String>,
}

/// Sizes, for diagnostics and memory estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IndexStats {
    pub docs: usize,
    pub terms: usize,
    pub postings: usize,
}

// ---------------------------------------------------------------------------------------------
// Index internals
// ---------------------------------------------------------------------------------------------

const FIELDS: usize = 3;
const FIELD_WEIGHT: [f32; FIELDS] = [3.0, 2.0, 1.0];
/// Length normalisation per field (BM25 `b`): titles and tags are short and alike, so their
/// length matters less.
const FIELD_B: [f32; FIELDS] = [0.5, 0.3, 0.75];
const K1: f32 = 1.2;
/// A prefix's expansions are merged through a dense array of scores (one slot per document) when
/// they hold more than one posting per this many documents; fewer are sorted.
const DENSE_FROM: usize = 64;
/// Score factor for a prefix completion that is not the typed term itself.
const PREFIX_FACTOR: f32 = 0.85;

/// A small multiply-rotate hash with fixed keys: the standard hasher seeds itself from the OS's
/// random source, which this crate does not touch (and lookups here need no flooding defence).
#[derive(Debug, Default)]
struct FixedHasher(u64);

impl Hasher for FixedHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (the table's bucket) depending on few input bits: fold
        // the high half in, or ids differing only in their last characters all collide.
        self.0 ^ (self.0 >> 29)
    }
}

type FixedMap<K, V> = HashMap<K, V, BuildHasherDefault<FixedHasher>>;

/// One document's occurrences of one term: its ordinal and the (saturated) count per field.
#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    tf: [u8; FIELDS],
}

#[derive(Debug, Default)]
struct TermEntry {
    /// Shared with the dictionary key; empty while the slot is free.
    name: Arc<str>,
    /// Sorted by `doc`.
    postings: Vec<Posting>,
}

#[derive(Debug)]
struct DocSlot {
    doc: Arc<DocRef>,
    /// `doc`'s kind, kept in the slot so filtering candidates by kind reads no `DocRef`.
    kind: DocKind,
    lens: [u32; FIELDS],
    /// The document's distinct term ids, ascending, as delta-encoded LEB128; used to remove it.
    terms: Box<[u8]>,
}

/// An in-memory inverted index over tickets and articles. See the [module docs](self).
#[derive(Debug, Default)]
pub struct SearchIndex {
    dict: BTreeMap<Arc<str>, u32>,
    terms: Vec<TermEntry>,
    free_terms: Vec<u32>,
    docs: Vec<Option<DocSlot>>,
    free_docs: Vec<u32>,
    by_ref: FixedMap<Arc<DocRef>, u32>,
    total_lens: [u64; FIELDS],
    postings: usize,
}

fn encode_ids(sorted: &[u32]) -> Box<[u8]> {
    let mut out = Vec::with_capacity(sorted.len() * 2);
    let mut prev = 0u32;
    for &id in sorted {
        let mut v = id - prev;
        prev = id;
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out.into_boxed_slice()
}

fn decode_ids(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut pos = 0;
    let mut prev = 0u32;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let mut v = 0u32;
        let mut shift = 0;
        loop {
            let byte = bytes[pos];
            pos += 1;
            v |= u32::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        prev += v;
        Some(prev)
    })
}

/// A query term after parsing.
#[derive(Debug)]
struct QTerm {
    text: String,
    prefix: bool,
}

/// A query term resolved against the dictionary: the matching terms with their weight.
struct Resolved<'a> {
    /// (term id, postings, idf × prefix factor)
    lists: Vec<(u32, &'a [Posting], f32)>,
    total: usize,
}

impl SearchIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of indexed documents.
    pub fn len(&self) -> usize {
        self.by_ref.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_ref.is_empty()
    }

    pub fn contains(&self, doc: &DocRef) -> bool {
        self.by_ref.contains_key(doc)
    }

    pub fn stats(&self) -> IndexStats {
        IndexStats {
            docs: self.len(),
            terms: self.dict.len(),
            postings: self.postings,
        }
    }

    /// An estimate of the heap bytes the index holds (allocated capacities; the dictionary's
    /// and the document map's node overheads approximated), for benchmarks and diagnostics.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let arc_str = |s: &str| (2 * size_of::<usize>() + s.len()).next_multiple_of(8);
        let terms: usize = self
            .terms
            .iter()
            .map(|t| arc_str(&t.name) + t.postings.capacity() * size_of::<Posting>())
            .sum();
        let docs: usize = self
            .docs
            .iter()
            .flatten()
            .map(|d| {
                2 * size_of::<usize>() + size_of::<DocRef>() + d.doc.id().len() + d.terms.len()
            })
            .sum();
        // A B-tree entry with its share of node overhead; a hash map slot with its control byte.
        let dict = self.dict.len() * (size_of::<(Arc<str>, u32)>() * 3 / 2);
        let by_ref = self.by_ref.capacity() * (size_of::<(Arc<DocRef>, u32)>() + 1);
        terms
            + docs
            + dict
            + by_ref
            + self.terms.capacity() * size_of::<TermEntry>()
            + self.docs.capacity() * size_of::<Option<DocSlot>>()
            + (self.free_terms.capacity() + self.free_docs.capacity()) * size_of::<u32>()
    }

    /// Indexes `doc`, replacing whatever was indexed under it before.
    pub fn upsert(&mut self, doc: DocRef, fields: Fields<'_>) {
        self.remove(&doc);

        let title = fold(fields.title);
        let mut tags = String::new();
        for tag in fields.tags {
            fold_into(tag, &mut tags);
            tags.push(' ');
        }
        let body = fold(fields.body);

        let mut counts: FixedMap<&str, [u8; FIELDS]> = FixedMap::default();
        let mut lens = [0u32; FIELDS];
        for (f, text) in [&title, &tags, &body].into_iter().enumerate() {
            scan_terms(text, true, |term| {
                lens[f] = lens[f].saturating_add(1);
                let tf = counts.entry(term).or_default();
                tf[f] = tf[f].saturating_add(1);
            });
        }

        let ord = match self.free_docs.pop() {
            Some(ord) => ord,
            None => {
                self.docs.push(None);
                u32::try_from(self.docs.len() - 1).expect("more than u32::MAX documents")
            }
        };

        let mut ids = Vec::with_capacity(counts.len());
        for (term, tf) in counts {
            let id = self.term_id_or_insert(term);
            let postings = &mut self.terms[id as usize].postings;
            let at = postings.partition_point(|p| p.doc < ord);
            postings.insert(at, Posting { doc: ord, tf });
            ids.push(id);
        }
        ids.sort_unstable();
        self.postings += ids.len();
        for (total, len) in self.total_lens.iter_mut().zip(lens) {
            *total += u64::from(len);
        }

        let doc = Arc::new(doc);
        self.by_ref.insert(Arc::clone(&doc), ord);
        self.docs[ord as usize] = Some(DocSlot {
            kind: doc.kind(),
            doc,
            lens,
            terms: encode_ids(&ids),
        });
    }

    fn term_id_or_insert(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.dict.get(term) {
            return id;
        }
        let name: Arc<str> = Arc::from(term);
        let id = match self.free_terms.pop() {
            Some(id) => id,
            None => {
                self.terms.push(TermEntry::default());
                u32::try_from(self.terms.len() - 1).expect("more than u32::MAX terms")
            }
        };
        self.terms[id as usize].name = Arc::clone(&name);
        self.dict.insert(name, id);
        id
    }

    /// Removes `doc` from the index. Returns whether it was there.
    pub fn remove(&mut self, doc: &DocRef) -> bool {
        let Some(ord) = self.by_ref.remove(doc) else {
            return false;
        };
        let slot = self.docs[ord as usize]
            .take()
            .expect("document map and slots agree");
        for id in decode_ids(&slot.terms) {
            let entry = &mut self.terms[id as usize];
            if let Ok(at) = entry.postings.binary_search_by_key(&ord, |p| p.doc) {
                entry.postings.remove(at);
                self.postings -= 1;
            }
            if entry.postings.is_empty() {
                let name = std::mem::replace(&mut entry.name, Arc::from(""));
                entry.postings = Vec::new();
                self.dict.remove(&name);
                self.free_terms.push(id);
            }
        }
        for (total, len) in self.total_lens.iter_mut().zip(slot.lens) {
            *total -= u64::from(len);
        }
        self.free_docs.push(ord);
        true
    }

    /// Removes every document.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Runs `query`. See [`search_filtered`](Self::search_filtered).
    pub fn search(&self, query: &Query) -> Vec<Hit> {
        self.search_filtered(query, |_| true)
    }

    /// Runs `query`, keeping only documents for which `keep` is true (the filter is applied
    /// before the limit). Hits come best first; equal scores in [`DocRef`] order.
    pub fn search_filtered(&self, query: &Query, keep: impl Fn(&DocRef) -> bool) -> Vec<Hit> {
        let qterms = parse_query(query);
        if qterms.is_empty() || query.limit == 0 || self.is_empty() {
            return Vec::new();
        }
        let n = self.len() as f32;
        let mut resolved: Vec<Resolved<'_>> = Vec::with_capacity(qterms.len());
        for q in &qterms {
            let r = self.resolve(q, n);
            if !r.lists.is_empty() || !q.text.contains(is_joiner) {
                resolved.push(r);
                continue;
            }
            // An unknown compound ("factura/marzo", "fin.siguiente") stands for its parts.
            let parts: Vec<&str> = q.text.split(is_joiner).collect();
            for (i, part) in parts.iter().enumerate() {
                let part = QTerm {
                    text: (*part).to_owned(),
                    prefix: q.prefix && i + 1 == parts.len(),
                };
                resolved.push(self.resolve(&part, n));
            }
        }
        let nterms = resolved.len();
        if query.matching == Match::All && resolved.iter().any(|r| r.lists.is_empty()) {
            return Vec::new();
        }
        resolved.retain(|r| !r.lists.is_empty());
        if resolved.is_empty() {
            return Vec::new();
        }
        // Cheapest term first, so intersections stay small. Stable: equal sizes keep query order.
        resolved.sort_by_key(|r| r.total);

        let avg = self.avg_lens();
        let wanted = |ord: u32| {
            let slot = self.docs[ord as usize]
                .as_ref()
                .expect("postings point at live documents");
            query.kind.is_none_or(|k| slot.kind == k) && keep(&slot.doc)
        };
        let mut scored: Vec<(u32, f32)> = match query.matching {
            // One word being typed ("co", "imp"): its many expansions are taken best first and
            // stop once no later one can reach the best `limit`.
            #[cfg(feature = "large-index")]
            _ if nterms == 1
                && resolved.len() == 1
                && resolved[0].lists.len() > 1
                && query.limit < resolved[0].total =>
            {
                self.best_of_expansions(&resolved[0], &avg, query.limit, wanted)
            }
            Match::All => {
                let mut acc = self.materialize(&resolved[0], &avg);
                for r in &resolved[1..] {
                    if acc.is_empty() {
                        break;
                    }
                    acc = self.intersect(acc, r, &avg);
                }
                acc
            }
            Match::Any => self.union(&resolved, &avg, nterms),
        };

        scored.retain(|&(ord, _)| wanted(ord));
        let order = |a: &(u32, f32), b: &(u32, f32)| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.doc_at(a.0).cmp(self.doc_at(b.0)))
        };
        if scored.len() > query.limit {
            scored.select_nth_unstable_by(query.limit - 1, order);
            scored.truncate(query.limit);
        }
        scored.sort_unstable_by(order);

        scored
            .into_iter()
            .map(|(ord, score)| Hit {
                doc: self.doc_at(ord).clone(),
                score,
                matched_terms: self.matched_terms(ord, &resolved),
            })
            .collect()
    }

    fn doc_at(&self, ord: u32) -> &DocRef {
        &self.docs[ord as usize]
            .as_ref()
            .expect("postings point at live documents")
            .doc
    }

    fn avg_lens(&self) -> [f32; FIELDS] {
        let n = self.len().max(1) as f32;
        self.total_lens.map(|t| (t as f32 / n).max(1.0))
    }

    fn resolve(&self, q: &QTerm, n: f32) -> Resolved<'_> {
        let idf = |df: usize| {
            let df = df as f32;
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        };
        let mut lists = Vec::new();
        if q.prefix {
            let range = self
                .dict
                .range::<str, _>((Bound::Included(q.text.as_str()), Bound::Unbounded))
                .take_while(|(name, _)| name.starts_with(q.text.as_str()));
            for (name, &id) in range {
                let postings = &self.terms[id as usize].postings[..];
                let factor = if **name == *q.text {
                    1.0
                } else {
                    PREFIX_FACTOR
                };
                lists.push((id, postings, idf(postings.len()) * factor));
            }
        } else if let Some(&id) = self.dict.get(q.text.as_str()) {
            let postings = &self.terms[id as usize].postings[..];
            lists.push((id, postings, idf(postings.len())));
        }
        let total = lists.iter().map(|l| l.1.len()).sum();
        Resolved { lists, total }
    }

    /// BM25F score of one posting.
    fn score(&self, p: &Posting, weight: f32, avg: &[f32; FIELDS]) -> f32 {
        let lens = &self.docs[p.doc as usize]
            .as_ref()
            .expect("postings point at live documents")
            .lens;
        let mut tf = 0.0;
        for f in 0..FIELDS {
            if p.tf[f] > 0 {
                let norm = 1.0 - FIELD_B[f] + FIELD_B[f] * lens[f] as f32 / avg[f];
                tf += FIELD_WEIGHT[f] * f32::from(p.tf[f]) / norm;
            }
        }
        weight * tf * (K1 + 1.0) / (tf + K1)
    }

    /// Every document matching `r`, sorted by ordinal, with its best score over the expansions.
    fn materialize(&self, r: &Resolved<'_>, avg: &[f32; FIELDS]) -> Vec<(u32, f32)> {
        if r.lists.len() > 1 && r.total > self.docs.len() / DENSE_FROM {
            // Many expansions of a short prefix: the best score per document in a dense array
            // and one pass over it, instead of sorting every posting.
            let mut best = vec![f32::NEG_INFINITY; self.docs.len()];
            self.best_scores(r, avg, &mut best);
            return best
                .iter()
                .enumerate()
                .filter(|(_, s)| **s > f32::NEG_INFINITY)
                .map(|(ord, &s)| (ord as u32, s))
                .collect();
        }
        let mut out: Vec<(u32, f32)> = Vec::with_capacity(r.total);
        for &(_, postings, weight) in &r.lists {
            out.extend(postings.iter().map(|p| (p.doc, self.score(p, weight, avg))));
        }
        if r.lists.len() > 1 {
            out.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            out.dedup_by_key(|e| e.0);
        }
        out
    }

    /// Raises `best[doc]` to the score of each posting of `r`, skipping documents whose slot is
    /// NaN (not wanted).
    fn best_scores(&self, r: &Resolved<'_>, avg: &[f32; FIELDS], best: &mut [f32]) {
        for &(_, postings, weight) in &r.lists {
            for p in postings {
                let slot = &mut best[p.doc as usize];
                if slot.is_nan() {
                    continue;
                }
                let s = self.score(p, weight, avg);
                if s > *slot {
                    *slot = s;
                }
            }
        }
    }

    /// The documents of one query word's expansions (`r`) that `wanted` accepts and that may be
    /// among the best `limit`, with their scores. BM25 saturates, so no posting of a list scores
    /// `weight × (K1 + 1)` or more: the lists are taken in the order of that bound, and once
    /// `limit` accepted documents score above the next list's bound, no later list can place a
    /// document among them (a document's score is its best over the expansions), so the rest
    /// are not read. The best `limit` (ties included) are exactly those of [`Self::materialize`].
    #[cfg(feature = "large-index")]
    fn best_of_expansions(
        &self,
        r: &Resolved<'_>,
        avg: &[f32; FIELDS],
        limit: usize,
        wanted: impl Fn(u32) -> bool,
    ) -> Vec<(u32, f32)> {
        let mut lists: Vec<(&[Posting], f32)> = r.lists.iter().map(|&(_, p, w)| (p, w)).collect();
        lists.sort_by(|a, b| b.1.total_cmp(&a.1));
        // NEG_INFINITY: not seen yet; NaN: not wanted.
        let mut best = vec![f32::NEG_INFINITY; self.docs.len()];
        let mut seen: Vec<u32> = Vec::new();
        let mut scores: Vec<f32> = Vec::new();
        // Postings read since the threshold was last worked out: it costs one pass over `seen`,
        // so it is worked out again only after about as much other work.
        let mut read_since = usize::MAX;
        for (postings, weight) in lists {
            let bound = weight * (K1 + 1.0);
            if limit > 0 && seen.len() >= limit && read_since >= seen.len() {
                read_since = 0;
                scores.clear();
                scores.extend(seen.iter().map(|&ord| best[ord as usize]));
                let (_, kth, _) = scores.select_nth_unstable_by(limit - 1, |a, b| b.total_cmp(a));
                if *kth > bound {
                    break;
                }
            }
            read_since = read_since.saturating_add(postings.len());
            for p in postings {
                let slot = &mut best[p.doc as usize];
                if slot.is_nan() {
                    continue;
                }
                if *slot == f32::NEG_INFINITY {
                    if !wanted(p.doc) {
                        *slot = f32::NAN;
                        continue;
                    }
                    seen.push(p.doc);
                }
                let s = self.score(p, weight, avg);
                if s > *slot {
                    *slot = s;
                }
            }
        }
        seen.into_iter()
            .map(|ord| (ord, best[ord as usize]))
            .collect()
    }

    /// Keeps the documents of `acc` that also match `r`, adding their score for `r`.
    fn intersect(
        &self,
        mut acc: Vec<(u32, f32)>,
        r: &Resolved<'_>,
        avg: &[f32; FIELDS],
    ) -> Vec<(u32, f32)> {
        // Probing each candidate costs about lists × log(len); materializing costs the postings.
        let probes = acc.len() * r.lists.len() * 16;
        if probes < r.total {
            acc.retain_mut(|(ord, score)| {
                let best = r
                    .lists
                    .iter()
                    .filter_map(|&(_, postings, weight)| {
                        let at = postings.binary_search_by_key(ord, |p| p.doc).ok()?;
                        Some(self.score(&postings[at], weight, avg))
                    })
                    .max_by(f32::total_cmp);
                match best {
                    Some(s) => {
                        *score += s;
                        true
                    }
                    None => false,
                }
            });
            acc
        } else if r.lists.len() > 1 {
            // A prefix's expansions: walk their postings once, scoring only the documents still
            // in `acc` (marked in a dense array), instead of scoring and sorting all of them.
            let mut best = vec![f32::NAN; self.docs.len()];
            for &(ord, _) in &acc {
                best[ord as usize] = f32::NEG_INFINITY;
            }
            self.best_scores(r, avg, &mut best);
            acc.retain_mut(|(ord, score)| {
                let s = best[*ord as usize];
                if s > f32::NEG_INFINITY {
                    *score += s;
                    true
                } else {
                    false
                }
            });
            acc
        } else {
            let other = self.materialize(r, avg);
            let mut out = Vec::with_capacity(acc.len().min(other.len()));
            let (mut i, mut j) = (0, 0);
            while i < acc.len() && j < other.len() {
                match acc[i].0.cmp(&other[j].0) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        out.push((acc[i].0, acc[i].1 + other[j].1));
                        i += 1;
                        j += 1;
                    }
                }
            }
            out
        }
    }

    /// Documents matching any term; the summed score is scaled by the share of terms matched.
    fn union(
        &self,
        resolved: &[Resolved<'_>],
        avg: &[f32; FIELDS],
        nterms: usize,
    ) -> Vec<(u32, f32)> {
        let mut all: Vec<(u32, f32)> = Vec::new();
        for r in resolved {
            all.extend(self.materialize(r, avg));
        }
        // Stable sort: per document, scores keep the (deterministic) term order when summed.
        all.sort_by_key(|e| e.0);
        let mut out: Vec<(u32, f32)> = Vec::new();
        let mut matched = 0usize;
        for (ord, s) in all {
            match out.last_mut() {
                Some(last) if last.0 == ord => {
                    last.1 += s;
                    matched += 1;
                }
                _ => {
                    if let Some(last) = out.last_mut() {
                        last.1 *= matched as f32 / nterms as f32;
                    }
                    out.push((ord, s));
                    matched = 1;
                }
            }
        }
        if let Some(last) = out.last_mut() {
            last.1 *= matched as f32 / nterms as f32;
        }
        out
    }

    fn matched_terms(&self, ord: u32, resolved: &[Resolved<'_>]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in resolved {
            for &(id, postings, _) in &r.lists {
                if postings.binary_search_by_key(&ord, |p| p.doc).is_ok() {
                    out.push(self.terms[id as usize].name.to_string());
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshot: the index as bytes, for a store to keep so the first query needs no rebuild
// ---------------------------------------------------------------------------------------------

/// The snapshot format's version: a snapshot of another version is not read.
const SNAPSHOT_VERSION: u8 = 1;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Reads a snapshot's bytes; every read checks bounds, so damaged bytes give `None`.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.varint()?).ok()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.bytes.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(out)
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
}

impl SearchIndex {
    /// The index as compact bytes ([`from_snapshot`](Self::from_snapshot) reads them back):
    /// documents renumbered densely, terms in dictionary order with shared prefixes left out,
    /// postings as document deltas and the fields' counts.
    pub fn snapshot(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.postings * 3 + self.len() * 24);
        out.push(SNAPSHOT_VERSION);
        // Live documents in ordinal order, so the renumbering keeps postings sorted.
        let mut renumber = vec![u32::MAX; self.docs.len()];
        put_varint(&mut out, self.len() as u64);
        let mut next = 0u32;
        for (ord, slot) in self.docs.iter().enumerate() {
            let Some(slot) = slot else { continue };
            renumber[ord] = next;
            next += 1;
            out.push(match slot.doc.kind() {
                DocKind::Ticket => 0,
                DocKind::Article => 1,
            });
            let id = slot.doc.id();
            put_varint(&mut out, id.len() as u64);
            out.extend_from_slice(id.as_bytes());
            for len in slot.lens {
                put_varint(&mut out, u64::from(len));
            }
            put_varint(&mut out, decode_ids(&slot.terms).count() as u64);
        }
        put_varint(&mut out, self.dict.len() as u64);
        let mut prev: &str = "";
        for (name, &id) in &self.dict {
            let mut shared = prev
                .bytes()
                .zip(name.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            while !name.is_char_boundary(shared) {
                shared -= 1;
            }
            put_varint(&mut out, shared as u64);
            put_varint(&mut out, (name.len() - shared) as u64);
            out.extend_from_slice(&name.as_bytes()[shared..]);
            prev = name;
            let postings = &self.terms[id as usize].postings;
            put_varint(&mut out, postings.len() as u64);
            let mut last = 0u32;
            for p in postings {
                let doc = renumber[p.doc as usize];
                put_varint(&mut out, u64::from(doc - last));
                last = doc;
                // Which fields hold the term (3 bits), then their counts.
                let mask = p.tf.iter().enumerate().fold(
                    0u8,
                    |m, (f, &tf)| {
                        if tf > 0 { m | 1 << f } else { m }
                    },
                );
                out.push(mask);
                out.extend(p.tf.iter().filter(|&&tf| tf > 0));
            }
        }
        out
    }

    /// Reads bytes written by [`snapshot`](Self::snapshot); `None` when they are not a snapshot
    /// of this version (the caller rebuilds the index from its documents).
    pub fn from_snapshot(bytes: &[u8]) -> Option<SearchIndex> {
        let mut r = Reader { bytes, pos: 0 };
        if r.byte()? != SNAPSHOT_VERSION {
            return None;
        }
        let ndocs = r.u32()? as usize;
        let mut index = SearchIndex::default();
        // Each document's term ids, gathered from the postings (terms come in id order).
        let mut doc_terms: Vec<Vec<u32>> = Vec::with_capacity(ndocs.min(bytes.len()));
        let mut lens_of: Vec<[u32; FIELDS]> = Vec::with_capacity(ndocs.min(bytes.len()));
        let mut refs: Vec<Arc<DocRef>> = Vec::with_capacity(ndocs.min(bytes.len()));
        for _ in 0..ndocs {
            let kind = r.byte()?;
            let id = r.str()?.to_owned();
            let doc = match kind {
                0 => DocRef::Ticket(id),
                1 => DocRef::Article(id),
                _ => return None,
            };
            let mut lens = [0u32; FIELDS];
            for len in &mut lens {
                *len = r.u32()?;
            }
            for (total, len) in index.total_lens.iter_mut().zip(lens) {
                *total += u64::from(len);
            }
            let nterms = r.u32()? as usize;
            refs.push(Arc::new(doc));
            lens_of.push(lens);
            doc_terms.push(Vec::with_capacity(nterms.min(bytes.len())));
        }
        let nterms = r.u32()? as usize;
        index.terms.reserve(nterms.min(bytes.len()));
        let mut name = String::new();
        let mut names: Vec<(Arc<str>, u32)> = Vec::with_capacity(nterms.min(bytes.len()));
        for id in 0..nterms {
            let shared = r.u32()? as usize;
            let suffix = r.u32()? as usize;
            if shared > name.len() || !name.is_char_boundary(shared) {
                return None;
            }
            name.truncate(shared);
            name.push_str(std::str::from_utf8(r.take(suffix)?).ok()?);
            let count = r.u32()? as usize;
            if count == 0 {
                return None;
            }
            let mut postings = Vec::with_capacity(count.min(bytes.len()));
            let mut doc = 0u32;
            for k in 0..count {
                let delta = r.u32()?;
                if k > 0 && delta == 0 {
                    return None;
                }
                doc = doc.checked_add(delta)?;
                let mask = r.byte()?;
                let mut tf = [0u8; FIELDS];
                for (f, slot) in tf.iter_mut().enumerate() {
                    if mask & (1 << f) != 0 {
                        *slot = r.byte()?;
                    }
                }
                doc_terms.get_mut(doc as usize)?.push(id as u32);
                postings.push(Posting { doc, tf });
            }
            index.postings += postings.len();
            let name: Arc<str> = Arc::from(name.as_str());
            names.push((Arc::clone(&name), id as u32));
            index.terms.push(TermEntry { name, postings });
        }
        // Sorted already: the map is built in bulk (a repeated name would shrink it).
        index.dict = names.into_iter().collect();
        if r.pos != bytes.len() || index.dict.len() != nterms {
            return None;
        }
        index.by_ref.reserve(ndocs);
        for (ord, ((doc, lens), terms)) in refs.into_iter().zip(lens_of).zip(doc_terms).enumerate()
        {
            if index.by_ref.insert(Arc::clone(&doc), ord as u32).is_some() {
                return None;
            }
            index.docs.push(Some(DocSlot {
                kind: doc.kind(),
                doc,
                lens,
                terms: encode_ids(&terms),
            }));
        }
        Some(index)
    }
}

/// Folds and splits the query text, marks prefix terms and drops stop words when other terms
/// remain.
fn parse_query(query: &Query) -> Vec<QTerm> {
    let folded = fold(&query.text);
    let mut raw: Vec<&str> = Vec::new();
    scan_terms(&folded, false, |t| raw.push(t));
    // Text ending in white space has a finished last word.
    let last = if query.text.ends_with(char::is_whitespace) {
        usize::MAX
    } else {
        raw.len().saturating_sub(1)
    };
    let mut terms: Vec<QTerm> = raw
        .iter()
        .enumerate()
        .map(|(i, t)| QTerm {
            text: (*t).to_owned(),
            prefix: match query.prefix {
                PrefixMode::None => false,
                PrefixMode::Last => i == last,
                PrefixMode::All => true,
            },
        })
        .collect();
    if terms.iter().any(|t| !is_stop_word(&t.text)) {
        terms.retain(|t| !is_stop_word(&t.text));
    }
    // Repeated words count once (a repeated exact word adds nothing a prefix twin does not).
    let mut seen: Vec<(String, bool)> = Vec::new();
    terms.retain(|t| {
        let key = (t.text.clone(), t.prefix);
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(id: &str) -> DocRef {
        DocRef::Ticket(id.to_owned())
    }

    fn a(id: &str) -> DocRef {
        DocRef::Article(id.to_owned())
    }

    fn body(index: &mut SearchIndex, doc: DocRef, text: &str) {
        index.upsert(
            doc,
            Fields {
                body: text,
                ..Fields::default()
            },
        );
    }

    fn docs(index: &SearchIndex, query: Query) -> Vec<DocRef> {
        index.search(&query).into_iter().map(|h| h.doc).collect()
    }

    fn exact(text: &str) -> Query {
        Query::new(text).prefix(PrefixMode::None)
    }

    #[test]
    fn folding_strips_case_and_accents() {
        assert_eq!(fold("ATENCIÓN"), "atencion");
        assert_eq!(fold("Não"), "nao");
        assert_eq!(fold("PINGÜINO"), "pinguino");
        assert_eq!(fold("Coração Ñandú"), "coracao nandu");
        assert_eq!(fold("Straße Œuvre"), "strasse oeuvre");
        assert_eq!(fold("ＫＱＤ"), "kqd");
    }

    /// Folding as it was before it asked the [`text`] normaliser, one character at a time with
    /// the tables: the reference the whole-text folding must equal.
    fn fold_by_character(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            for lower in c.to_lowercase() {
                match lower {
                    'ß' => out.push_str("ss"),
                    'æ' => out.push_str("ae"),
                    'œ' => out.push_str("oe"),
                    'ø' => out.push('o'),
                    'ł' => out.push('l'),
                    'đ' => out.push('d'),
                    'ı' => out.push('i'),
                    _ => unicode_normalization::char::decompose_compatible(lower, |d| {
                        if !unicode_normalization::char::is_combining_mark(d) {
                            out.extend(d.to_lowercase());
                        }
                    }),
                }
            }
        }
        out
    }

    #[test]
    fn folding_the_whole_text_equals_folding_each_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("a{c}e\u{301}{c}");
            assert_eq!(fold(&s), fold_by_character(&s), "U+{:04X}", c as u32);
        }
        for s in [
            "ﬁnanças ½ ＡＢＣ Ⅻ ㎏ ﬃ",
            "e\u{301}\u{327}a\u{323}\u{302} İstanbul ΣΊΣΥΦΟΣ ǅ",
            "한국어 ｶﾀｶﾅ ﾞ ‼ ℌ ⁵ ℃ ㈱",
        ] {
            assert_eq!(fold(s), fold_by_character(s), "{s}");
        }
    }

    #[test]
    fn tokenizer_splits_and_keeps_codes_and_numbers() {
        assert_eq!(
            tokenize("¿Error 404 en la página?"),
            ["error", "404", "en", "la", "pagina"]
        );
        assert_eq!(
            tokenize("Ref KQD-48213-ZPT."),
            ["ref", "kqd-48213-zpt", "kqd", "48213", "zpt"]
        );
        assert_eq!(
            tokenize("juan@ejemplo.com - fin"),
            ["juan@ejemplo.com", "juan", "ejemplo", "com", "fin"]
        );
        let long = "x".repeat(MAX_TERM_LEN + 1);
        assert_eq!(tokenize(&format!("{long} ok")), ["ok"]);
    }

    #[test]
    fn accents_and_case_match_both_ways() {
        let mut index = SearchIndex::new();
        body(&mut index, t("1"), "Gracias por su ATENCIÓN");
        body(&mut index, t("2"), "o sistema não responde");
        body(&mut index, t("3"), "el pingüino azul");
        body(&mut index, t("4"), "atencion sin tilde");
        let sorted = |mut v: Vec<DocRef>| {
            v.sort();
            v
        };
        assert_eq!(sorted(docs(&index, exact("atencion"))), [t("1"), t("4")]);
        assert_eq!(sorted(docs(&index, exact("ATENCIÓN"))), [t("1"), t("4")]);
        assert_eq!(docs(&index, exact("nao responde")), [t("2")]);
        assert_eq!(docs(&index, exact("NÃO")), [t("2")]);
        assert_eq!(docs(&index, exact("pinguino")), [t("3")]);
        assert_eq!(docs(&index, exact("Pingüino")), [t("3")]);
    }

    #[test]
    fn prefix_matches_last_term_only_by_default() {
        let mut index = SearchIndex::new();
        body(
            &mut index,
            t("1"),
            "Problema con la facturación electrónica",
        );
        body(&mut index, t("2"), "La factura de marzo no llegó");
        body(&mut index, t("3"), "Quiero cambiar mi contraseña");
        let hits = index.search(&Query::new("factu"));
        assert_eq!(hits.len(), 2);
        let h1 = hits.iter().find(|h| h.doc == t("1")).unwrap();
        assert_eq!(h1.matched_terms, ["facturacion"]);
        // Not a prefix when exact matching is asked for.
        assert!(docs(&index, exact("factu")).is_empty());
        // Only the last term is a prefix by default...
        assert!(docs(&index, Query::new("factu electronica")).is_empty());
        assert_eq!(
            docs(&index, Query::new("factura electr")),
            Vec::<DocRef>::new()
        );
        assert_eq!(docs(&index, Query::new("facturacion electr")), [t("1")]);
        // A trailing space finishes the last word.
        assert!(docs(&index, Query::new("factu ")).is_empty());
        assert_eq!(docs(&index, Query::new("factura ")), [t("2")]);
        // ...unless every term may be one.
        let all = Query::new("factu electr").prefix(PrefixMode::All);
        assert_eq!(docs(&index, all), [t("1")]);
    }

    #[test]
    fn exact_word_outranks_its_completions() {
        let mut index = SearchIndex::new();
        body(&mut index, t("1"), "error al pagar");
        body(&mut index, t("2"), "errores al pagar");
        assert_eq!(docs(&index, Query::new("error")), [t("1"), t("2")]);
    }

    #[test]
    fn every_term_must_match() {
        let mut index = SearchIndex::new();
        body(&mut index, t("1"), "no puedo iniciar sesión");
        body(&mut index, t("2"), "iniciar el pedido");
        body(&mut index, t("3"), "cerrar sesión");
        assert_eq!(docs(&index, exact("iniciar sesion")), [t("1")]);
        assert_eq!(docs(&index, exact("sesion")).len(), 2);
        assert!(docs(&index, exact("iniciar sesion inexistente")).is_empty());
        // Any-matching ranks the document with both terms first.
        let any = exact("iniciar sesion inexistente").matching(Match::Any);
        let found = docs(&index, any);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0], t("1"));
    }

    #[test]
    fn stop_words_do_not_filter_but_stop_word_queries_work() {
        let mut index = SearchIndex::new();
        body(&mut index, t("1"), "la impresora de la oficina");
        body(&mut index, t("2"), "impresora rota");
        body(&mut index, t("3"), "de nada");
        // "la" and "de" are ignored next to a real word: both printers match, equally ranked
        // by the content word alone would need same lengths, so only check membership.
        let mut found = docs(&index, exact("la impresora de"));
        found.sort();
        assert_eq!(found, [t("1"), t("2")]);
        // Only stop words: they are searched as written.
        let mut found = docs(&index, exact("de"));
        found.sort();
        assert_eq!(found, [t("1"), t("3")]);
        assert_eq!(docs(&index, exact("de la")), [t("1")]);
        assert!(docs(&index, exact("")).is_empty());
        assert!(docs(&index, exact("¿?¡!")).is_empty());
    }

    #[test]
    fn title_outranks_tags_outranks_body() {
        let mut index = SearchIndex::new();
        let tags = ["reembolso".to_owned()];
        index.upsert(
            t("body"),
            Fields {
                title: "Consulta general",
                tags: &[],
                body: "Pido un reembolso del pedido de ayer",
            },
        );
        index.upsert(
            t("title"),
            Fields {
                title: "Reembolso del pedido",
                tags: &[],
                body: "Pido que me devuelvan el dinero de ayer",
            },
        );
        index.upsert(
            t("tags"),
            Fields {
                title: "Consulta sobre pedido",
                tags: &tags,
                body: "Pido que me devuelvan el dinero de ayer",
            },
        );
        assert_eq!(
            docs(&index, exact("reembolso")),
            [t("title"), t("tags"), t("body")]
        );
    }

    #[test]
    fn shorter_document_ranks_higher_for_same_frequency() {
        let mut index = SearchIndex::new();
        body(
            &mut index,
            t("long"),
            "router caído desde ayer en toda la oficina central del edificio norte",
        );
        body(&mut index, t("short"), "router caído");
        let hits = index.search(&exact("router"));
        assert_eq!(hits[0].doc, t("short"));
        assert!(hits[0].score > hits[1].score);
    }

    #[test]
    fn ties_break_on_doc_ref() {
        let mut index = SearchIndex::new();
        for id in ["c", "a", "b"] {
            body(&mut index, t(id), "misma frase");
        }
        body(&mut index, a("z"), "misma frase");
        assert_eq!(
            docs(&index, exact("misma")),
            [t("a"), t("b"), t("c"), a("z")]
        );
    }

    #[test]
    fn kind_filter_limit_and_custom_filter() {
        let mut index = SearchIndex::new();
        for i in 0..10 {
            body(&mut index, t(&format!("{i}")), "wifi lento");
            body(&mut index, a(&format!("{i}")), "wifi lento");
        }
        let tickets = docs(&index, exact("wifi").kind(DocKind::Ticket).limit(100));
        assert_eq!(tickets.len(), 10);
        assert!(tickets.iter().all(|d| d.kind() == DocKind::Ticket));
        assert_eq!(docs(&index, exact("wifi").limit(3)).len(), 3);
        assert!(docs(&index, exact("wifi").limit(0)).is_empty());
        let odd = index.search_filtered(&exact("wifi").limit(100), |d| {
            d.id().parse::<u32>().unwrap() % 2 == 1
        });
        assert_eq!(odd.len(), 10);
    }

    #[test]
    fn reindexing_replaces_and_remove_forgets() {
        let mut index = SearchIndex::new();
        body(&mut index, t("1"), "pantalla negra");
        body(&mut index, t("2"), "pantalla azul");
        body(&mut index, t("1"), "teclado roto");
        assert_eq!(index.len(), 2);
        assert_eq!(docs(&index, exact("pantalla")), [t("2")]);
        assert!(docs(&index, exact("negra")).is_empty());
        assert_eq!(docs(&index, exact("teclado")), [t("1")]);
        assert!(index.remove(&t("1")));
        assert!(!index.remove(&t("1")));
        assert!(docs(&index, exact("teclado")).is_empty());
        assert_eq!(index.stats().terms, 2);
        index.remove(&t("2"));
        assert_eq!(index.stats(), IndexStats::default());
    }

    #[test]
    fn ticket_codes_are_found_whole_by_prefix_and_by_part() {
        let mut index = SearchIndex::new();
        let code = ["KQD-48213-ZPT".to_owned()];
        index.upsert(
            t("1"),
            Fields {
                title: "No llega el pedido",
                tags: &code,
                body: "",
            },
        );
        let other = ["KQD-48299-AAA".to_owned()];
        index.upsert(
            t("2"),
            Fields {
                title: "Otro pedido",
                tags: &other,
                body: "",
            },
        );
        assert_eq!(docs(&index, Query::new("KQD-48213-ZPT")), [t("1")]);
        assert_eq!(docs(&index, Query::new("kqd-48213-zpt")), [t("1")]);
        assert_eq!(docs(&index, Query::new("48213")), [t("1")]);
        assert_eq!(docs(&index, Query::new("zpt")), [t("1")]);
        assert_eq!(docs(&index, Query::new("kqd-4821")), [t("1")]);
        assert_eq!(docs(&index, Query::new("kqd-482")).len(), 2);
        assert_eq!(docs(&index, Query::new("pedido KQD-48299")), [t("2")]);
        // An unknown code falls back to its parts, which no single ticket holds all of...
        assert!(docs(&index, Query::new("KQD-48213-AAA")).is_empty());
        // ...but other unknown compounds fall back to their parts.
        assert_eq!(docs(&index, Query::new("llega/pedido")), [t("1")]);
        assert_eq!(docs(&index, Query::new("llega/ped")), [t("1")]);
    }

    #[test]
    fn id_encoding_round_trips() {
        let ids = [0, 1, 127, 128, 300, 16_384, 2_000_000, u32::MAX];
        let back: Vec<u32> = decode_ids(&encode_ids(&ids)).collect();
        assert_eq!(back, ids);
    }

    const WORDS: &[&str] = &[
        "factura",
        "facturación",
        "pago",
        "Pagar",
        "atención",
        "não",
        "nao",
        "cliente",
        "KQD-1-A",
        "kqd",
        "de",
        "la",
        "the",
        "envío",
        "envio",
        "error",
        "errores",
        "1234",
    ];

    fn text_strategy() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(WORDS), 0..8).prop_map(|w| w.join(" "))
    }

    fn fields_strategy() -> impl Strategy<Value = (String, Vec<String>, String)> {
        (
            text_strategy(),
            prop::collection::vec(text_strategy(), 0..3),
            text_strategy(),
        )
    }

    fn query_strategy() -> impl Strategy<Value = Query> {
        (
            text_strategy(),
            prop::sample::select(&[PrefixMode::None, PrefixMode::Last, PrefixMode::All][..]),
            prop::sample::select(&[Match::All, Match::Any][..]),
            1usize..6,
        )
            .prop_map(|(text, prefix, matching, cut)| {
                // Cut the text short to get unfinished words.
                let end = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(text.chars().count().saturating_sub(cut))
                    .unwrap_or(text.len());
                Query::new(&text[..end])
                    .prefix(prefix)
                    .matching(matching)
                    .limit(50)
            })
    }

    fn index_of(docs: &[(String, Vec<String>, String)], skip_extra: bool) -> SearchIndex {
        let mut index = SearchIndex::new();
        for (i, (title, tags, body)) in docs.iter().enumerate() {
            if skip_extra && i == 0 {
                continue;
            }
            let doc = if i % 2 == 0 {
                t(&i.to_string())
            } else {
                a(&i.to_string())
            };
            index.upsert(doc, Fields { title, tags, body });
        }
        index
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Any text folds the same whole as character by character.
        #[test]
        fn folding_matches_the_character_reference(s in "\\PC{0,40}") {
            prop_assert_eq!(fold(&s), fold_by_character(&s));
        }

        /// Indexing a document and removing it leaves the index answering exactly as if it had
        /// never been there, whatever the order the other documents arrived in.
        #[test]
        fn upsert_then_remove_is_invisible(
            docs in prop::collection::vec(fields_strategy(), 1..12),
            extra_at in 0usize..12,
            queries in prop::collection::vec(query_strategy(), 1..6),
        ) {
            let without = index_of(&docs, true);
            // Same documents, with docs[0] indexed at some point, re-indexed, then removed.
            let mut with = SearchIndex::new();
            let extra = t("0");
            let rest: Vec<_> = docs.iter().enumerate().skip(1).collect();
            let at = extra_at.min(rest.len());
            for (n, (i, (title, tags, body))) in rest.iter().enumerate() {
                if n == at {
                    let (title0, tags0, body0) = &docs[0];
                    with.upsert(extra.clone(), Fields { title: body0, tags: tags0, body: title0 });
                    with.upsert(extra.clone(), Fields { title: title0, tags: tags0, body: body0 });
                }
                let doc = if i % 2 == 0 { t(&i.to_string()) } else { a(&i.to_string()) };
                with.upsert(doc, Fields { title, tags, body });
            }
            if at == rest.len() {
                let (title0, tags0, body0) = &docs[0];
                with.upsert(extra.clone(), Fields { title: title0, tags: tags0, body: body0 });
            }
            prop_assert!(with.remove(&extra));
            prop_assert_eq!(with.stats(), without.stats());
            for q in &queries {
                prop_assert_eq!(with.search(q), without.search(q));
            }
        }

        /// An index read back from its snapshot answers exactly as the index did, also after
        /// removals left holes, and keeps working as an index (upserts and removals).
        #[test]
        fn a_snapshot_reads_back_the_same_index(
            docs in prop::collection::vec(fields_strategy(), 1..12),
            removed in prop::collection::vec(0usize..12, 0..4),
            queries in prop::collection::vec(query_strategy(), 1..6),
        ) {
            let mut index = index_of(&docs, false);
            for r in &removed {
                let doc = if r % 2 == 0 { t(&r.to_string()) } else { a(&r.to_string()) };
                index.remove(&doc);
            }
            let bytes = index.snapshot();
            let mut back = SearchIndex::from_snapshot(&bytes).expect("a snapshot");
            prop_assert_eq!(back.stats(), index.stats());
            prop_assert_eq!(back.snapshot(), bytes);
            for q in &queries {
                prop_assert_eq!(back.search(q), index.search(q));
            }
            let (title, tags, body) = &docs[0];
            for i in [&mut index, &mut back] {
                i.upsert(t("new"), Fields { title: body, tags, body: title });
                i.remove(&t("0"));
            }
            prop_assert_eq!(back.stats(), index.stats());
            for q in &queries {
                prop_assert_eq!(back.search(q), index.search(q));
            }
        }
    }

    #[test]
    fn damaged_snapshots_are_refused() {
        let mut index = SearchIndex::new();
        body(
            &mut index,
            t("1"),
            "Atención façade fiança ÇA KQD-48213-ZPT",
        );
        body(&mut index, a("2"), "fábrica faça ça");
        let bytes = index.snapshot();
        assert!(SearchIndex::from_snapshot(&bytes).is_some());
        for n in 0..bytes.len() {
            assert!(
                SearchIndex::from_snapshot(&bytes[..n]).is_none(),
                "cut at {n}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(SearchIndex::from_snapshot(&longer).is_none());
        let mut other_version = bytes;
        other_version[0] += 1;
        assert!(SearchIndex::from_snapshot(&other_version).is_none());
        let empty = SearchIndex::new().snapshot();
        assert!(SearchIndex::from_snapshot(&empty).is_some_and(|i| i.is_empty()));
    }

    /// 20k synthetic tickets: results must equal a brute-force scan of the token lists.
    #[test]
    fn twenty_thousand_documents_answer_like_a_scan() {
        const N: usize = 20_000;
        let vocab: Vec<String> = (0..2_000).map(|i| format!("w{i}x")).collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut texts: Vec<(String, String)> = Vec::with_capacity(N);
        for i in 0..N {
            let pick = |r: u64| -> &str {
                // Skewed: low word numbers are much more common.
                let x = (r % 1_000_000) as f64 / 1_000_000.0;
                &vocab[((x * x * x) * vocab.len() as f64) as usize]
            };
            let subject: Vec<&str> = (0..4).map(|_| pick(next())).collect();
            let nbody = 10 + (next() % 40) as usize;
            let mut words: Vec<String> = (0..nbody).map(|_| pick(next()).to_owned()).collect();
            words.push(format!("TCK-{i:05}-ZZ"));
            texts.push((subject.join(" "), words.join(" ")));
        }

        let started = std::time::Instant::now();
        let mut index = SearchIndex::new();
        for (i, (subject, body)) in texts.iter().enumerate() {
            index.upsert(
                t(&i.to_string()),
                Fields {
                    title: subject,
                    tags: &[],
                    body,
                },
            );
        }
        let built = started.elapsed();
        let stats = index.stats();
        assert_eq!(stats.docs, N);

        let token_sets: Vec<std::collections::HashSet<String>> = texts
            .iter()
            .map(|(s, b)| tokenize(s).into_iter().chain(tokenize(b)).collect())
            .collect();
        let brute = |required: &[&str], prefix_last: bool| -> Vec<DocRef> {
            let mut out: Vec<DocRef> = (0..N)
                .filter(|&i| {
                    required.iter().enumerate().all(|(k, w)| {
                        if prefix_last && k + 1 == required.len() {
                            token_sets[i].iter().any(|tok| tok.starts_with(w))
                        } else {
                            token_sets[i].contains(*w)
                        }
                    })
                })
                .map(|i| t(&i.to_string()))
                .collect();
            out.sort();
            out
        };
        let run = |index: &SearchIndex, q: Query| -> Vec<DocRef> {
            let mut found: Vec<DocRef> = index
                .search(&q.limit(N))
                .into_iter()
                .map(|h| h.doc)
                .collect();
            found.sort();
            found
        };

        let mut searched = std::time::Duration::ZERO;
        let mut queries = 0;
        for (words, prefix_last) in [
            (vec!["w0x"], false),
            (vec!["w0x", "w1x"], false),
            (vec!["w3x", "w500x"], false),
            (vec!["w12x", "w1999x"], false),
            (vec!["w0x", "w1"], true),
            (vec!["w7"], true),
            (vec!["w5x", "w9x", "w2"], true),
            (vec!["w1000x", "w100"], true),
        ] {
            let text = words.join(" ");
            let mode = if prefix_last {
                PrefixMode::Last
            } else {
                PrefixMode::None
            };
            let expected = brute(&words, prefix_last);
            let started = std::time::Instant::now();
            let found = run(&index, Query::new(text.as_str()).prefix(mode));
            searched += started.elapsed();
            assert_eq!(found, expected, "{text}");
            queries += 1;
        }
        for i in [0, 1, 9_999, 19_999] {
            let code = format!("TCK-{i:05}-ZZ");
            let started = std::time::Instant::now();
            let found = run(&index, Query::new(code.as_str()));
            searched += started.elapsed();
            assert_eq!(found, [t(&i.to_string())]);
            queries += 1;
        }
        // Typical type-ahead queries with the default limit.
        let started = std::time::Instant::now();
        let mut limited = 0;
        for text in [
            "w0x w1",
            "w5x w9x w2",
            "w12x w1999x",
            "w3",
            "tck-0001",
            "w0x w1x w2x w3x",
        ] {
            limited += index.search(&Query::new(text)).len();
        }
        let limited_time = started.elapsed();
        assert!(limited > 0);
        // Ranked results are sorted and within the limit.
        let top = index.search(&Query::new("w0x w1x").limit(10));
        assert_eq!(top.len(), 10);
        assert!(top.windows(2).all(|w| w[0].score >= w[1].score));
        // The best few of a word being typed are those of the whole ranking, scores and order
        // included (expansions that cannot reach them are not read), with a filter and without.
        let odd = |d: &DocRef| d.id().parse::<usize>().is_ok_and(|i| i % 2 == 1);
        for text in ["w", "w1", "w7", "w12", "w19", "w3"] {
            let typed = || Query::new(text).prefix(PrefixMode::Last);
            let all = index.search(&typed().limit(N));
            let all_odd = index.search_filtered(&typed().limit(N), odd);
            assert!(all.len() > 50 && all_odd.len() > 50, "{text}");
            for k in [1, 10, 50] {
                assert_eq!(
                    index.search(&typed().limit(k)),
                    all[..k],
                    "{text}, best {k}"
                );
                assert_eq!(
                    index.search_filtered(&typed().limit(k), odd),
                    all_odd[..k],
                    "{text}, odd, best {k}"
                );
            }
        }

        // Re-index half, remove a quarter: still consistent with a scan.
        for i in (0..N).step_by(2) {
            let (subject, body) = &texts[i];
            index.upsert(
                t(&i.to_string()),
                Fields {
                    title: body,
                    tags: &[],
                    body: subject,
                },
            );
        }
        for i in (0..N).step_by(4) {
            index.remove(&t(&i.to_string()));
        }
        let mut expected = brute(&["w0x", "w1x"], false);
        expected.retain(|d| d.id().parse::<usize>().unwrap() % 4 != 0);
        assert_eq!(run(&index, exact("w0x w1x")), expected);

        println!(
            "20k docs: built in {built:?}, {queries} unlimited queries in {searched:?} total, 6 top-20 queries in {limited_time:?}; \
             {} terms, {} postings (~{} KiB of postings)",
            stats.terms,
            stats.postings,
            stats.postings * std::mem::size_of::<Posting>() / 1024
        );
    }
}
