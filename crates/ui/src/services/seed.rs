//! What a fresh installation starts with: one admin agent (so the console has someone signed in),
//! a 24×7 SLA policy, a few categories, canned responses and help articles. The console saves
//! them on first start; the portal uses them in memory until an agent has saved real settings.
//! The assistant's sample flow comes switched off ([`sample_flow`]).
//! The first-run setup rewrites the defaults the shop has not changed in its language
//! ([`localize`]).

use mostrador_core::assignment::{Agent, Availability, Role};
use mostrador_core::assistant::StepKind;
#[cfg(feature = "console")]
use mostrador_core::assistant::{
    Choice, Flow, FormField, FormFieldKind, HandOff, Step, Texts as Said,
};
use mostrador_core::config::Settings;
use mostrador_core::kb::{Article, ArticleId};
#[cfg(feature = "console")]
use mostrador_core::model::TicketType;
use mostrador_core::model::{AgentId, Level, Timestamp};
use mostrador_core::sla::{SlaConditions, SlaPolicy, SlaPolicyId, SlaTargets};
use mostrador_core::template::CannedResponse;

use crate::i18n::Lang;

/// The agent seeded when an installation has none.
pub fn admin_agent() -> Agent {
    Agent {
        id: AgentId("admin".into()),
        name: "Admin".into(),
        email: "admin@example.com".into(),
        skills: Vec::new(),
        languages: vec!["es".into(), "en".into(), "pt".into()],
        levels: vec![Level::L1, Level::L2, Level::L3],
        teams: Vec::new(),
        // Zero: the admin gets tickets only by hand, so new tickets wait in "Unassigned".
        capacity: 0,
        availability: Availability::Available,
        role: Role::Admin,
    }
}

/// Default settings of a fresh installation.
#[allow(clippy::field_reassign_with_default)] // The SLA policy reads the default calendar.
pub fn settings() -> Settings {
    let mut s = Settings::default();
    s.agents = vec![
        admin_agent(),
        Agent {
            id: AgentId("ana".into()),
            name: "Ana García".into(),
            email: "ana@example.com".into(),
            role: Role::Agent,
            levels: vec![Level::L1, Level::L2],
            ..admin_agent()
        },
    ];
    let t = texts(Lang::En);
    s.categories = t.categories.iter().map(|c| (*c).to_owned()).collect();
    s.sla.policies = vec![SlaPolicy {
        id: SlaPolicyId("standard".into()),
        name: t.policy.into(),
        conditions: SlaConditions::default(),
        targets: SlaTargets {
            first_response: Some(4 * 60),
            next_response: Some(8 * 60),
            resolution: Some(3 * 24 * 60),
        },
        calendar: s.sla.calendars[0].id.clone(),
        at_risk_threshold: None,
        on_reopen: Default::default(),
        escalations: Vec::new(),
    }];
    s.canned_responses = canned(&t);
    // Only the console seeds it: a visitor's device never shows a flow switched off.
    #[cfg(feature = "console")]
    {
        s.domain.assistant = mostrador_core::assistant::AssistantSettings {
            flows: vec![sample_flow()],
        };
    }
    s
}

