//! The app's one link to the domain and the store. Components call [`Desk::run`] with a core
//! `Command`; the desk decides it with the core's `decide`, appends the events to the `Store` and
//! persists the device's clock. The store announces the change on its feed, which the desk
//! follows from the start (one subscription): it bumps [`Desk::revision`], so every view re-reads
//! what it shows, after a change here, in another tab or pulled by sync.
//! Components never hold domain state in signals beyond plain copies of what the store returns.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use leptos::prelude::*;
use mostrador_core::assignment::AgentLoad;
use mostrador_core::automation;
use mostrador_core::command::Command;
use mostrador_core::config::Settings;
use mostrador_core::ctx::Ctx;
use mostrador_core::decide::{decide, decide_sequence};
use mostrador_core::error::DomainError;
use mostrador_core::event::Event;
use mostrador_core::hlc::{Hlc, NodeId};
use mostrador_core::kb::{Article, ArticleId, Deflection, KbError, KnowledgeBase};
use mostrador_core::merge::decide_merge;
use mostrador_core::model::Status;
use mostrador_core::model::{Actor, AgentId, CustomerId, TicketId};
#[cfg(not(feature = "console"))]
use mostrador_core::store::PortalStore;
use mostrador_core::store::{
    AssigneeFilter, Meta, Notice, Origin, StoreError, Subscription, ViewFilter, refresh_workspace,
};
#[cfg(feature = "console")]
use mostrador_core::store::{PageRequest, SortKey, Store, TicketSummary};
use mostrador_core::template::TemplateError;
use mostrador_core::ticket::Ticket;
use mostrador_core::workspace::{Change, ChangePayload, changed_sections};

use crate::services::arrival::Arrival;
use crate::services::ids::{CryptoIds, now, random_hex};
use crate::services::seed;
use crate::shell::session::Mode;

/// The store as the app holds it: the whole [`Store`] in the console build; in the customer
/// widget's build only the [`PortalStore`] part, so the store's console-only queries are not
/// linked into the visitor's module (a `dyn` object keeps every method of its trait).
#[cfg(feature = "console")]
pub type DeskStore = dyn Store;
/// The store as the app holds it: the whole `Store` in the console build; in the customer
/// widget's build only the [`PortalStore`] part, so the store's console-only queries are not
/// linked into the visitor's module (a `dyn` object keeps every method of its trait).
#[cfg(not(feature = "console"))]
pub type DeskStore = dyn PortalStore;

/// The longest wait for the sync link to say who the visitor is ([`Desk::customer`]), in ms.
const SETTLING_MS: u32 = 10_000;

/// Store metadata keys this app owns, with the type of each value.
pub mod keys {
    use mostrador_core::assignment::AgentLoad;
    use mostrador_core::hlc::Hlc;
    use mostrador_core::meta_key;

    meta_key!(
        /// This device's HLC node id.
        pub Node = "ui.node" => String
    );
    meta_key!(
        /// The last HLC value this device issued.
        pub Clock = "ui.clock" => Hlc
    );
    meta_key!(
        /// The anonymous customer id of this device (no-server mode).
        pub Customer = "ui.customer" => String
    );
    meta_key!(
        /// The agent signed in on this device.
        pub Agent = "ui.agent" => String
    );
    meta_key!(
        /// What visitors did with suggested articles (`kb::Deflection`s), as kept before they
        /// were workspace changes: only read (beside the changes), never written. Each entry is
        /// read on its own, so one unreadable entry does not hide the others.
        pub LegacyDeflections = "kb.deflections" => Vec<serde_json::Value>
    );
    meta_key!(
        /// Where round robin stands in each pool (`assignment::AgentLoad`, counts left out).
        pub RoundRobin = "assignment.round_robin" => AgentLoad
    );
}

