//! Data portability: the whole event log (and the settings) to a file and back, so a shop with no
//! server can keep backups and move to another browser or device; tickets as CSV for a
//! spreadsheet. Import is the core's set union by event id: importing twice, or a file from a
//! device that already shares some tickets, adds each event once.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::config::Settings;
use mostrador_core::event::Payload;
use mostrador_core::export::{ImportError, Reading, export};
use mostrador_core::kpi::Table;
use mostrador_core::named::Named;
use mostrador_core::store::{Origin, PageRequest, SortKey, StoreError, ViewFilter};
use wasm_bindgen::JsCast;

use crate::components::field::{Check, LabelledField, described_by};
use crate::console::admin::customer_data::CustomerData;
use crate::i18n::errors::message;
use crate::i18n::{I18n, Key, Plural, status_key, use_i18n};
use crate::services::attachments::{read_text, save_text};
use crate::services::desk::{Desk, UiError, use_desk};
use crate::services::ids::now;

/// Events written per transaction while importing, so the progress bar moves and no
/// transaction's own work holds the page for long (500 took up to 200 ms on a loaded machine).
const CHUNK: usize = 250;

/// Events parsed from the file per step, with the browser's turn between steps (500 took
/// 4–8 ms in the 100,000-ticket benchmark).
const DECODE: usize = 2_000;

/// What an import added.
#[derive(Debug, Clone, PartialEq)]
struct Summary {
    added: usize,
    already: usize,
    tickets: usize,
    settings: bool,
    /// Settings entries (agents, teams, responses…) the file had and this profile did not.
    settings_added: usize,
}

fn import_message(i: crate::i18n::I18n, e: &ImportError) -> String {
    match e {
        ImportError::Malformed(_) | ImportError::NotAnExport => i.t(Key::ImportNotAnExport).into(),
        ImportError::NewerVersion { found, supported } => i.tf(
            Key::ImportNewer,
            &[
                ("found", &found.to_string()),
                ("supported", &supported.to_string()),
            ],
        ),
        ImportError::BadEvents(_) | ImportError::Conflict(_) => {
            i.tf(Key::ImportCorrupt, &[("detail", &e.to_string())])
        }
        ImportError::BadSettings(_) => i.t(Key::ImportBadSettings).into(),
    }
}

fn today() -> String {
    now().format("%Y-%m-%d").to_string()
}

/// The console's Data page: export, import with progress and summary, tickets as CSV.
#[component]
pub fn DataPage() -> impl IntoView {
    let i = use_i18n();
    let desk = StoredValue::new_local(use_desk());
    let busy = RwSignal::new(false);
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let progress = RwSignal::new(None::<(usize, usize)>);
    let summary = RwSignal::new(None::<Summary>);
    let with_settings = RwSignal::new(false);

    // Runs an export: busy while it runs, then what it wrote or why it could not.
    let run = move |what: Plural, job: Pin<Box<dyn Future<Output = Result<usize, UiError>>>>| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = job.await;
            busy.try_set(false);
            match result {
                Ok(n) => status.try_set(Some(i.tn(what, n as u64, &[]))),
                Err(e) => error.try_set(Some(message(i, &e))),
            };
        });
    };
    let export_all = move |_| {
        let desk = desk.get_value();
        run(
            Plural::ExportDone,
            Box::pin(async move { export_file(&desk).await }),
        );
    };
    let export_csv = move |_| {
        let desk = desk.get_value();
        run(
            Plural::CsvDone,
            Box::pin(async move { export_csv_file(&desk, i).await }),
        );
    };

    let on_import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|l| l.item(0)) else {
            return;
        };
        input.set_value("");
        let desk = desk.get_value();
        let replace_settings = with_settings.get_untracked();
        busy.set(true);
        error.set(None);
        status.set(None);
        summary.set(None);
        progress.set(Some((0, 0)));
        spawn_local(async move {
            let text = match read_text(&file).await {
                Ok(t) => t,
                Err(e) => {
                    error.try_set(Some(i.tf(Key::ImportUnreadable, &[("detail", &e)])));
                    busy.try_set(false);
                    progress.try_set(None);
                    return;
                }
            };
            let result = import_text(&desk, i, &text, replace_settings, progress).await;
            busy.try_set(false);
            match result {
                Ok(Ok(s)) => {
                    summary.try_set(Some(s));
                }
                Ok(Err(m)) => {
                    progress.try_set(None);
                    error.try_set(Some(m));
                }
                Err(e) => {
                    error.try_set(Some(message(i, &e)));
                }
            }
        });
    };

    view! {
        <section class="mo-data" aria-labelledby="mo-data-title">
            <h2 id="mo-data-title" class="mo-subtitle">{i.text(Key::DataTitle)}</h2>
            <p class="mo-hint">{i.text(Key::DataIntro)}</p>
            <div class="mo-actions">
                <button type="button" class="mo-button" on:click=export_all disabled=move || busy.get()>
                    {i.text(Key::ExportAll)}
                </button>
                <button
                    type="button"
                    class="mo-button mo-button-secondary"
                    on:click=export_csv
                    disabled=move || busy.get()
                >
                    {i.text(Key::ExportCsv)}
                </button>
            </div>
            <LabelledField id="mo-import" label=Key::ImportFile hint=Key::ImportHint>
                <input
                    id="mo-import"
                    class="mo-input mo-file"
                    type="file"
                    accept="application/json,.json"
                    aria-describedby=described_by("mo-import", true, false)
                    disabled=move || busy.get()
                    on:change=on_import
                />
            </LabelledField>
            <Check label=Key::ImportSettingsToo checked=with_settings
                on_change=move |on| with_settings.set(on) />
            {move || progress.get().map(|(done, total)| view! { <ImportProgress done=done total=total /> })}
            <p class="mo-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            <div role="status" aria-live="polite">
                {move || status.get().map(|s| view! { <p>{s}</p> })}
                {move || summary.get().map(|s| view! { <ImportSummary summary=s /> })}
            </div>
        </section>
        <CustomerData />
    }
}