/// The assistant's sample flow, in the three languages: order status, returns and password
/// reset. Seeded switched off: an admin reads it and switches it on in the settings, so visitors
/// never meet a script nobody at the shop has seen.
#[cfg(feature = "console")]
pub fn sample_flow() -> mostrador_core::assistant::Flow {
    let t = Said::es_en_pt;
    let step = |id: &str, kind: StepKind| Step {
        id: id.into(),
        kind,
    };
    let choice = |label: Said, next: &str| Choice {
        label,
        next: next.into(),
    };
    let check = |unsolved: &str| StepKind::Check {
        text: t("¿Te ha servido?", "Did that help?", "Isso ajudou?"),
        unsolved: unsolved.into(),
    };
    let handoff = |ticket_type, category: &str, tags: &[&str]| {
        StepKind::HandOff(HandOff {
            text: t(
                "Te ponemos en contacto con el equipo. Cuéntanos lo que falte y te responderemos.",
                "Let us put you in touch with the team. Tell us anything we still need and we \
                 will answer.",
                "Vamos colocar você em contato com a equipe. Conte o que faltar e responderemos.",
            ),
            ticket_type,
            category: Some(category.into()),
            urgency: None,
            impact: None,
            tags: tags.iter().map(|x| (*x).to_owned()).collect(),
        })
    };
    Flow {
        id: "quick-help".into(),
        name: t("Ayuda rápida", "Quick help", "Ajuda rápida"),
        enabled: false,
        start: "topic".into(),
        steps: vec![
            step(
                "topic",
                StepKind::Question {
                    text: t(
                        "¡Hola! ¿Con qué te ayudamos?",
                        "Hi! What can we help you with?",
                        "Olá! Com o que podemos ajudar?",
                    ),
                    options: vec![
                        choice(
                            t(
                                "¿Dónde está mi pedido?",
                                "Where is my order?",
                                "Onde está meu pedido?",
                            ),
                            "order-status",
                        ),
                        choice(
                            t(
                                "Quiero devolver algo",
                                "I want to return something",
                                "Quero devolver algo",
                            ),
                            "return-form",
                        ),
                        choice(
                            t(
                                "No puedo entrar en mi cuenta",
                                "I cannot sign in",
                                "Não consigo entrar na minha conta",
                            ),
                            "password",
                        ),
                    ],
                },
            ),
            step(
                "order-status",
                StepKind::Answer {
                    text: t(
                        "Los pedidos salen en **2 días hábiles**. El número de seguimiento está en el \
                         correo de confirmación del envío: síguelo en la web del transportista.",
                        "Orders ship within **2 business days**. The tracking number is in the \
                         shipping confirmation email: follow it on the carrier's site.",
                        "Os pedidos são enviados em até **2 dias úteis**. O código de rastreio está no \
                         e-mail de confirmação do envio: acompanhe no site da transportadora.",
                    ),
                    next: Some("order-check".into()),
                },
            ),
            step("order-check", check("order-handoff")),
            step(
                "order-handoff",
                handoff(
                    TicketType::Question,
                    "Orders",
                    &["assistant", "order-status"],
                ),
            ),
            step(
                "return-form",
                StepKind::Form {
                    text: t(
                        "Las devoluciones se aceptan durante 30 días. ¿Qué pedido quieres devolver?",
                        "Returns are accepted for 30 days. Which order do you want to return?",
                        "Aceitamos devoluções por 30 dias. Qual pedido você quer devolver?",
                    ),
                    fields: vec![
                        FormField {
                            key: "order".into(),
                            label: t("Número de pedido", "Order number", "Número do pedido"),
                            kind: FormFieldKind::Text,
                            required: true,
                        },
                        FormField {
                            key: "reason".into(),
                            label: t(
                                "¿Qué le pasa?",
                                "What is wrong with it?",
                                "Qual é o problema?",
                            ),
                            kind: FormFieldKind::LongText,
                            required: false,
                        },
                    ],
                    next: "return-handoff".into(),
                },
            ),
            step(
                "return-handoff",
                handoff(TicketType::Task, "Orders", &["assistant", "return"]),
            ),
            step(
                "password",
                StepKind::Answer {
                    text: t(
                        "1. Abre **Iniciar sesión**.\n2. Elige *Olvidé mi contraseña*.\n3. Sigue el \
                         enlace que te enviamos por correo en menos de 10 minutos.",
                        "1. Open **Sign in**.\n2. Choose *Forgot password*.\n3. Follow the link we \
                         email you within 10 minutes.",
                        "1. Abra **Entrar**.\n2. Escolha *Esqueci a senha*.\n3. Siga o link que \
                         enviamos por e-mail em até 10 minutos.",
                    ),
                    next: Some("password-check".into()),
                },
            ),
            step("password-check", check("password-handoff")),
            step(
                "password-handoff",
                handoff(TicketType::Incident, "Account", &["assistant", "login"]),
            ),
        ],
    }
}