/// Loads the desk ([`Desk::load`]) and starts what waits for it ([`Arrival`]). In the customer
/// widget (feature `split`) this is a module of its own, fetched as the widget opens: reading
/// the settings, the articles and the workspace through the store, the domain code that folds
/// them, and what starts with the desk (identity, the host's events, sync) are not in the first
/// module. Elsewhere the same function runs directly, in the console's split build too: the
/// console shows nothing without the desk, so its code is in the console's first module rather
/// than one more request after it.
pub(crate) async fn load_desk(
    store: Rc<DeskStore>,
    db_name: String,
    arrival: Arrival,
) -> Result<Rc<Desk>, UiError> {
    #[cfg(all(feature = "split", not(feature = "console")))]
    {
        match loading(store, db_name, arrival).await {
            Ok(desk) => desk.await,
            Err(crate::components::deferred::Unloaded) => Err(UiError::Unloaded),
        }
    }
    #[cfg(not(all(feature = "split", not(feature = "console"))))]
    {
        load_and_start(store, db_name, arrival).await
    }
}

async fn load_and_start(
    store: Rc<DeskStore>,
    db_name: String,
    arrival: Arrival,
) -> Result<Rc<Desk>, UiError> {
    crate::i18n::errors::late::know();
    let (mode, synced) = (arrival.session.mode, arrival.sync_ui.is_some());
    let desk = Rc::new(Desk::load(store, mode, &db_name, synced).await?);
    arrival.start(desk.clone());
    Ok(desk)
}

/// A desk being loaded, once its code is here.
#[cfg(all(feature = "split", not(feature = "console")))]
type Loading = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Rc<Desk>, UiError>>>>;

#[cfg(all(feature = "split", not(feature = "console")))]
#[leptos::wasm_split::wasm_split(portal_desk, wasm_split_path = ::leptos::wasm_split, fallible)]
fn loading(
    store: Rc<DeskStore>,
    db_name: String,
    arrival: Arrival,
) -> Result<Loading, crate::components::deferred::Unloaded> {
    Ok(Box::pin(load_and_start(store, db_name, arrival)))
}

/// A stored value this build cannot read counts as absent (an older or newer build wrote it),
/// as it did before metadata was typed; other store errors stay errors.
fn readable<T>(r: Result<Option<T>, StoreError>) -> Result<Option<T>, StoreError> {
    match r {
        Err(StoreError::Corrupt(_)) => Ok(None),
        r => r,
    }
}

/// Anything that can go wrong under a button: a domain rule, the storage, a template.
#[derive(Debug, Clone, PartialEq)]
pub enum UiError {
    Domain(DomainError),
    Store(StoreError),
    Template(TemplateError),
    /// The knowledge base refused an article.
    Kb(KbError),
    /// The ticket is no longer in the store.
    NotFound,
    /// The code this needs is a module of its own that could not be fetched (customer widget).
    Unloaded,
}

impl From<DomainError> for UiError {
    fn from(e: DomainError) -> Self {
        UiError::Domain(e)
    }
}
impl From<StoreError> for UiError {
    fn from(e: StoreError) -> Self {
        UiError::Store(e)
    }
}
impl From<TemplateError> for UiError {
    fn from(e: TemplateError) -> Self {
        UiError::Template(e)
    }
}

/// What a bulk action did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BulkReport {
    pub done: usize,
    /// Ticket code and why it was refused.
    pub failed: Vec<(String, UiError)>,
}

/// What one run of the system's rules did ([`Desk::run_system_rules`]).
#[cfg(feature = "console")]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SystemRunReport {
    /// Tickets loaded because something could be due.
    pub looked_at: usize,
    /// Commands decided and stored (wake, auto-close, escalation steps, routing).
    pub done: usize,
    /// Ticket code and why a command was refused (another device may have moved it first).
    pub failed: Vec<(String, UiError)>,
}

/// The help desk as this app sees it.
pub struct Desk {
    pub store: Rc<DeskStore>,
    /// The database's name: one help desk per name on an origin (tabs of it share live updates
    /// and locks).
    pub db_name: String,
    settings: RefCell<Settings>,
    kb: RefCell<Rc<KnowledgeBase>>,
    ctx: RefCell<Option<Ctx>>,
    customer: RefCell<Option<CustomerId>>,
    /// The visitor the host identified; takes the place of the device's own customer id.
    identified: RefCell<Option<CustomerId>>,
    /// In the portal with a sync server, until the sync link knows who the visitor is on the
    /// server (their signed token, a saved session or a new anonymous one): whoever needs the
    /// customer id waits here ([`Desk::customer`]), so a first ticket sent quickly is not written
    /// under a device id the server's session then replaces. `None` once settled.
    settling: RefCell<Option<Vec<oneshot::Sender<()>>>>,
    /// Bumped after every change the store announces (here, in another tab, from sync) and
    /// when the desk's own view of the workspace moves; views re-read when it moves.
    pub revision: RwSignal<u64>,
    /// Bumped when the settings or articles changed under the app (sync pulled workspace
    /// changes); forms that list categories or articles re-read them.
    pub workspace: RwSignal<u64>,
    /// The store's feed, bumping `revision`; dropped with the desk.
    _feed: Subscription,
    /// Called after every local change is stored (sync pushes soon).
    on_commit: RefCell<Option<Box<dyn Fn()>>>,
    /// Suggested articles the visitor opened since their last ticket.
    suggestions_viewed: RefCell<Vec<ArticleId>>,
    /// The agent whose name this device's settings and article changes carry.
    acting: RefCell<Option<AgentId>>,
}

