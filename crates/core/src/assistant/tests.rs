//! Flow validation on generated flows (every valid one accepted, every injected fault found at
//! its step), the hand-off's permissions, and outcome counting.

use chrono::DateTime;
use proptest::prelude::*;

use super::*;

fn t(s: &str) -> Texts {
    Texts::es_en_pt(s, s, s)
}

fn step(id: &str, kind: StepKind) -> Step {
    Step {
        id: id.to_owned(),
        kind,
    }
}

fn handoff(tags: &[&str]) -> StepKind {
    StepKind::HandOff(HandOff {
        text: t("Te pasamos con una persona"),
        ticket_type: TicketType::Incident,
        category: Some("Envíos".into()),
        urgency: Some(Urgency::High),
        impact: None,
        tags: tags.iter().map(|s| (*s).to_owned()).collect(),
    })
}

/// Order status: a question; one option answers and checks, the other hands off.
fn sample() -> Flow {
    Flow {
        id: "orders".into(),
        name: t("Mi pedido"),
        enabled: true,
        start: "ask".into(),
        steps: vec![
            step(
                "ask",
                StepKind::Question {
                    text: t("¿Qué pasa con tu pedido?"),
                    options: vec![
                        Choice {
                            label: t("¿Dónde está?"),
                            next: "where".into(),
                        },
                        Choice {
                            label: t("Llegó roto"),
                            next: "person".into(),
                        },
                    ],
                },
            ),
            step(
                "where",
                StepKind::Answer {
                    text: t("Sigue el enlace del correo de envío."),
                    next: Some("solved".into()),
                },
            ),
            step(
                "solved",
                StepKind::Check {
                    text: t("¿Te sirvió?"),
                    unsolved: "person".into(),
                },
            ),
            step("person", handoff(&["pedido", "asistente"])),
        ],
    }
}

fn categories() -> Vec<String> {
    vec!["Envíos".into(), "Facturación".into()]
}

fn kinds(problems: &[FlowProblem]) -> Vec<(Option<&str>, &Problem)> {
    problems
        .iter()
        .map(|p| (p.step.as_deref(), &p.problem))
        .collect()
}

#[test]
fn the_sample_flow_is_valid() {
    assert_eq!(sample().problems(Some(&categories())), vec![]);
}

#[test]
fn texts_fall_back_by_language_then_the_desk_order() {
    let mut x = Texts::one("en", "Hello");
    x.0.insert("pt".into(), "Olá".into());
    let desk = vec!["es".to_owned(), "pt".to_owned(), "en".to_owned()];
    assert_eq!(x.get("pt-BR", &desk), "Olá");
    assert_eq!(x.get("en", &desk), "Hello");
    assert_eq!(
        x.get("es", &desk),
        "Olá",
        "the desk's order after the language"
    );
    assert_eq!(Texts::default().get("es", &desk), "");
    assert!(Texts::one("es", "  ").is_blank());
}

#[test]
fn an_article_step_answers_in_the_visitors_language_when_it_can() {
    let step = StepKind::Article {
        article: ArticleId("reset-en".into()),
        translations: BTreeMap::from([
            ("es".into(), ArticleId("reset-es".into())),
            ("pt".into(), ArticleId("reset-pt".into())),
        ]),
        next: None,
    };
    let ids = |lang| -> Vec<&str> {
        step.articles_for(lang)
            .into_iter()
            .map(|a| a.0.as_str())
            .collect()
    };
    assert_eq!(ids("es"), ["reset-es", "reset-en"]);
    assert_eq!(
        ids("pt-BR"),
        ["reset-pt", "reset-en"],
        "by primary language"
    );
    assert_eq!(ids("en"), ["reset-en"]);
    assert_eq!(
        ids("de"),
        ["reset-en"],
        "no translation: the step's article"
    );
    assert!(handoff(&[]).articles_for("es").is_empty());
    // Written and read back without losing the translations; none are written when none exist.
    let json = serde_json::to_string(&step).unwrap();
    assert_eq!(serde_json::from_str::<StepKind>(&json).unwrap(), step);
    let plain = serde_json::json!({"article": {"article": "a", "next": null}});
    let read: StepKind = serde_json::from_value(plain.clone()).unwrap();
    assert_eq!(serde_json::to_value(&read).unwrap(), plain);
}

