use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_idb::{IdbDatabase, migrations::TICKETS};
use serde::{Deserialize, Serialize};

/// What the foundation slice stores for a ticket; replaced by the core's event model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Draft {
    id: String,
    subject: String,
}

/// Customer portal: open a ticket and see the ones already opened on this device.
#[component]
pub fn Portal(
    /// IndexedDB database holding this installation's data.
    db_name: String,
) -> impl IntoView {
    let (subject, set_subject) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let (tickets, set_tickets) = signal(Vec::<Draft>::new());
    let db_name = StoredValue::new(db_name);

    // Show what this device already holds.
    spawn_local(async move {
        match IdbDatabase::open(&db_name.get_value()).await {
            Ok(db) => match db.all::<Draft>(TICKETS).await {
                Ok(all) => set_tickets.set(all),
                Err(e) => set_error.set(Some(e.to_string())),
            },
            Err(e) => set_error.set(Some(e.to_string())),
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = subject.get_untracked().trim().to_string();
        if text.is_empty() {
            set_error.set(Some("Please write a subject.".into()));
            return;
        }
        set_error.set(None);
        let draft = Draft {
            id: provisional_code(),
            subject: text,
        };
        spawn_local(async move {
            let saved = async {
                let db = IdbDatabase::open(&db_name.get_value()).await?;
                db.put(TICKETS, &draft).await
            }
            .await;
            match saved {
                Ok(()) => {
                    set_tickets.update(|t| t.push(draft));
                    set_subject.set(String::new());
                }
                Err(e) => set_error.set(Some(e.to_string())),
            }
        });
    };

    view! {
        <section class="mo-portal" aria-labelledby="mo-portal-title">
            <h1 id="mo-portal-title" class="mo-title">"Help center"</h1>
            <form class="mo-form" on:submit=submit novalidate=true>
                <label for="mo-subject">"Subject"</label>
                <input
                    id="mo-subject"
                    class="mo-input"
                    type="text"
                    aria-describedby="mo-subject-error"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=move || subject.get()
                    on:input=move |ev| set_subject.set(event_target_value(&ev))
                />
                <p id="mo-subject-error" class="mo-error" role="alert">
                    {move || error.get().unwrap_or_default()}
                </p>
                <button type="submit" class="mo-button">"Send ticket"</button>
            </form>
            <h2 class="mo-subtitle">"Your tickets"</h2>
            <ul class="mo-list" aria-label="Your tickets">
                <For each=move || tickets.get() key=|t| t.id.clone() let:t>
                    <li class="mo-list-item">
                        <span class="mo-code">{t.id}</span>
                        " "
                        <span>{t.subject}</span>
                    </li>
                </For>
            </ul>
        </section>
    }
}

/// A temporary ticket code until the core's generator is wired in.
fn provisional_code() -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    let pick = |n: usize| -> String {
        (0..n)
            .map(|_| LETTERS[(js_sys::Math::random() * LETTERS.len() as f64) as usize] as char)
            .collect()
    };
    let digits = (js_sys::Math::random() * 100_000.0) as u32;
    format!("{}-{digits:05}-{}", pick(3), pick(3))
}