impl Desk {
    /// Reads settings and articles (the seeded defaults when there are none), brought up to the
    /// stored workspace changes. Writes nothing in the portal before the visitor acts; the
    /// console saves the default settings on first start. With a sync server (`synced`) the
    /// sample articles are neither shown nor saved: the workspace's articles come from the
    /// server.
    pub async fn load(
        store: Rc<DeskStore>,
        mode: Mode,
        db_name: &str,
        synced: bool,
    ) -> Result<Desk, UiError> {
        refresh_workspace(&*store, now()).await?;
        let settings = match store.settings().await? {
            Some(s) => s,
            None => {
                let s = seed::settings();
                if mode == Mode::Console {
                    store.save_settings(&s, now()).await?;
                }
                s
            }
        };
        let mut articles = store.articles().await?;
        if articles.is_empty() && !synced {
            articles = seed::articles(now());
            if mode == Mode::Console {
                for a in &articles {
                    store.save_article(a).await?;
                }
            }
        }
        // An invalid stored article must not take the help centre down: keep the others.
        let mut kb = KnowledgeBase::new();
        for a in articles {
            let _ = kb.upsert(a);
        }
        let customer = match readable(store.meta::<keys::Customer>().await)? {
            Some(s) if !s.is_empty() => Some(CustomerId(s)),
            _ => None,
        };
        let revision = RwSignal::new(0);
        // The one change feed: the store announces every change it commits, made here, in
        // another tab or pulled by sync, and every view re-reads. Workspace records alone
        // (a visitor's deflection or assistant step) change nothing a view shows; settings and
        // articles they bring are announced when they are saved.
        let feed = store.subscribe(Box::new(move |notice| {
            if !matches!(notice, Notice::Workspace) {
                revision.try_update(|r| *r += 1);
            }
        }));
        Ok(Desk {
            store,
            db_name: db_name.to_owned(),
            settings: RefCell::new(settings),
            kb: RefCell::new(Rc::new(kb)),
            ctx: RefCell::new(None),
            customer: RefCell::new(customer),
            identified: RefCell::new(None),
            settling: RefCell::new((synced && mode == Mode::Portal).then(Vec::new)),
            revision,
            workspace: RwSignal::new(0),
            _feed: feed,
            on_commit: RefCell::new(None),
            suggestions_viewed: RefCell::new(Vec::new()),
            acting: RefCell::new(None),
        })
    }

    /// The agent signed in on this console: settings and article changes carry their name.
    pub fn set_acting_agent(&self, agent: Option<AgentId>) {
        *self.acting.borrow_mut() = agent;
    }

    /// Brings the settings and articles up to the stored workspace changes (after sync pulled
    /// some) and re-reads them. Views re-read.
    pub async fn reload_workspace(&self) -> Result<(), UiError> {
        refresh_workspace(&*self.store, now()).await?;
        if let Some(s) = self.store.settings().await? {
            *self.settings.borrow_mut() = s;
        }
        let stored = self.store.articles().await?;
        if !stored.is_empty() {
            let mut kb = KnowledgeBase::new();
            for a in stored {
                let _ = kb.upsert(a);
            }
            *self.kb.borrow_mut() = Rc::new(kb);
        }
        self.workspace.try_update(|r| *r += 1);
        // What the desk holds moved even where the store announced nothing (the settings and
        // articles were already saved): views re-read.
        self.revision.try_update(|r| *r += 1);
        Ok(())
    }