#[test]
fn each_fault_is_reported_at_its_step() {
    let cats = categories();
    // A link to a step that is not there.
    let mut f = sample();
    f.steps[2].kind = StepKind::Check {
        text: t("¿Te sirvió?"),
        unsolved: "nobody".into(),
    };
    let p = f.problems(Some(&cats));
    assert!(kinds(&p).contains(&(Some("solved"), &Problem::UnknownTarget("nobody".into()))));
    // The hand-off is then reached only from the question, still fine; a step nothing reaches:
    let mut f = sample();
    f.steps.push(step("orphan", handoff(&[])));
    assert_eq!(
        kinds(&f.problems(Some(&cats))),
        vec![(Some("orphan"), &Problem::Unreachable)]
    );
    // A loop: the answer leads back to the question.
    let mut f = sample();
    f.steps[1].kind = StepKind::Answer {
        text: t("Sigue el enlace."),
        next: Some("ask".into()),
    };
    let p = f.problems(Some(&cats));
    assert!(
        kinds(&p).contains(&(Some("where"), &Problem::Loop)),
        "{p:?}"
    );
    // A check after a question.
    let mut f = sample();
    if let StepKind::Question { options, .. } = &mut f.steps[0].kind {
        options[1].next = "solved".into();
    }
    let p = f.problems(Some(&cats));
    assert!(kinds(&p).contains(&(Some("solved"), &Problem::CheckWithoutAnswer)));
    // A category the desk does not have, a bad tag, a question without options, no text.
    let mut f = sample();
    f.steps[3].kind = StepKind::HandOff(HandOff {
        category: Some("Nada".into()),
        tags: vec!["two words".into()],
        ..match handoff(&[]) {
            StepKind::HandOff(h) => h,
            _ => unreachable!(),
        }
    });
    f.steps[0].kind = StepKind::Question {
        text: Texts::default(),
        options: vec![],
    };
    let p = f.problems(Some(&cats));
    for want in [
        (Some("person"), Problem::UnknownCategory("Nada".into())),
        (Some("person"), Problem::BadTag("two words".into())),
        (Some("ask"), Problem::NoOptions),
        (Some("ask"), Problem::NoText),
    ] {
        assert!(kinds(&p).contains(&(want.0, &want.1)), "{want:?} in {p:?}");
    }
    // An article for another language that names no article.
    let mut f = sample();
    f.steps[1].kind = StepKind::Article {
        article: ArticleId("kb-1".into()),
        translations: BTreeMap::from([("pt".into(), ArticleId(" ".into()))]),
        next: Some("solved".into()),
    };
    assert_eq!(
        kinds(&f.problems(Some(&cats))),
        vec![(Some("where"), &Problem::BlankTranslation)]
    );
    // Start and ids.
    let mut f = sample();
    f.start = "nowhere".into();
    f.steps.push(step("where", handoff(&[])));
    let p = f.problems(Some(&cats));
    assert!(kinds(&p).contains(&(None, &Problem::UnknownStart)));
    assert!(kinds(&p).contains(&(Some("where"), &Problem::DuplicateStep)));
    let desk = AssistantSettings {
        flows: vec![sample(), sample()],
    };
    assert!(
        desk.problems(Some(&cats))
            .iter()
            .any(|p| p.problem == Problem::DuplicateFlow)
    );
}

#[test]
fn a_handoff_grants_exactly_its_tags_and_priority() {
    let desk = AssistantSettings {
        flows: vec![sample()],
    };
    let r = HandOffRef {
        flow: "orders".into(),
        step: "person".into(),
    };
    let tags = |xs: &[&str]| xs.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let ok = desk.check_customer_opening(
        Some(&r),
        &tags(&["asistente", "pedido"]),
        None,
        Some(Urgency::High),
        false,
    );
    assert_eq!(ok, Ok(()));
    for (handoff, tags, impact, urgency, want) in [
        (None, tags(&["pedido"]), None, None, Permission::Tag),
        (
            Some(&r),
            tags(&["pedido", "vip"]),
            None,
            None,
            Permission::Tag,
        ),
        (Some(&r), tags(&["pedido"]), None, None, Permission::Tag),
        (
            Some(&r),
            tags(&["pedido", "asistente"]),
            Some(Impact::High),
            None,
            Permission::SetPriority,
        ),
        (
            Some(&r),
            tags(&["pedido", "asistente"]),
            None,
            Some(Urgency::Low),
            Permission::SetPriority,
        ),
    ] {
        assert_eq!(
            desk.check_customer_opening(handoff, &tags, impact, urgency, false),
            Err(want)
        );
    }
    // A step that is not a hand-off grants nothing.
    let not = HandOffRef {
        flow: "orders".into(),
        step: "where".into(),
    };
    assert_eq!(
        desk.check_customer_opening(
            Some(&not),
            &tags(&["pedido", "asistente"]),
            None,
            None,
            false
        ),
        Err(Permission::Tag)
    );
    // Customers' devices receive enabled flows only.
    let mut off = sample();
    off.id = "off".into();
    off.enabled = false;
    let both = AssistantSettings {
        flows: vec![sample(), off],
    };
    assert_eq!(both.for_customer().flows, vec![sample()]);
}

