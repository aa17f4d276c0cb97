//! First run: until dismissed, the inbox starts with a short welcome that leads to a short setup
//! (shop name, languages, business hours, first agent) and offers sample tickets, so a person can
//! try every screen at once. Everything else waits in Settings. Sample tickets are ordinary tickets made through the same commands as
//! real ones (customers write, agents reply, one is resolved and rated).

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::calendar::{BusinessCalendar, TimeRange, WeeklyHours, parse_time_zone};
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::config::Settings;
use mostrador_core::customer::CustomerContext;
use mostrador_core::model::{Actor, AgentId, Channel, CustomerId, Impact, Requester, Urgency};
use mostrador_core::store::Meta;

use crate::components::deferred::{deferred_quietly, deferred_view};
use crate::components::field::{Check, FormError, LabelledField, described_by, invalid};
use crate::console::{ConsolePage, ConsoleState, use_console};
use crate::i18n::errors::message;
use crate::i18n::{I18n, Key, Lang, use_i18n};
use crate::services::desk::{Desk, UiError, use_desk};
use crate::services::{ids, seed};

mostrador_core::meta_key!(
    /// Whether the welcome panel was dismissed (store metadata).
    Welcomed = "ui.welcomed" => bool
);

/// The welcome panel, while the installation has not dismissed it. Only whether it was
/// dismissed is read here: the panel, its sample tickets and the setup come in the setup's
/// module of the console's build when it shows.
#[component]
pub fn Welcome() -> impl IntoView {
    let desk = use_desk();
    let show = RwSignal::new(false);
    spawn_local(async move {
        let seen = desk.store.meta::<Welcomed>().await.ok().flatten();
        show.try_set(seen.is_none());
    });
    move || {
        show.get()
            .then(|| deferred_quietly(move || welcome_panel(show)))
    }
}

deferred_view!(fn welcome_panel(show: RwSignal<bool>) in console_setup => view! { <WelcomePanel show=show /> });
deferred_view!(
    /// The first-run setup, in the same module as the welcome that leads to it.
    pub(crate) fn setup_screen() in console_setup => view! { <SetupPage /> }
);

/// The welcome, until dismissed (`show` goes false).
#[component]
fn WelcomePanel(show: RwSignal<bool>) -> impl IntoView {
    let i = use_i18n();
    let desk = StoredValue::new_local(use_desk());
    let state = use_console();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let dismiss = move || {
        show.set(false);
        let desk = desk.get_value();
        spawn_local(async move {
            let _ = desk.store.set_meta::<Welcomed>(&true).await;
        });
    };
    let sample = move |_| {
        busy.set(true);
        let desk = desk.get_value();
        spawn_local(async move {
            let result = sample_tickets(&desk, i.lang.get_untracked()).await;
            busy.try_set(false);
            match result {
                Ok(()) => {
                    let _ = desk.store.set_meta::<Welcomed>(&true).await;
                    show.try_set(false);
                }
                Err(e) => {
                    error.try_set(Some(message(i, &e)));
                }
            }
        });
    };
    view! {
        <Show when=move || show.get()>
            <section class="mo-welcome" aria-labelledby="mo-welcome-title">
                <h2 id="mo-welcome-title" class="mo-subtitle">{i.text(Key::WelcomeTitle)}</h2>
                <p>{i.text(Key::WelcomeText)}</p>
                <div class="mo-actions">
                    <button
                        type="button"
                        class="mo-button"
                        on:click=move |_| state.page.set(ConsolePage::Setup)
                    >
                        {i.text(Key::WelcomeSetUp)}
                    </button>
                    <button type="button" class="mo-button mo-button-secondary" disabled=move || busy.get() on:click=sample>
                        {move || if busy.get() { i.t(Key::Loading) } else { i.t(Key::WelcomeSample) }}
                    </button>
                    <button type="button" class="mo-link" on:click=move |_| dismiss()>
                        {i.text(Key::WelcomeDismiss)}
                    </button>
                </div>
                <p class="mo-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </section>
        </Show>
    }
}