    /// Records workspace changes made here (queued for the sync server, if any) with ids and
    /// clocks from this device, sorted after every change already stored.
    async fn record(&self, payloads: Vec<ChangePayload>, actor: Actor) -> Result<(), UiError> {
        if payloads.is_empty() {
            return Ok(());
        }
        self.ensure_ctx().await?;
        let newest = self.store.changes().await?.pop().map(|c| c.hlc);
        let changes: Vec<Change> = self.with_ctx(newest.as_ref(), |ctx| {
            payloads
                .into_iter()
                .map(|payload| Change {
                    id: ctx.next_event_id(),
                    hlc: ctx.next_hlc(),
                    actor: actor.clone(),
                    payload,
                })
                .collect()
        });
        self.store.append_changes(&changes, Origin::Local).await?;
        self.save_clock().await?;
        if let Some(f) = self.on_commit.borrow().as_ref() {
            f();
        }
        Ok(())
    }

    /// The agent signed in on this device, if any.
    pub fn acting_agent(&self) -> Option<AgentId> {
        self.acting.borrow().clone()
    }

    /// Who this device's settings and article changes are by.
    fn staff_actor(&self) -> Actor {
        self.acting
            .borrow()
            .clone()
            .map_or(Actor::System, Actor::Agent)
    }

    pub fn settings(&self) -> Settings {
        self.settings.borrow().clone()
    }

    /// The help desk's name (the settings' profile), without copying the rest of the settings.
    pub fn name(&self) -> String {
        self.settings.borrow().profile.name.clone()
    }

    /// Saves new settings; they apply to what happens from now on (history is not rewritten).
    /// Each section that differs is recorded as a workspace change (so it syncs and sits in the
    /// history); a section another device changed later still wins, as everywhere.
    pub async fn replace_settings(&self, settings: Settings) -> Result<(), UiError> {
        let current = self.settings();
        let sections = changed_sections(&current, &settings);
        self.record(
            sections
                .into_iter()
                .map(|section| ChangePayload::Settings { section })
                .collect(),
            self.staff_actor(),
        )
        .await?;
        // Settings kept before they were changes: the sections not recorded stay as saved.
        self.store.save_settings(&settings, now()).await?;
        self.reload_workspace().await
    }

    /// Checks an article against the knowledge base (valid, slug free in its locale, not older
    /// than the stored version), stores it and re-indexes.
    pub async fn save_article(&self, article: Article) -> Result<(), UiError> {
        let mut kb = KnowledgeBase::new();
        for a in self.kb().articles() {
            let _ = kb.upsert(a.clone());
        }
        kb.upsert(article.clone()).map_err(UiError::Kb)?;
        self.record(
            vec![ChangePayload::Article {
                article: article.clone(),
            }],
            self.staff_actor(),
        )
        .await?;
        self.store.save_article(&article).await?;
        *self.kb.borrow_mut() = Rc::new(kb);
        self.reload_workspace().await
    }

    /// Records what a visitor did with a suggested article: a workspace change by the visitor,
    /// which reaches the agents through the sync server when there is one. Best effort: a
    /// failure to record it never stops the visitor.
    pub async fn record_deflection(&self, d: Deflection) {
        let Ok(customer) = self.customer().await else {
            return;
        };
        let _ = self
            .record(
                vec![ChangePayload::Deflection { deflection: d }],
                Actor::Customer(customer),
            )
            .await;
    }

    /// Records what a visitor did at a step of the assistant: an anonymous workspace change by
    /// the visitor, like a deflection. Best effort, like it.
    pub async fn record_assistant(&self, record: mostrador_core::assistant::Record) {
        let Ok(customer) = self.customer().await else {
            return;
        };
        let _ = self
            .record(
                vec![ChangePayload::Assistant { record }],
                Actor::Customer(customer),
            )
            .await;
    }

    /// Every record of what visitors did with the assistant, for the dashboard.
    #[cfg(feature = "console")]
    pub async fn assistant_records(&self) -> Vec<mostrador_core::assistant::Record> {
        match self.store.changes().await {
            Ok(changes) => mostrador_core::workspace::fold(&changes).assistant,
            Err(_) => Vec::new(),
        }
    }

