//! Access and erasure requests: recorded as events, erasure redacts the fold on every device.

use super::*;
use crate::privacy::{PrivacyRequest, access_report, customer_tickets};

fn erase() -> Command {
    Command::Privacy {
        request: PrivacyRequest::Erasure,
    }
}

#[test]
fn erasure_redacts_personal_data_and_is_in_the_audit_history() {
    let (id, mut w) = World::with_open();
    w.at(1_000)
        .on(&id, reply("Hola Lucía, ¿tu DNI?"), &agent())
        .unwrap();
    w.at(2_000)
        .on(&id, reply("12345678Z"), &customer())
        .unwrap();
    w.at(3_000).on(&id, erase(), &agent()).unwrap();
    let t = w.ticket(&id);
    assert_eq!(t.requester.name, "");
    assert_eq!(t.requester.email, None);
    assert_eq!(t.requester.customer_id, None);
    assert_eq!(t.subject, t.code.to_string());
    assert_eq!(t.description, "");
    assert!(t.thread.iter().all(|m| m.body.is_empty()));
    assert_eq!(t.thread.len(), 2, "who wrote when stays for the KPIs");
    assert_eq!(t.erased_at, Some(at(3_000)));
    let trail = audit_trail(w.log.iter(), false);
    assert!(matches!(
        trail.last().unwrap().change,
        AuditChange::Privacy {
            request: PrivacyRequest::Erasure
        }
    ));
    // Erasing again changes nothing.
    assert_eq!(w.on(&id, erase(), &agent()).unwrap(), vec![]);
}

#[test]
fn erasure_folds_the_same_in_any_order_even_before_the_opening() {
    let (id, mut w) = World::with_open();
    w.at(1_000).on(&id, erase(), &agent()).unwrap();
    let forward = fold(w.log.iter()).unwrap();
    let mut reversed = w.log.clone();
    reversed.reverse();
    // Applying the erasure first (a sync gap) then the opening still ends redacted.
    let gap = reversed
        .iter()
        .fold(None, |t, e| Some(apply(t, e)))
        .unwrap();
    assert_eq!(gap.requester.name, "");
    assert_eq!(gap.description, "");
    assert_eq!(forward, fold(reversed.iter()).unwrap());
}

#[test]
fn only_agents_handle_privacy_requests_and_closed_or_merged_tickets_can_be_erased() {
    let (id, mut w) = World::with_open();
    let err = w.on(&id, erase(), &customer()).unwrap_err();
    assert!(matches!(
        err,
        DomainError::Forbidden {
            what: Permission::HandlePrivacy,
            ..
        }
    ));
    assert!(w.on(&id, erase(), &Actor::System).is_err());
    w.on(&id, Command::Resolve, &agent()).unwrap();
    w.on(&id, Command::Close, &agent()).unwrap();
    w.on(&id, erase(), &agent()).unwrap();
    assert!(w.ticket(&id).erased_at.is_some());
}

#[test]
fn access_is_recorded_without_changing_the_ticket_and_stays_with_staff() {
    let (id, mut w) = World::with_open();
    let before = w.ticket(&id);
    let events = w
        .on(
            &id,
            Command::Privacy {
                request: PrivacyRequest::Access,
            },
            &agent(),
        )
        .unwrap();
    assert!(!events[0].visible_to_customer());
    let after = w.ticket(&id);
    assert_eq!(after.requester, before.requester);
    assert_eq!(after.thread, before.thread);
    let settings = DomainSettings::default();
    let mine = customer_tickets([&after], "LUCIA@example.com ");
    assert_eq!(mine.len(), 1);
    assert_eq!(customer_tickets([&after], "c-1").len(), 1);
    assert!(customer_tickets([&after], "").is_empty());
    let json = access_report(&mine, &settings, at(5));
    assert!(json.contains("mostrador-customer-data"));
    assert!(json.contains("La factura no llega"));
}

#[test]
fn erased_tickets_no_longer_belong_to_anyone() {
    let (id, mut w) = World::with_open();
    w.on(&id, erase(), &agent()).unwrap();
    let t = w.ticket(&id);
    assert!(customer_tickets([&t], "lucia@example.com").is_empty());
}
