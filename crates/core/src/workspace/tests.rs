//! Tests of the workspace fold, its public projection and its checks, with property tests for
//! convergence in any arrival order and for the projection never carrying a staff-only value.

use proptest::prelude::*;

use super::*;
use crate::calendar::BusinessCalendar;
use crate::hlc::NodeId;
use crate::kb::DeflectionOutcome;
use crate::model::{AgentId, CustomerId, TeamId, Timestamp};
use crate::settings::{FieldDef, FieldKind};

fn hlc(wall_ms: i64, node: &str) -> Hlc {
    Hlc {
        wall_ms,
        counter: 0,
        node: NodeId(node.into()),
    }
}

fn admin() -> Principal {
    Principal::Agent {
        id: AgentId("ana".into()),
        admin: true,
    }
}

fn change(id: &str, wall_ms: i64, payload: ChangePayload) -> Change {
    Change {
        id: EventId(id.into()),
        hlc: hlc(wall_ms, "n1"),
        actor: Actor::Agent(AgentId("ana".into())),
        payload,
    }
}

fn article(id: &str, version: u32, title: &str, published: bool) -> Article {
    let at = Timestamp::from_timestamp_millis(1_700_000_000_000).unwrap();
    Article {
        id: ArticleId(id.into()),
        slug: format!("a-{id}"),
        title: title.into(),
        body: format!("{title} body"),
        tags: vec!["t".into()],
        locale: "es".into(),
        published,
        created_at: at,
        updated_at: at,
        version,
    }
}

fn categories(names: &[&str]) -> ChangePayload {
    ChangePayload::Settings {
        section: Section::Categories(names.iter().map(|s| s.to_string()).collect()),
    }
}

#[test]
fn later_clock_wins_a_section_and_sections_are_independent() {
    let a = change("a", 10, categories(&["Billing"]));
    let b = change("b", 20, categories(&["Shipping"]));
    let profile = Profile {
        name: "Tienda".into(),
        ..Profile::default()
    };
    let c = change(
        "c",
        5,
        ChangePayload::Settings {
            section: Section::Profile(profile),
        },
    );
    for order in [vec![&a, &b, &c], vec![&c, &b, &a], vec![&b, &a, &c, &b]] {
        let ws = fold(order);
        assert_eq!(ws.settings.categories, vec!["Shipping".to_string()]);
        assert_eq!(ws.settings.profile.name, "Tienda");
        assert_eq!(
            ws.sections[&SectionKind::Categories].id,
            EventId("b".into())
        );
        assert!(!ws.sections.contains_key(&SectionKind::Sla));
    }
}

#[test]
fn an_edit_of_an_older_article_version_never_replaces_a_newer_one() {
    let newer = change(
        "a",
        10,
        ChangePayload::Article {
            article: article("k1", 3, "New", true),
        },
    );
    let stale = change(
        "b",
        99,
        ChangePayload::Article {
            article: article("k1", 2, "Stale", true),
        },
    );
    let ws = fold([&stale, &newer]);
    assert_eq!(ws.articles[&ArticleId("k1".into())].title, "New");
}

#[test]
fn customers_receive_withdrawals_not_drafts_and_no_staff_sections() {
    let draft = change(
        "a",
        1,
        ChangePayload::Article {
            article: article("k1", 2, "Secret draft", false),
        },
    );
    let seen = draft.for_customer().expect("a withdrawal");
    let ChangePayload::Article { article: a } = &seen.payload else {
        panic!("not an article");
    };
    assert!(!a.published);
    assert!(a.title.is_empty() && a.body.is_empty() && a.tags.is_empty());
    let canned = change(
        "b",
        1,
        ChangePayload::Settings {
            section: Section::CannedResponses(Vec::new()),
        },
    );
    assert_eq!(canned.for_customer(), None);
    let deflection = change(
        "c",
        1,
        ChangePayload::Deflection {
            deflection: Deflection {
                article_id: ArticleId("k1".into()),
                at: Timestamp::from_timestamp_millis(1).unwrap(),
                outcome: DeflectionOutcome::Helpful,
            },
        },
    );
    assert_eq!(deflection.for_customer(), None);
}