/// Writes the whole event log, the workspace's changes and the settings to a file; how many
/// events it holds.
async fn export_file(desk: &Desk) -> Result<usize, UiError> {
    let events = desk.store.all_events().await?;
    let changes = desk.store.changes().await?;
    let settings = serde_json::to_value(desk.settings()).ok();
    let text = export(events.iter(), changes.iter(), settings);
    save_text(
        &text,
        "application/json",
        &format!("mostrador-{}.json", today()),
    )
    .map_err(|e| UiError::Store(StoreError::Unavailable(e)))?;
    Ok(events.len())
}

/// Writes every ticket as a row of a CSV file; how many rows.
async fn export_csv_file(desk: &Desk, i: I18n) -> Result<usize, UiError> {
    let request = PageRequest {
        filter: ViewFilter::default(),
        sort: SortKey::CreatedDesc,
        offset: 0,
        limit: 1_000_000,
        now: now(),
    };
    let page = desk.store.page(&request).await?;
    let agents = desk.settings().agents;
    let mut table = Table {
        header: [
            "code",
            "subject",
            "status",
            "priority",
            "level",
            "type",
            "channel",
            "category",
            "assignee",
            "requester",
            "email",
            "created",
            "updated",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for t in &page.items {
        let assignee = t.assignee.as_ref().map(|a| {
            agents
                .iter()
                .find(|x| &x.id == a)
                .map_or_else(|| a.0.clone(), |x| x.name.clone())
        });
        table.rows.push(vec![
            t.code.to_string(),
            t.subject.clone(),
            i.t(status_key(t.status)).to_owned(),
            t.priority.name().to_owned(),
            t.level.name().to_owned(),
            t.ticket_type.name().to_owned(),
            t.channel.name().to_owned(),
            t.category.clone().unwrap_or_default(),
            assignee.unwrap_or_default(),
            t.requester_name.clone(),
            t.requester_email.clone().unwrap_or_default(),
            t.created_at.to_rfc3339(),
            t.updated_at.to_rfc3339(),
        ]);
    }
    save_text(
        &table.to_csv(),
        "text/csv",
        &format!("mostrador-tickets-{}.csv", today()),
    )
    .map_err(|e| UiError::Store(StoreError::Unavailable(e)))?;
    Ok(page.items.len())
}

/// Imports an export file's text: its settings as asked (`replace_settings`), its workspace's
/// changes, then its new events in chunks, reporting `progress`. `Ok(Err(..))` is a file this
/// import refuses, worded for the person.
async fn import_text(
    desk: &Desk,
    i: I18n,
    text: &str,
    replace_settings: bool,
    progress: RwSignal<Option<(usize, usize)>>,
) -> Result<Result<Summary, String>, UiError> {
    let existing = desk.store.all_events().await?;
    // Reading the file is long work: the browser paints the progress bar and handles input
    // first, and again between slices of the file's events.
    yield_to_browser().await;
    // Keeping this profile's settings, the file's agents who share an id with a
    // different person here get ids of their own (their work shows under their
    // names) and the file's settings sections do not overwrite these.
    let mut reading = if replace_settings {
        Reading::new(text)
    } else {
        Reading::keeping(text, &desk.settings())
    };
    loop {
        match reading.decode(DECODE) {
            Ok(true) => yield_to_browser().await,
            Ok(false) => break,
            Err(e) => return Ok(Err(import_message(i, &e))),
        }
    }
    let imported = match reading.finish(&existing) {
        Ok(x) => x,
        Err(e) => return Ok(Err(import_message(i, &e))),
    };
    // Settings replace this profile's only when asked, and only if they are whole and
    // valid; otherwise what the file has and this profile lacks (agents, teams,
    // responses…) is added and nothing here is overwritten.
    let mut settings_applied = false;
    let mut settings_added = 0;
    if let Some(v) = imported.settings.clone() {
        match serde_json::from_value::<Settings>(v) {
            Ok(s) if replace_settings && s.problems().is_empty() => {
                desk.replace_settings(s).await?;
                settings_applied = true;
            }
            Ok(theirs) if !replace_settings => {
                let mut merged = desk.settings();
                let added = merged.merge_missing(&theirs).total();
                if added > 0 && merged.problems().is_empty() {
                    desk.replace_settings(merged).await?;
                    settings_added = added;
                }
            }
            _ => return Ok(Err(i.t(Key::ImportBadSettings).to_owned())),
        }
    }
    // The workspace's changes first (settings and articles the events may use); the
    // sections they set win over the settings file by their clocks, as on sync.
    if !imported.changes.is_empty() {
        desk.store
            .append_changes(&imported.changes, Origin::Remote)
            .await?;
        desk.reload_workspace().await?;
    }
    let total = imported.new_events.len();
    let file_events = imported.file_events;
    progress.try_set(Some((0, total)));
    let settings = desk.settings();
    let mut done = 0;
    // Each chunk is one transaction; an error stops the import with what was
    // written so far kept whole (importing the file again adds the rest). Between
    // chunks the browser gets its turn: the console answers and the bar moves.
    for chunk in imported.new_events.chunks(CHUNK) {
        yield_to_browser().await;
        desk.store
            .append(chunk, Origin::Remote, &settings, now())
            .await?;
        done += chunk.len();
        progress.try_set(Some((done, total)));
    }
    let tickets: BTreeSet<_> = imported
        .new_events
        .iter()
        .filter(|e| matches!(e.payload, Payload::TicketOpened(_)))
        .map(|e| e.ticket.clone())
        .collect();
    Ok(Ok(Summary {
        added: total,
        already: file_events.saturating_sub(total),
        tickets: tickets.len(),
        settings: settings_applied,
        settings_added,
    }))
}

/// The import's progress bar.
#[component]
fn ImportProgress(done: usize, total: usize) -> impl IntoView {
    let i = use_i18n();
    view! {
        <p class="mo-progress-row">
            // tidy: own label, it names a progress bar (an output, not a question)
            <label for="mo-import-progress">{i.text(Key::ImportProgress)}</label>
            " "
            <progress
                id="mo-import-progress"
                max=total.max(1).to_string()
                value=done.to_string()
            ></progress>
            " "
            {format!("{done} / {total}")}
        </p>
    }
}

/// What an import added.
#[component]
fn ImportSummary(summary: Summary) -> impl IntoView {
    let i = use_i18n();
    let s = summary;
    view! {
        <div class="mo-confirm">
            <h3 class="mo-subtitle">{i.text(Key::ImportDone)}</h3>
            <p>
                {i.tf(
                    Key::ImportSummary,
                    &[
    ("events", &i.tn(Plural::ImportEvents, s.added as u64, &[])),
    ("tickets", &i.tn(Plural::ImportNewTickets, s.tickets as u64, &[])),
    ("already", &i.tn(Plural::ImportAlready, s.already as u64, &[])),
    ],
                )}
            </p>
            {s.settings.then(|| view! { <p>{i.text(Key::ImportSettingsApplied)}</p> })}
            {(s.settings_added > 0).then(|| {
                let n = s.settings_added as u64;
                view! { <p>{move || i.tn(Plural::ImportSettingsAdded, n, &[])}</p> }
            })}
        </div>
    }
}

/// Ends the current task so the browser can handle input and paint before the import goes on
/// (a timer, not a microtask: awaiting a resolved promise would not let the browser in).
async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}