/// The sample tickets' texts in one language: (name, subject, description) of five customers,
/// then an agent's reply to the first, a reply to the second, the second customer's thanks and an
/// internal note on the third.
type SampleTexts = (
    [(&'static str, &'static str, &'static str); 5],
    [&'static str; 4],
);

fn sample_texts(lang: Lang) -> SampleTexts {
    match lang {
        Lang::Es => (
            [
                (
                    "Lucía Pérez",
                    "Mi pedido #1043 no ha llegado",
                    "Pagué el lunes y el seguimiento no se ha movido desde entonces.",
                ),
                (
                    "João Silva",
                    "No puedo entrar después de cambiar la contraseña",
                    "La página dice que mi contraseña es incorrecta.",
                ),
                (
                    "Ana Gómez",
                    "La factura de marzo tiene mal el NIF",
                    "Corregidla, por favor, para poder presentarla.",
                ),
                ("Pedro Ruiz", "¿Enviáis a Canarias?", "¿Y cuánto tarda?"),
                (
                    "Marta Díaz",
                    "La tapa de la batidora llegó rota",
                    "Llegó así; mando fotos por correo.",
                ),
            ],
            [
                "Lo estamos consultando con la empresa de transporte y te escribimos hoy.",
                "Prueba el enlace *Olvidé mi contraseña*; desbloquea la cuenta.",
                "¡Funcionó, gracias!",
                "Pedir a contabilidad que la vuelva a emitir.",
            ],
        ),
        Lang::En => (
            [
                (
                    "Lucía Pérez",
                    "My order #1043 has not arrived",
                    "I paid on Monday and the tracking has not moved since.",
                ),
                (
                    "João Silva",
                    "Cannot sign in after changing my password",
                    "The page says my password is wrong.",
                ),
                (
                    "Ana Gómez",
                    "Invoice for March shows the wrong tax ID",
                    "Please correct it so I can file it.",
                ),
                (
                    "Pedro Ruiz",
                    "Do you ship to the Canary Islands?",
                    "And how long does it take?",
                ),
                (
                    "Marta Díaz",
                    "The blender lid is cracked",
                    "It arrived like this; photos attached by email.",
                ),
            ],
            [
                "We are checking with the carrier and will write back today.",
                "Please try the *Forgot password* link; it resets the lock.",
                "That worked, thank you!",
                "Ask accounting to re-issue it.",
            ],
        ),
        Lang::Pt => (
            [
                (
                    "Lucía Pérez",
                    "Meu pedido #1043 não chegou",
                    "Paguei na segunda e o rastreio não mudou desde então.",
                ),
                (
                    "João Silva",
                    "Não consigo entrar depois de trocar a senha",
                    "A página diz que minha senha está errada.",
                ),
                (
                    "Ana Gómez",
                    "A nota fiscal de março está com o CNPJ errado",
                    "Corrijam, por favor, para eu poder declarar.",
                ),
                (
                    "Pedro Ruiz",
                    "Vocês entregam nas Ilhas Canárias?",
                    "E quanto tempo demora?",
                ),
                (
                    "Marta Díaz",
                    "A tampa do liquidificador chegou rachada",
                    "Chegou assim; mandei fotos por e-mail.",
                ),
            ],
            [
                "Estamos verificando com a transportadora e respondemos hoje.",
                "Tente o link *Esqueci a senha*; ele desbloqueia a conta.",
                "Funcionou, obrigado!",
                "Pedir à contabilidade que emita de novo.",
            ],
        ),
    }
}

/// A handful of tickets in different states, channels and priorities, written in `lang`.
pub(crate) async fn sample_tickets(desk: &Desk, lang: Lang) -> Result<(), UiError> {
    let agent = desk
        .settings()
        .agents
        .first()
        .map_or_else(|| AgentId("admin".into()), |a| a.id.clone());
    let staff = Actor::Agent(agent.clone());
    let (people, [reply_first, reply_second, thanks, note]) = sample_texts(lang);
    let shape = [
        (Channel::WebForm, Impact::Medium, Urgency::High),
        (Channel::Email, Impact::High, Urgency::High),
        (Channel::Phone, Impact::Low, Urgency::Medium),
        (Channel::Chat, Impact::Low, Urgency::Low),
        (Channel::InPerson, Impact::Medium, Urgency::Medium),
    ];
    let samples =
        people
            .into_iter()
            .zip(shape)
            .map(|((name, subject, body), (channel, impact, urgency))| {
                (name, subject, body, channel, impact, urgency)
            });
    for (n, (name, subject, body, channel, impact, urgency)) in samples.enumerate() {
        let customer = CustomerId(format!("sample-{n}"));
        let new = NewTicket {
            impact: Some(impact),
            urgency: Some(urgency),
            ..NewTicket::new(
                subject,
                body,
                Requester {
                    customer_id: Some(customer.clone()),
                    name: name.into(),
                    email: Some(format!("sample{n}@example.com")),
                    phone: None,
                    locale: None,
                    // The first sample shows what a site's signed context looks like to agents.
                    context: (n == 0).then(|| CustomerContext {
                        plan: Some("Pro".into()),
                        customer_since: Some("2022-05-17".into()),
                        orders: vec!["10482".into(), "10377".into()],
                        crm_url: Some("https://crm.example.com/customers/sample-0".into()),
                    }),
                },
                channel,
            )
        };
        let ticket = desk.open(Command::Open(Box::new(new)), &staff).await?;
        let id = ticket.id.clone();
        let customer = Actor::Customer(customer);
        match n {
            0 => {
                desk.run(
                    Some(&id),
                    vec![Command::Reply {
                        body: reply_first.into(),
                        attachments: Vec::new(),
                    }],
                    &staff,
                )
                .await?;
            }
            1 => {
                desk.run(
                    Some(&id),
                    vec![Command::Reply {
                        body: reply_second.into(),
                        attachments: Vec::new(),
                    }],
                    &staff,
                )
                .await?;
                desk.run(
                    Some(&id),
                    vec![Command::Reply {
                        body: thanks.into(),
                        attachments: Vec::new(),
                    }],
                    &customer,
                )
                .await?;
                desk.run(Some(&id), vec![Command::Resolve], &staff).await?;
            }
            2 => {
                desk.run(
                    Some(&id),
                    vec![Command::AddNote {
                        body: note.into(),
                        attachments: Vec::new(),
                    }],
                    &staff,
                )
                .await?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The browser's time zone, if it has an IANA name the calendar knows.
fn browser_time_zone() -> String {
    ids::browser_time_zone()
        .filter(|tz| parse_time_zone(&mostrador_idb::BrowserZones::new(), tz).is_ok())
        .unwrap_or_else(|| "UTC".into())
}

/// The short setup of a new installation: shop name, languages, opening hours and time zone,
/// the first agent, and sample tickets if wanted. The whole result is checked by the core
/// (`Settings::problems`) before it is saved.
#[component]
pub fn SetupPage() -> impl IntoView {
    let i = use_i18n();
    let desk = StoredValue::new_local(use_desk());
    let state = use_console();
    let form = SetupForm::new(&desk.get_value().settings());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.finish(i, desk.get_value(), state);
    };
    view! {
        <section class="mo-panel mo-setup" aria-labelledby="mo-setup-title">
            <h2 id="mo-setup-title" class="mo-subtitle">{i.text(Key::SetupTitle)}</h2>
            <p class="mo-hint">{i.text(Key::SetupIntro)}</p>
            <form class="mo-form" on:submit=submit novalidate=true>
                {shop_part(i, form)}
                {hours_part(i, form)}
                {agent_part(i, form)}
                {finish_part(i, form, state)}
            </form>
        </section>
    }
}

/// What the setup form holds, and its problems: each with the id of the control it belongs to.
#[derive(Clone, Copy)]
struct SetupForm {
    shop: RwSignal<String>,
    langs: RwSignal<Vec<String>>,
    opens: RwSignal<String>,
    closes: RwSignal<String>,
    saturday: RwSignal<bool>,
    tz: RwSignal<String>,
    agent_name: RwSignal<String>,
    agent_email: RwSignal<String>,
    sample: RwSignal<bool>,
    errors: RwSignal<Vec<(&'static str, Key)>>,
    /// Why saving failed (the core's check of the whole result, or the store).
    failure: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

impl SetupForm {
    /// The form over the current settings: their shop and first agent, the usual hours in the
    /// browser's time zone.
    fn new(s: &Settings) -> SetupForm {
        let me = s.agents.first();
        SetupForm {
            shop: RwSignal::new(s.profile.name.clone()),
            langs: RwSignal::new(s.profile.locales.clone()),
            opens: RwSignal::new("09:00".to_owned()),
            closes: RwSignal::new("18:00".to_owned()),
            saturday: RwSignal::new(false),
            tz: RwSignal::new(browser_time_zone()),
            agent_name: RwSignal::new(me.map(|a| a.name.clone()).unwrap_or_default()),
            agent_email: RwSignal::new(me.map(|a| a.email.clone()).unwrap_or_default()),
            sample: RwSignal::new(true),
            errors: RwSignal::new(Vec::new()),
            failure: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// The problem of the control `id`, as a form error.
    fn error_of(self, id: &'static str) -> Signal<Option<FormError>> {
        let errors = self.errors;
        Signal::derive(move || {
            errors.with(|e| {
                e.iter()
                    .find(|(f, _)| *f == id)
                    .map(|(_, k)| FormError::Key(*k))
            })
        })
    }

    /// A labelled input bound to `sig`; typing clears its problem.
    fn text(
        self,
        id: &'static str,
        key: Key,
        sig: RwSignal<String>,
        kind: &'static str,
    ) -> impl IntoView {
        let errors = self.errors;
        let error = self.error_of(id);
        view! {
            <LabelledField id=id label=key error=error>
                <input id=id class="mo-input" type=kind aria-describedby=described_by(id, false, true)
                    aria-invalid=invalid(Some(error))
                    prop:value=move || sig.get()
                    on:input=move |ev| {
                        sig.set(event_target_value(&ev));
                        errors.update(|e| e.retain(|(f, _)| *f != id));
                    } />
            </LabelledField>
        }
    }

    /// Checks the form, then saves the settings (and the sample tickets if wanted) and goes to
    /// the inbox; or shows what is wrong.
    fn finish(self, i: I18n, desk: Rc<Desk>, state: ConsoleState) {
        let SetupForm {
            shop,
            langs,
            opens,
            closes,
            saturday,
            tz,
            agent_name,
            agent_email,
            sample,
            errors,
            failure,
            busy,
        } = self;
        let mut errs = Vec::new();
        if shop.get_untracked().trim().is_empty() {
            errs.push(("mo-setup-shop", Key::ErrRequiredValue));
        }
        if langs.get_untracked().is_empty() {
            errs.push(("mo-setup-langs", Key::ErrNoLanguage));
        }
        let range = opens
            .get_untracked()
            .trim()
            .parse()
            .ok()
            .zip(closes.get_untracked().trim().parse().ok())
            .map(|(start, end)| TimeRange { start, end })
            .filter(|r| r.start < r.end);
        if range.is_none() {
            errs.push(("mo-setup-closes", Key::ErrClosesBeforeOpens));
        }
        let zone = parse_time_zone(&mostrador_idb::BrowserZones::new(), &tz.get_untracked()).ok();
        if zone.is_none() {
            errs.push(("mo-setup-tz", Key::ErrTimeZone));
        }
        if agent_name.get_untracked().trim().is_empty() {
            errs.push(("mo-setup-agent", Key::ErrRequiredValue));
        }
        errors.set(errs.clone());
        let (Some(range), Some(zone), true) = (range, zone, errs.is_empty()) else {
            return;
        };
        let mut s = desk.settings();
        s.profile.name = shop.get_untracked().trim().to_owned();
        s.profile.locales = langs.get_untracked();
        // The defaults the shop has not changed are rewritten in its language: the one the
        // setup is done in when the shop offers it, else the first it offers.
        let offered: Vec<Lang> = s
            .profile
            .locales
            .iter()
            .filter_map(|l| Lang::from_tag(l))
            .collect();
        let ui = i.lang.get_untracked();
        let shop_lang = if offered.contains(&ui) {
            ui
        } else {
            offered.first().copied().unwrap_or(ui)
        };
        seed::localize(&mut s, shop_lang);
        let mut days = vec![
            chrono::Weekday::Mon,
            chrono::Weekday::Tue,
            chrono::Weekday::Wed,
            chrono::Weekday::Thu,
            chrono::Weekday::Fri,
        ];
        if saturday.get_untracked() {
            days.push(chrono::Weekday::Sat);
        }
        // The policies' calendar gets these hours; other calendars stay as they are.
        let calendar = s.sla.policies.first().map(|p| p.calendar.clone());
        match s
            .sla
            .calendars
            .iter_mut()
            .find(|c| Some(&c.id) == calendar.as_ref())
        {
            Some(c) => {
                c.time_zone = zone;
                c.hours = WeeklyHours::on(&days, &[range]);
                // The seeded calendar is open around the clock and named so; with opening hours
                // that name would mislead.
                if c.name == "24×7" {
                    c.name = crate::i18n::messages::text(shop_lang, Key::TabHours).to_owned();
                }
            }
            None => {
                let mut c = BusinessCalendar::always_open("business", i.t(Key::TabHours));
                c.time_zone = zone;
                c.hours = WeeklyHours::on(&days, &[range]);
                for p in &mut s.sla.policies {
                    p.calendar = c.id.clone();
                }
                s.sla.calendars.push(c);
            }
        }
        if let Some(a) = s.agents.first_mut() {
            a.name = agent_name.get_untracked().trim().to_owned();
            a.email = agent_email.get_untracked().trim().to_owned();
            a.languages = s.profile.locales.clone();
        }
        if let Some(p) = s.problems().first() {
            failure.set(Some(crate::i18n::errors::settings_problem(i, p)));
            return;
        }
        let with_samples = sample.get_untracked();
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let result = async {
                desk.replace_settings(s).await?;
                if with_samples {
                    sample_tickets(&desk, shop_lang).await?;
                }
                desk.store.set_meta::<Welcomed>(&true).await?;
                Ok::<(), UiError>(())
            }
            .await;
            busy.try_set(false);
            match result {
                Ok(()) => {
                    state.page.try_set(ConsolePage::Inbox);
                }
                Err(e) => {
                    failure.try_set(Some(message(i, &e)));
                }
            }
        });
    }
}

/// The shop: its name and the languages it answers in.
fn shop_part(i: I18n, form: SetupForm) -> impl IntoView {
    let SetupForm { langs, errors, .. } = form;
    let langs_error = move || {
        errors
            .get()
            .iter()
            .find(|(f, _)| *f == "mo-setup-langs")
            .map(|(_, k)| i.t(*k).to_owned())
            .unwrap_or_default()
    };
    view! {
        {form.text("mo-setup-shop", Key::ShopName, form.shop, "text")}
        <fieldset class="mo-fieldset" aria-describedby="mo-setup-langs-error">
            <legend>{i.text(Key::Languages)}</legend>
            <div class="mo-row">
                {Lang::ALL.into_iter().map(|l| view! {
                    <Check label=l.native_name().to_owned() lang=l.tag()
                        checked=Signal::derive(move || langs.get().iter().any(|x| Lang::from_tag(x) == Some(l)))
                        on_change=move |c| {
                            langs.update(|v| {
                                v.retain(|x| Lang::from_tag(x) != Some(l));
                                if c {
                                    v.push(l.tag().to_owned());
                                    v.sort_by_key(|x| Lang::ALL.iter().position(|y| Lang::from_tag(x) == Some(*y)));
                                }
                            });
                            errors.update(|e| e.retain(|(f, _)| *f != "mo-setup-langs"));
                        } />
                }).collect_view()}
            </div>
            <p id="mo-setup-langs-error" class="mo-error" role="alert">{langs_error}</p>
        </fieldset>
    }
}

/// The week: opening and closing time, Saturdays, the time zone.
fn hours_part(i: I18n, form: SetupForm) -> impl IntoView {
    let saturday = form.saturday;
    view! {
        <fieldset class="mo-fieldset">
            <legend>{i.text(Key::TabHours)}</legend>
            <div class="mo-row">
                {form.text("mo-setup-opens", Key::OpeningTime, form.opens, "time")}
                {form.text("mo-setup-closes", Key::ClosingTime, form.closes, "time")}
            </div>
            <Check label=Key::OpenSaturday checked=saturday on_change=move |on| saturday.set(on) />
            {form.text("mo-setup-tz", Key::TimeZone, form.tz, "text")}
        </fieldset>
    }
}

/// The first agent: who is setting up.
fn agent_part(i: I18n, form: SetupForm) -> impl IntoView {
    view! {
        <fieldset class="mo-fieldset">
            <legend>{i.text(Key::FirstAgent)}</legend>
            <div class="mo-row">
                {form.text("mo-setup-agent", Key::Name, form.agent_name, "text")}
                {form.text("mo-setup-agent-email", Key::Email, form.agent_email, "email")}
            </div>
        </fieldset>
    }
}

/// The end: sample tickets or not, why saving failed, finish or cancel.
fn finish_part(i: I18n, form: SetupForm, state: ConsoleState) -> impl IntoView {
    let SetupForm {
        sample,
        failure,
        busy,
        ..
    } = form;
    view! {
        <Check label=Key::SampleData checked=sample on_change=move |on| sample.set(on) />
        <p class="mo-error" role="alert">{move || failure.get().unwrap_or_default()}</p>
        <div class="mo-actions">
            <button type="submit" class="mo-button" disabled=move || busy.get()>
                {move || if busy.get() { i.t(Key::Working) } else { i.t(Key::FinishSetup) }}
            </button>
            <button type="button" class="mo-button mo-button-secondary" on:click=move |_| state.page.set(ConsolePage::Inbox)>
                {i.text(Key::Cancel)}
            </button>
        </div>
    }
}