    /// The visitor opened a suggested article from the new-ticket form.
    pub fn note_suggestion_viewed(&self, id: ArticleId) {
        let mut seen = self.suggestions_viewed.borrow_mut();
        if !seen.contains(&id) {
            seen.push(id);
        }
    }

    /// The suggestions opened since the last ticket, forgetting them.
    pub fn take_suggestions_viewed(&self) -> Vec<ArticleId> {
        std::mem::take(&mut *self.suggestions_viewed.borrow_mut())
    }

    /// Every recorded reaction to suggested articles: the workspace's, and any kept on this
    /// device before they were workspace changes.
    pub async fn deflections(&self) -> Vec<Deflection> {
        let mut out: Vec<Deflection> = match self.store.meta::<keys::LegacyDeflections>().await {
            Ok(Some(a)) => a
                .into_iter()
                .filter_map(|v| serde_json::from_value(v).ok())
                .collect(),
            _ => Vec::new(),
        };
        if let Ok(changes) = self.store.changes().await {
            out.extend(mostrador_core::workspace::fold(&changes).deflections);
        }
        out
    }

    pub fn kb(&self) -> Rc<KnowledgeBase> {
        self.kb.borrow().clone()
    }

    /// The customer using this app: the visitor the host identified, else this device's own id
    /// if it already has one (it gets one when it first writes).
    pub fn known_customer(&self) -> Option<CustomerId> {
        self.identified
            .borrow()
            .clone()
            .or_else(|| self.customer.borrow().clone())
    }

    /// Uses the customer id the sync server gave this device (an anonymous session). Views
    /// re-read.
    pub fn use_customer(&self, id: CustomerId) {
        let changed = self.customer.borrow().as_ref() != Some(&id);
        *self.customer.borrow_mut() = Some(id);
        if changed {
            self.revision.try_update(|r| *r += 1);
        }
    }

    /// Uses the host's id for the visitor (`identify`), or this device's id again with `None`.
    /// Views re-read.
    pub fn identify(&self, visitor: Option<CustomerId>) {
        let changed = *self.identified.borrow() != visitor;
        *self.identified.borrow_mut() = visitor;
        if changed {
            self.revision.try_update(|r| *r += 1);
        }
    }

    /// The sync link knows who the visitor is (or could not ask the server): those waiting for
    /// the customer id go on.
    pub fn settle_customer(&self) {
        for waiting in self.settling.borrow_mut().take().unwrap_or_default() {
            let _ = waiting.send(());
        }
    }

    /// This device's customer id, created and saved on first use. In the portal with a sync
    /// server, once the sync link has settled who the visitor is.
    pub async fn customer(&self) -> Result<CustomerId, UiError> {
        let settled = self.settling.borrow_mut().as_mut().map(|waiting| {
            let (tx, rx) = oneshot::channel();
            waiting.push(tx);
            rx
        });
        if let Some(settled) = settled {
            // A server that does not answer holds no one for long: after a while the visitor
            // writes as this device.
            let timer = gloo_timers::future::TimeoutFuture::new(SETTLING_MS);
            let _ = futures::future::select(settled, timer).await;
        }
        if let Some(c) = self.known_customer() {
            return Ok(c);
        }
        let id = CustomerId(format!("device-{}", random_hex(12)));
        self.store.set_meta::<keys::Customer>(&id.0).await?;
        *self.customer.borrow_mut() = Some(id.clone());
        Ok(id)
    }

    /// The agent last signed in on this device, if it is still in the settings.
    pub async fn saved_agent(&self) -> Option<AgentId> {
        let id = AgentId(self.store.meta::<keys::Agent>().await.ok().flatten()?);
        self.settings
            .borrow()
            .agents
            .iter()
            .any(|a| a.id == id)
            .then_some(id)
    }

    pub async fn save_agent(&self, id: &AgentId) -> Result<(), UiError> {
        self.store.set_meta::<keys::Agent>(&id.0).await?;
        Ok(())
    }