#[test]
fn only_admins_change_settings_and_articles_and_anyone_records_deflections() {
    let now = 1_700_000_000_000;
    let s = Settings::default();
    let cats = change("a", now, categories(&["Billing"]));
    assert_eq!(
        check_change(&cats, &admin(), &s, &crate::zone::UtcOnly, now),
        Ok(())
    );
    let agent = Principal::Agent {
        id: AgentId("ana".into()),
        admin: false,
    };
    assert!(matches!(
        check_change(&cats, &agent, &s, &crate::zone::UtcOnly, now),
        Err(Rejection::Forbidden {
            what: Permission::ChangeWorkspace,
            ..
        })
    ));
    let customer = Principal::customer("c1");
    let mut by_customer = cats.clone();
    by_customer.actor = Actor::Customer(CustomerId("c1".into()));
    assert!(matches!(
        check_change(&by_customer, &customer, &s, &crate::zone::UtcOnly, now),
        Err(Rejection::Forbidden { .. })
    ));
    by_customer.payload = ChangePayload::Deflection {
        deflection: Deflection {
            article_id: ArticleId("k1".into()),
            at: Timestamp::from_timestamp_millis(now).unwrap(),
            outcome: DeflectionOutcome::Viewed,
        },
    };
    assert_eq!(
        check_change(&by_customer, &customer, &s, &crate::zone::UtcOnly, now),
        Ok(())
    );
    // Someone else's name on the change.
    assert_eq!(
        check_change(&by_customer, &admin(), &s, &crate::zone::UtcOnly, now),
        Err(Rejection::NotYourEvent)
    );
    // Settings the domain's rules refuse.
    let dup = change("b", now, categories(&["Billing", "Billing"]));
    assert!(matches!(
        check_change(&dup, &admin(), &s, &crate::zone::UtcOnly, now),
        Err(Rejection::InvalidWorkspace(_))
    ));
    let bad_article = change(
        "c",
        now,
        ChangePayload::Article {
            article: article("k1", 1, "  ", true),
        },
    );
    assert!(matches!(
        check_change(&bad_article, &admin(), &s, &crate::zone::UtcOnly, now),
        Err(Rejection::InvalidWorkspace(_))
    ));
    let future = change("d", now + 3 * 86_400_000, categories(&["Billing"]));
    assert!(matches!(
        check_change(&future, &admin(), &s, &crate::zone::UtcOnly, now),
        Err(Rejection::ImplausibleClock { .. })
    ));
}

#[test]
fn a_calendar_in_a_zone_the_checking_side_does_not_know_is_refused() {
    let now = 1_700_000_000_000;
    let s = Settings::default();
    let with_zone = |name: &str| {
        let mut next = s.clone();
        next.sla.calendars[0].time_zone = crate::zone::ZoneName::parse(name).unwrap();
        change(
            "z",
            now,
            ChangePayload::Settings {
                section: Section::of(&next, SectionKind::Sla),
            },
        )
    };
    let tzdb = crate::zone::TzDatabase;
    assert_eq!(
        check_change(&with_zone("Europe/Madrid"), &admin(), &s, &tzdb, now),
        Ok(())
    );
    match check_change(&with_zone("Mars/Olympus"), &admin(), &s, &tzdb, now) {
        Err(Rejection::InvalidWorkspace(why)) => assert!(why.contains("Mars/Olympus"), "{why}"),
        other => panic!("expected a refusal naming the zone, got {other:?}"),
    }
}

#[test]
fn saving_settings_records_only_the_sections_that_changed_and_adopt_restores_them() {
    let old = Settings::default();
    let mut new = old.clone();
    new.categories = vec!["Billing".into()];
    new.profile.name = "Tienda".into();
    let kinds: Vec<SectionKind> = changed_sections(&old, &new)
        .iter()
        .map(Section::kind)
        .collect();
    assert_eq!(kinds, vec![SectionKind::Profile, SectionKind::Categories]);
    let changes: Vec<Change> = adopt(&new)
        .into_iter()
        .enumerate()
        .map(|(i, section)| change(&format!("x{i}"), 1, ChangePayload::Settings { section }))
        .collect();
    assert_eq!(fold(&changes).settings, new);
}