fn record(run: &str, step: &str, ms: i64, kind: RecordKind) -> Record {
    Record {
        run: run.into(),
        flow: "orders".into(),
        step: step.into(),
        at: DateTime::from_timestamp_millis(1_700_000_000_000 + ms).unwrap(),
        kind,
    }
}

#[test]
fn runs_are_counted_by_how_they_ended() {
    use RecordKind::*;
    let records = vec![
        // Solved after the answer.
        record("a", "ask", 0, Reached),
        record("a", "where", 1, Reached),
        record("a", "where", 2, Answered),
        record("a", "solved", 3, Reached),
        record("a", "solved", 4, Solved),
        // Left after the answer (records out of order).
        record("b", "where", 11, Answered),
        record("b", "ask", 9, Reached),
        record("b", "where", 10, Reached),
        // Handed off and sent the ticket.
        record("c", "ask", 20, Reached),
        record("c", "person", 21, Reached),
        record("c", "person", 22, HandedOff),
        record("c", "person", 23, TicketOpened),
        // Handed off, no ticket.
        record("d", "ask", 30, Reached),
        record("d", "person", 31, Reached),
        record("d", "person", 32, HandedOff),
        // Left at the question.
        record("e", "ask", 40, Reached),
        // A repeated record counts once.
        record("e", "ask", 41, Reached),
    ];
    let desk = AssistantSettings {
        flows: vec![sample()],
    };
    let s = &stats(&records, &desk)[0];
    assert_eq!(
        (
            s.started,
            s.solved,
            s.left_after_answer,
            s.handed_off,
            s.tickets,
            s.abandoned
        ),
        (5, 1, 1, 2, 1, 1)
    );
    assert_eq!(s.answered(), 2);
    assert_eq!(s.answer_rate(), Some(0.4));
    assert_eq!(
        s.steps["ask"],
        StepStats {
            reached: 5,
            solved: 0,
            handed_off: 0,
            left: 1
        }
    );
    assert_eq!(s.steps["where"].left, 1);
    assert_eq!(s.steps["solved"].solved, 1);
    assert_eq!(s.steps["person"].handed_off, 2);
    // A flow nobody used is listed with zeros; records of a removed flow come after.
    let mut other = sample();
    other.id = "returns".into();
    let desk = AssistantSettings {
        flows: vec![other, sample()],
    };
    let mut gone = record("z", "x", 0, Reached);
    gone.flow = "gone".into();
    let all = stats(&[records.clone(), vec![gone]].concat(), &desk);
    let ids: Vec<&str> = all.iter().map(|s| s.flow.as_str()).collect();
    assert_eq!(ids, ["returns", "orders", "gone"]);
    assert_eq!(all[0].started, 0);
}

#[test]
fn the_transcript_is_plain_text_one_turn_a_line() {
    let lines = vec![
        Line::Assistant("¿Qué pasa?".into()),
        Line::Visitor("Llegó roto".into()),
        Line::Assistant("Uno\ndos".into()),
    ];
    assert_eq!(
        transcript(&lines, "— Asistente —", "Asistente", "Tú"),
        "— Asistente —\nAsistente: ¿Qué pasa?\nTú: Llegó roto\nAsistente: Uno\n  dos"
    );
}

/// A generated valid flow: a tree built in order (every step's parent comes before it), each
/// step's kind chosen to fit its number of children, plus extra options from questions to later
/// steps (so some steps have several parents).
fn valid_flow() -> impl Strategy<Value = Flow> {
    (2usize..24)
        .prop_flat_map(|n| {
            (
                Just(n),
                proptest::collection::vec(any::<prop::sample::Index>(), n),
                proptest::collection::vec(0u8..6, n),
                proptest::collection::vec(
                    (any::<prop::sample::Index>(), any::<prop::sample::Index>()),
                    0..6,
                ),
            )
        })
        .prop_map(|(n, parents, picks, extra)| build(n, &parents, &picks, &extra))
}