    /// Loads (or creates) the device's node id and clock the first time something is decided.
    async fn ensure_ctx(&self) -> Result<(), UiError> {
        if self.ctx.borrow().is_some() {
            return Ok(());
        }
        let node = match readable(self.store.meta::<keys::Node>().await)? {
            Some(s) if !s.is_empty() => NodeId(s),
            _ => {
                let n = NodeId(random_hex(8));
                self.store.set_meta::<keys::Node>(&n.0).await?;
                n
            }
        };
        let mut ctx = Ctx::new(node.clone(), now(), Box::new(CryptoIds));
        if let Some(saved) = readable(self.store.meta::<keys::Clock>().await)?
            && saved.node == node
        {
            ctx.clock = saved;
        }
        let mut slot = self.ctx.borrow_mut();
        if slot.is_none() {
            *slot = Some(ctx);
        }
        Ok(())
    }

    /// Runs `f` with the context set to now, having observed `seen` (the newest event of the
    /// ticket at hand, possibly written by another tab) so new events sort after it.
    fn with_ctx<T>(&self, seen: Option<&Hlc>, f: impl FnOnce(&mut Ctx) -> T) -> T {
        let mut slot = self.ctx.borrow_mut();
        let ctx = slot.as_mut().expect("ensure_ctx ran before");
        ctx.now = now();
        if let Some(h) = seen {
            ctx.observe(h);
        }
        f(ctx)
    }

    async fn commit(&self, events: &[Event]) -> Result<(), UiError> {
        if events.is_empty() {
            return Ok(());
        }
        let settings = self.settings();
        self.store
            .append(events, Origin::Local, &settings, now())
            .await?;
        self.save_clock().await?;
        if let Some(f) = self.on_commit.borrow().as_ref() {
            f();
        }
        Ok(())
    }

    /// Persists the device's clock, so the next session's stamps sort after this one's.
    async fn save_clock(&self) -> Result<(), UiError> {
        let clock = self.ctx.borrow().as_ref().map(|c| c.clock.clone());
        if let Some(clock) = clock {
            self.store.set_meta::<keys::Clock>(&clock).await?;
        }
        Ok(())
    }

    /// Runs `f` after every local change is stored.
    pub fn set_on_commit(&self, f: Box<dyn Fn()>) {
        *self.on_commit.borrow_mut() = Some(f);
    }

    /// Decides `commands` as one unit against ticket `id` (or opens a ticket when `id` is `None`)
    /// and stores the events. Returns them.
    pub async fn run(
        &self,
        id: Option<&TicketId>,
        commands: Vec<Command>,
        actor: &Actor,
    ) -> Result<Vec<Event>, UiError> {
        self.ensure_ctx().await?;
        let state = match id {
            Some(id) => Some(self.store.ticket(id).await?.ok_or(UiError::NotFound)?),
            None => None,
        };
        let settings = self.settings();
        let seen = state
            .as_ref()
            .and_then(|t| t.last_event.as_ref().map(|(h, _)| h.clone()));
        let events = self.with_ctx(seen.as_ref(), |ctx| {
            decide_sequence(state.as_ref(), &commands, actor, &settings.domain, ctx)
        })?;
        self.commit(&events).await?;
        Ok(events)
    }

    /// Opens a ticket and routes it with the assignment rules when nobody was chosen by hand.
    pub async fn open(&self, command: Command, actor: &Actor) -> Result<Ticket, UiError> {
        let events = self.run(None, vec![command], actor).await?;
        let id = events
            .first()
            .map(|e| e.ticket.clone())
            .ok_or(UiError::NotFound)?;
        let ticket = self.store.ticket(&id).await?.ok_or(UiError::NotFound)?;
        if automation::needs_routing(&ticket) {
            let mut load = self.agent_load().await?;
            // Routing is a convenience: a refusal leaves the ticket in the queue.
            let _ = self.route(&ticket, &mut load).await;
        }
        Ok(self.store.ticket(&id).await?.unwrap_or(ticket))
    }

    /// Each agent's open tickets, and the round-robin cursors kept in the store.
    async fn agent_load(&self) -> Result<AgentLoad, UiError> {
        let settings = self.settings();
        let mut load = readable(self.store.meta::<keys::RoundRobin>().await)?.unwrap_or_default();
        load.open_by_agent.clear();
        for a in &settings.agents {
            let filter = ViewFilter {
                statuses: vec![Status::New, Status::Open],
                assignee: AssigneeFilter::Agent(a.id.clone()),
                ..ViewFilter::default()
            };
            let n = self.store.count(&filter, now()).await?;
            load.open_by_agent
                .insert(a.id.clone(), u32::try_from(n).unwrap_or(u32::MAX));
        }
        Ok(load)
    }