/// The payload of one generated edit: a section or an article.
fn arb_payload() -> impl Strategy<Value = ChangePayload> {
    prop_oneof![
        proptest::collection::vec("[a-z]{1,6}", 0..3).prop_map(|v| ChangePayload::Settings {
            section: Section::Categories(v)
        }),
        "[a-z]{1,8}".prop_map(|name| ChangePayload::Settings {
            section: Section::Profile(Profile {
                name,
                locales: vec!["es".into()],
                ..Profile::default()
            })
        }),
        (0..3u32, 1..4u32, "[a-z]{1,8}", any::<bool>()).prop_map(|(id, v, t, p)| {
            ChangePayload::Article {
                article: article(&format!("k{id}"), v, &t, p),
            }
        }),
    ]
}

fn arb_changes() -> impl Strategy<Value = Vec<Change>> {
    proptest::collection::vec((arb_payload(), 0..50i64, "[ab]", 0..3u32), 1..12).prop_map(|items| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, (payload, wall, node, counter))| Change {
                id: EventId(format!("e{i}")),
                hlc: Hlc {
                    wall_ms: wall,
                    counter,
                    node: NodeId(node),
                },
                actor: Actor::Agent(AgentId("ana".into())),
                payload,
            })
            .collect()
    })
}

/// Settings with a secret in every staff-only place, and public values elsewhere.
fn arb_settings() -> impl Strategy<Value = (Settings, String)> {
    (
        "[a-z]{4,10}",
        "[a-z]{1,8}",
        proptest::collection::vec("[a-z]{1,6}", 0..4),
    )
        .prop_map(|(secret, public, cats)| {
            let secret = format!("SECRET{secret}");
            let mut s = Settings::default();
            s.profile.name = format!("Shop {public}");
            s.categories = cats;
            s.domain.custom_fields = vec![
                FieldDef {
                    key: "visible".into(),
                    label: "Order number".into(),
                    kind: FieldKind::Text,
                    choices: Vec::new(),
                    required: true,
                    agent_only: false,
                },
                FieldDef {
                    key: format!("x{}", secret.to_lowercase()),
                    label: secret.clone(),
                    kind: FieldKind::Choice,
                    choices: vec![secret.clone()],
                    required: false,
                    agent_only: true,
                },
            ];
            s.agents = vec![Agent {
                id: AgentId(secret.clone()),
                name: secret.clone(),
                email: format!("{secret}@example.com"),
                skills: vec![secret.clone()],
                languages: Vec::new(),
                levels: Vec::new(),
                teams: vec![TeamId(secret.clone())],
                capacity: 3,
                availability: Default::default(),
                role: Default::default(),
            }];
            s.teams = vec![Team {
                id: TeamId(secret.clone()),
                name: secret.clone(),
                members: vec![AgentId(secret.clone())],
            }];
            s.canned_responses = vec![CannedResponse {
                id: secret.clone(),
                title: secret.clone(),
                body: secret.clone(),
            }];
            s.sla.calendars.push(BusinessCalendar::always_open(
                secret.clone(),
                secret.clone(),
            ));
            s.assignment.fallback_team = Some(TeamId(secret.clone()));
            (s, secret)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any arrival order, with duplicates, folds to the same workspace.
    #[test]
    fn concurrent_edits_converge_in_any_arrival_order(
        changes in arb_changes(),
        seed in any::<u64>(),
    ) {
        let reference = fold(&changes);
        let mut shuffled: Vec<&Change> = changes.iter().chain(changes.iter().take(2)).collect();
        // A deterministic shuffle from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let j = usize::try_from(x % (i as u64 + 1)).unwrap_or(0);
            shuffled.swap(i, j);
        }
        prop_assert_eq!(fold(shuffled), reference);
    }

    /// The public projection, of settings or of any change, carries no staff-only value.
    #[test]
    fn the_public_projection_never_contains_a_non_public_value((settings, secret) in arb_settings()) {
        let public = public_settings(&settings);
        let json = serde_json::to_string(&public).unwrap();
        prop_assert!(!json.contains(&secret), "{json}");
        prop_assert_eq!(&public.profile, &settings.profile);
        prop_assert_eq!(&public.categories, &settings.categories);
        prop_assert!(public.domain.field("visible").is_some_and(|f| f.required));
        for kind in SectionKind::ALL {
            let c = change("a", 1, ChangePayload::Settings { section: Section::of(&settings, kind) });
            prop_assert_eq!(c.for_customer().is_some(), kind.is_public());
            if let Some(seen) = c.for_customer() {
                let json = serde_json::to_string(&seen).unwrap();
                prop_assert!(!json.contains(&secret), "{json}");
            }
        }
    }
}