fn build(
    n: usize,
    parents: &[prop::sample::Index],
    picks: &[u8],
    extra: &[(prop::sample::Index, prop::sample::Index)],
) -> Flow {
    let id = |i: usize| format!("s{i}");
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (j, parent) in parents.iter().enumerate().take(n).skip(1) {
        let mut p = parent.index(j);
        while children[p].len() >= MAX_OPTIONS - 1 {
            p = (p + 1) % j;
        }
        children[p].push(j);
    }
    // Kinds, top-down: a step with one child is an answer (whose child may be a check), an
    // article, a form or a one-option question; more children make a question.
    let mut kinds: Vec<Option<StepKind>> = vec![None; n];
    let mut is_answer = vec![false; n];
    let mut parent_of = vec![usize::MAX; n];
    for (p, cs) in children.iter().enumerate() {
        for &c in cs {
            parent_of[c] = p;
        }
    }
    for i in 0..n {
        let cs = &children[i];
        let pick = picks[i];
        let parent_answers = parent_of[i] != usize::MAX
            && is_answer[parent_of[i]]
            && children[parent_of[i]].len() == 1;
        let kind = match cs.len() {
            0 => match pick % 3 {
                0 => StepKind::Answer {
                    text: t("fin"),
                    next: None,
                },
                1 => StepKind::Article {
                    article: ArticleId("kb-1".into()),
                    translations: BTreeMap::from([("pt".into(), ArticleId("kb-1-pt".into()))]),
                    next: None,
                },
                _ => handoff(&["asistente"]),
            },
            1 if parent_answers && pick.is_multiple_of(2) => StepKind::Check {
                text: t("¿Te sirvió?"),
                unsolved: id(cs[0]),
            },
            1 => match pick % 4 {
                0 => {
                    is_answer[i] = true;
                    StepKind::Answer {
                        text: t("respuesta"),
                        next: Some(id(cs[0])),
                    }
                }
                1 => {
                    is_answer[i] = true;
                    StepKind::Article {
                        article: ArticleId("kb-2".into()),
                        translations: BTreeMap::new(),
                        next: Some(id(cs[0])),
                    }
                }
                2 => StepKind::Form {
                    text: t("datos"),
                    fields: vec![FormField {
                        key: "order".into(),
                        label: t("Pedido"),
                        kind: FormFieldKind::Text,
                        required: true,
                    }],
                    next: id(cs[0]),
                },
                _ => question(cs.iter().map(|&c| id(c))),
            },
            _ => question(cs.iter().map(|&c| id(c))),
        };
        kinds[i] = Some(kind);
    }
    // Extra options: a question may also lead to any later step that is not a check.
    for (from, to) in extra {
        let a = from.index(n);
        if a + 1 >= n {
            continue;
        }
        let b = a + 1 + to.index(n - a - 1);
        let target_is_check = matches!(kinds[b], Some(StepKind::Check { .. }));
        if let Some(StepKind::Question { options, .. }) = &mut kinds[a]
            && !target_is_check
            && options.len() < MAX_OPTIONS
        {
            options.push(Choice {
                label: t("otra"),
                next: id(b),
            });
        }
    }
    Flow {
        id: "gen".into(),
        name: t("Generado"),
        enabled: true,
        start: id(0),
        steps: kinds
            .into_iter()
            .enumerate()
            .map(|(i, k)| step(&id(i), k.expect("every step has a kind")))
            .collect(),
    }
}

fn question(targets: impl Iterator<Item = String>) -> StepKind {
    StepKind::Question {
        text: t("¿Qué necesitas?"),
        options: targets
            .map(|next| Choice {
                label: t("opción"),
                next,
            })
            .collect(),
    }
}

proptest! {
    #[test]
    fn no_valid_flow_is_refused(f in valid_flow()) {
        prop_assert_eq!(f.problems(Some(&categories())), vec![]);
    }

    #[test]
    fn every_injected_fault_is_found(f in valid_flow(), at in any::<prop::sample::Index>(), fault in 0u8..5) {
        let mut f = f;
        let n = f.steps.len();
        let i = at.index(n);
        let sid = f.steps[i].id.clone();
        let (want_step, want) = match fault {
            // A dangling link from a new question put at the start.
            0 => {
                f.steps.push(step("q", question([f.start.clone(), "missing".to_owned()].into_iter())));
                f.start = "q".into();
                (Some("q".to_owned()), Problem::UnknownTarget("missing".into()))
            }
            // A step nothing leads to.
            1 => {
                f.steps.push(step("lonely", handoff(&[])));
                (Some("lonely".to_owned()), Problem::Unreachable)
            }
            // A way back to the start, from any step: it becomes a question that also offers
            // the start again.
            2 => {
                let mut targets: Vec<String> =
                    f.steps[i].targets().into_iter().map(str::to_owned).collect();
                targets.push(f.start.clone());
                f.steps[i].kind = question(targets.into_iter());
                (None, Problem::Loop)
            }
            // Two steps with one id.
            3 => {
                let copy = f.steps[i].clone();
                f.steps.push(copy);
                (Some(sid), Problem::DuplicateStep)
            }
            // A check right after a question.
            _ => {
                f.steps.push(step("chk", StepKind::Check { text: t("¿Sirvió?"), unsolved: "end".into() }));
                f.steps.push(step("end", handoff(&[])));
                f.steps.push(step("q", question([f.start.clone(), "chk".to_owned()].into_iter())));
                f.start = "q".into();
                (Some("chk".to_owned()), Problem::CheckWithoutAnswer)
            }
        };
        let problems = f.problems(Some(&categories()));
        let found = problems.iter().any(|p| {
            p.problem == want && (want_step.is_none() || p.step == want_step)
        });
        prop_assert!(found, "{:?} at {:?} not in {:?}", want, want_step, problems);
    }
}