    /// Routes `ticket` as the system when the core says it needs it; keeps the round-robin
    /// cursor. Returns whether a command was stored.
    async fn route(&self, ticket: &Ticket, load: &mut AgentLoad) -> Result<bool, UiError> {
        let settings = self.settings();
        let Some((command, decision)) = automation::route(ticket, &settings, load) else {
            return Ok(false);
        };
        self.run(Some(&ticket.id), vec![command], &Actor::System)
            .await?;
        load.record(&decision);
        if decision.cursor.is_some() {
            let cursors = AgentLoad {
                open_by_agent: Default::default(),
                ..load.clone()
            };
            self.store.set_meta::<keys::RoundRobin>(&cursors).await?;
        }
        Ok(true)
    }

    /// Runs what the system must do because time passed or a ticket arrived unrouted: wakes
    /// postponed tickets, closes resolved ones after the configured period, runs due SLA
    /// escalations (`automation::due_commands`) and routes new tickets nobody holds, including
    /// those that came from another device or an import. Each ticket is its own unit: a refusal
    /// is reported and the rest go on. The caller makes sure one runner at a time does this.
    #[cfg(feature = "console")]
    pub async fn run_system_rules(&self) -> Result<SystemRunReport, UiError> {
        let mut report = SystemRunReport::default();
        let at = now();
        // Collect the candidates first: the commands below change what the views list. Each
        // view is read once, through its index, so a run reads the rows that may have work,
        // not every active ticket. (Paging through every runnable row by offset re-read them
        // for each page of 200: a run no longer finished within its minute at 100,000 tickets.)
        // In update order, which the status views' indexes follow: the store then walks them
        // row by row instead of reading tens of thousands at once in one task.
        let mut load = self.agent_load().await?;
        let routing = automation::routing_possible(&self.settings(), &load);
        let mut rows: std::collections::HashMap<TicketId, TicketSummary> = Default::default();
        for filter in automation::candidate_views(routing) {
            let request = PageRequest {
                filter,
                sort: SortKey::UpdatedAsc,
                offset: 0,
                limit: usize::MAX,
                now: at,
            };
            for row in self.store.page(&request).await?.items {
                if automation::may_be_due(&row, at) {
                    rows.insert(row.id.clone(), row);
                }
            }
        }
        // Oldest first: routing serves tickets in the order they arrived.
        let mut rows: Vec<TicketSummary> = rows.into_values().collect();
        rows.sort_by(|a, b| SortKey::CreatedAsc.compare(a, b));
        let zones = mostrador_idb::BrowserZones::new();
        for row in rows {
            // Once nobody can take a ticket (every agent full, no team to fall back on), a
            // ticket that is here only because nobody holds it is not even loaded. (Skipped
            // rows do not await: the check borrows the settings rather than copying them.)
            if !automation::may_have_due_commands(&row, at)
                && !automation::routing_possible(&self.settings.borrow(), &load)
            {
                continue;
            }
            let settings = self.settings();
            let (id, code) = (row.id, row.code);
            let Some(ticket) = self.store.ticket(&id).await? else {
                continue;
            };
            report.looked_at += 1;
            let commands = automation::due_commands(&ticket, &settings, &zones, at);
            if !commands.is_empty() {
                let n = commands.len();
                match self.run(Some(&id), commands, &Actor::System).await {
                    Ok(_) => report.done += n,
                    Err(e) => {
                        report.failed.push((code.to_string(), e));
                        continue;
                    }
                }
            }
            let Some(ticket) = self.store.ticket(&id).await? else {
                continue;
            };
            if automation::needs_routing(&ticket) {
                match self.route(&ticket, &mut load).await {
                    Ok(true) => report.done += 1,
                    Ok(false) => {}
                    Err(e) => report.failed.push((code.to_string(), e)),
                }
            }
        }
        Ok(report)
    }

    /// One command on many tickets; each succeeds or fails on its own.
    pub async fn bulk(&self, ids: &[TicketId], command: &Command, actor: &Actor) -> BulkReport {
        let mut report = BulkReport::default();
        for id in ids {
            match self.run(Some(id), vec![command.clone()], actor).await {
                Ok(_) => report.done += 1,
                Err(e) => report.failed.push((id.0.clone(), e)),
            }
        }
        report
    }