/// The default texts of one language.
struct Texts {
    categories: [&'static str; 4],
    policy: &'static str,
    greeting: (&'static str, &'static str),
    solved: (&'static str, &'static str),
}

fn texts(lang: Lang) -> Texts {
    match lang {
        Lang::Es => Texts {
            categories: ["Pedidos", "Facturación", "Técnico", "Cuenta"],
            policy: "Estándar",
            greeting: (
                "Saludo",
                "Hola {{customer.first_name}}:\n\nGracias por escribirnos sobre \
                 **{{ticket.subject}}**. ",
            ),
            solved: (
                "Resuelto: confírmalo, por favor",
                "Hola {{customer.first_name}}, creemos que ya está resuelto. Si algo sigue mal, \
                 responde al ticket {{ticket.code}}.\n\n{{agent.name}}",
            ),
        },
        Lang::En => Texts {
            categories: ["Orders", "Billing", "Technical", "Account"],
            policy: "Standard",
            greeting: (
                "Greeting",
                "Hello {{customer.first_name}},\n\nThank you for writing to us about \
                 **{{ticket.subject}}**. ",
            ),
            solved: (
                "Solved — please confirm",
                "Hello {{customer.first_name}}, we believe this is solved. If anything is \
                 still wrong, just reply to ticket {{ticket.code}}.\n\n{{agent.name}}",
            ),
        },
        Lang::Pt => Texts {
            categories: ["Pedidos", "Faturamento", "Técnico", "Conta"],
            policy: "Padrão",
            greeting: (
                "Saudação",
                "Olá, {{customer.first_name}}!\n\nObrigado por nos escrever sobre \
                 **{{ticket.subject}}**. ",
            ),
            solved: (
                "Resolvido — confirme, por favor",
                "Olá, {{customer.first_name}}, acreditamos que já está resolvido. Se algo ainda \
                 estiver errado, é só responder ao ticket {{ticket.code}}.\n\n{{agent.name}}",
            ),
        },
    }
}

fn canned(t: &Texts) -> Vec<CannedResponse> {
    vec![
        CannedResponse {
            id: "greeting".into(),
            title: t.greeting.0.into(),
            body: t.greeting.1.into(),
        },
        CannedResponse {
            id: "solved".into(),
            title: t.solved.0.into(),
            body: t.solved.1.into(),
        },
    ]
}

/// Rewrites in `lang` the defaults of a fresh installation that are still as seeded in any
/// language: the categories, the standard policy's name and the two canned responses. Whatever
/// the shop has changed stays as it is.
pub fn localize(s: &mut Settings, lang: Lang) {
    let target = texts(lang);
    for from in Lang::ALL.map(texts) {
        if s.categories.iter().map(String::as_str).eq(from.categories) {
            s.categories = target.categories.iter().map(|c| (*c).to_owned()).collect();
        }
        for p in &mut s.sla.policies {
            if p.id.0 == "standard" && p.name == from.policy {
                p.name = target.policy.into();
            }
        }
        // The sample flow's hand-offs name categories: they follow the categories' language.
        for (k, name) in from.categories.iter().enumerate() {
            if s.categories.get(k).map(String::as_str) != Some(target.categories[k]) {
                continue;
            }
            for f in &mut s.domain.assistant.flows {
                for step in &mut f.steps {
                    if let StepKind::HandOff(h) = &mut step.kind
                        && h.category.as_deref() == Some(*name)
                    {
                        h.category = Some(target.categories[k].to_owned());
                    }
                }
            }
        }
        let seeded = canned(&from);
        let wanted = canned(&target);
        for r in &mut s.canned_responses {
            if let Some(k) = seeded.iter().position(|d| d == r) {
                *r = wanted[k].clone();
            }
        }
    }
}

/// Help articles of a fresh installation, in the three languages the app speaks.
pub fn articles(now: Timestamp) -> Vec<Article> {
    let a = |id: &str, slug: &str, locale: &str, title: &str, body: &str, tags: &[&str]| Article {
        id: ArticleId(id.into()),
        slug: slug.into(),
        title: title.into(),
        body: body.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        locale: locale.into(),
        published: true,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    vec![
        a(
            "reset-password-en",
            "reset-password",
            "en",
            "How to reset your password",
            "1. Open **Sign in**.\n2. Choose *Forgot password*.\n3. Follow the link we email \
             you within 10 minutes.",
            &["password", "account", "login"],
        ),
        a(
            "track-order-en",
            "track-order",
            "en",
            "Where is my order? Tracking a delivery",
            "Your order ships within 2 business days. The tracking number is in the \
             confirmation email; follow it on the carrier's site.\n\n- Late by more than 5 \
             days? Open a ticket with your order number.",
            &["order", "delivery", "shipping"],
        ),
        a(
            "reset-password-es",
            "restablecer-contrasena",
            "es",
            "Cómo restablecer tu contraseña",
            "1. Abre **Iniciar sesión**.\n2. Elige *Olvidé mi contraseña*.\n3. Sigue el enlace \
             que te enviamos por correo en menos de 10 minutos.",
            &["contraseña", "cuenta"],
        ),
        a(
            "track-order-es",
            "seguir-pedido",
            "es",
            "¿Dónde está mi pedido? Seguimiento del envío",
            "Tu pedido sale en 2 días hábiles. El número de seguimiento está en el correo de \
             confirmación.\n\n- ¿Más de 5 días de retraso? Abre un ticket con tu número de pedido.",
            &["pedido", "envío", "entrega"],
        ),
        a(
            "reset-password-pt",
            "redefinir-senha",
            "pt",
            "Como redefinir a sua senha",
            "1. Abra **Entrar**.\n2. Escolha *Esqueci a senha*.\n3. Siga o link que enviamos \
             por e-mail em até 10 minutos.",
            &["senha", "conta"],
        ),
        a(
            "track-order-pt",
            "rastrear-pedido",
            "pt",
            "Onde está meu pedido? Rastreamento da entrega",
            "Seu pedido é enviado em até 2 dias úteis. O código de rastreio está no e-mail de \
             confirmação.",
            &["pedido", "entrega"],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn the_seeded_settings_and_sample_flow_are_valid_in_every_language() {
        let fresh = settings();
        assert_eq!(fresh.problems(), vec![]);
        assert!(
            !fresh.domain.assistant.flows[0].enabled,
            "seeded switched off"
        );
        for lang in Lang::ALL {
            let mut s = settings();
            localize(&mut s, lang);
            assert_eq!(s.problems(), vec![], "{lang:?}");
            let categories: Vec<&str> = s.domain.assistant.flows[0]
                .steps
                .iter()
                .filter_map(|st| match &st.kind {
                    StepKind::HandOff(h) => h.category.as_deref(),
                    _ => None,
                })
                .collect();
            assert!(
                categories
                    .iter()
                    .all(|c| s.categories.iter().any(|k| k == c))
            );
            assert_eq!(categories[2], texts(lang).categories[3], "Account");
        }
    }
}