    /// Merges `sources` into `target`.
    pub async fn merge(
        &self,
        target: &TicketId,
        sources: &[TicketId],
        actor: &Actor,
    ) -> Result<(), UiError> {
        self.ensure_ctx().await?;
        let t = self.store.ticket(target).await?.ok_or(UiError::NotFound)?;
        let mut loaded = Vec::new();
        for s in sources.iter().filter(|s| *s != target) {
            loaded.push(self.store.ticket(s).await?.ok_or(UiError::NotFound)?);
        }
        let refs: Vec<&Ticket> = loaded.iter().collect();
        let seen = loaded
            .iter()
            .chain(std::iter::once(&t))
            .filter_map(|x| x.last_event.as_ref().map(|(h, _)| h.clone()))
            .max();
        let events = self.with_ctx(seen.as_ref(), |ctx| decide_merge(&t, &refs, actor, ctx))?;
        self.commit(&events).await
    }

    /// Decides one command without storing it (used to check a form before a slow write).
    pub fn check(
        &self,
        state: Option<&Ticket>,
        command: &Command,
        actor: &Actor,
    ) -> Result<(), UiError> {
        let settings = self.settings();
        if self.ctx.borrow().is_none() {
            let mut scratch = Ctx::new(NodeId("check".into()), now(), Box::new(CryptoIds));
            return decide(state, command, actor, &settings.domain, &mut scratch)
                .map(|_| ())
                .map_err(UiError::from);
        }
        self.with_ctx(None, |ctx| {
            // Decide on a copy of the clock so checking leaves no trace.
            let saved = ctx.clock.clone();
            let r = decide(state, command, actor, &settings.domain, ctx);
            ctx.clock = saved;
            r.map(|_| ()).map_err(UiError::from)
        })
    }
}

/// Where the app's desk arrives: empty while the store opens and the desk loads. The customer
/// widget's form shows (and takes typing) meanwhile; everything else is shown once it is here.
/// A local (not `Send`) value, provided at the root.
#[derive(Clone, Copy)]
pub struct DeskSlot {
    desk: RwSignal<Option<Rc<Desk>>, LocalStorage>,
    /// Who waits for it ([`DeskSlot::arrived`]).
    waiting: StoredValue<Vec<oneshot::Sender<Rc<Desk>>>, LocalStorage>,
}

impl DeskSlot {
    /// An empty slot, provided as the context [`use_desk_slot`] and [`use_desk`] read.
    pub fn provide() -> Self {
        let slot = DeskSlot {
            desk: RwSignal::new_local(None),
            waiting: StoredValue::new_local(Vec::new()),
        };
        provide_context(slot);
        slot
    }

    /// The desk once loaded; a reactive read.
    pub fn get(&self) -> Option<Rc<Desk>> {
        self.desk.get()
    }

    /// The desk if it is here, without tracking.
    pub fn current(&self) -> Option<Rc<Desk>> {
        self.desk.try_get_untracked().flatten()
    }

    /// Whether the desk is here; a reactive read.
    pub fn is_here(&self) -> bool {
        self.desk.with(Option::is_some)
    }

    /// Puts the loaded desk in place: views that wait for it show, and waiters go on.
    pub fn fill(&self, desk: Rc<Desk>) {
        for waiter in self
            .waiting
            .try_update_value(std::mem::take)
            .unwrap_or_default()
        {
            let _ = waiter.send(desk.clone());
        }
        self.desk.try_set(Some(desk));
    }

    /// The desk, now or once it is loaded; `None` if the app went away first.
    pub async fn arrived(&self) -> Option<Rc<Desk>> {
        if let Some(desk) = self.current() {
            return Some(desk);
        }
        let (tx, rx) = oneshot::channel();
        self.waiting.try_update_value(|w| w.push(tx))?;
        rx.await.ok()
    }
}

/// Where the mounted app's desk arrives.
pub fn use_desk_slot() -> DeskSlot {
    expect_context::<DeskSlot>()
}

/// The desk of the mounted app, for components shown once it is loaded (see [`DeskSlot`]).
pub fn use_desk() -> Rc<Desk> {
    use_desk_slot()
        .desk
        .get_untracked()
        .expect("a component that needs the desk is shown only once it is loaded")
}
