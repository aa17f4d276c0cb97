//! Core errors as messages a person can act on, in the interface language, and which form field
//! each belongs next to.

use mostrador_core::error::{DomainError, ValidationError as V};
use mostrador_core::store::StoreError;

use crate::i18n::{I18n, Key, Plural, status_key};
use crate::services::desk::UiError;

/// The messages of errors only the desk's code raises, for code that shows them before the desk
/// may be here: the customer portal's root and ticket form. In the customer widget (feature
/// `split`) their wording (every domain and storage error, with the dates and sizes in them)
/// is the desk module's, which makes it known as it loads ([`late::know`]); a storage or domain
/// error cannot exist before that. Elsewhere these are the plain functions.
pub mod late {
    use crate::i18n::I18n;
    use crate::services::attachments::BlobError;
    use crate::services::desk::UiError;

    #[cfg(all(feature = "split", not(feature = "console")))]
    use crate::i18n::Key;

    /// How the desk's errors are worded, once the desk's code is here.
    #[cfg(all(feature = "split", not(feature = "console")))]
    struct Wording {
        ui: fn(I18n, &UiError) -> String,
        blob: fn(I18n, &BlobError) -> String,
    }

    #[cfg(all(feature = "split", not(feature = "console")))]
    static WORDING: std::sync::OnceLock<Wording> = std::sync::OnceLock::new();

    /// Makes the desk's wording known (called by the desk's loading, in its module).
    pub(crate) fn know() {
        #[cfg(all(feature = "split", not(feature = "console")))]
        let _ = WORDING.set(Wording {
            ui: super::message,
            blob: crate::services::attachments::blob_message,
        });
    }

    /// [`message`](super::message), through the desk's wording when it is a module of its own.
    pub fn message(i: I18n, e: &UiError) -> String {
        #[cfg(all(feature = "split", not(feature = "console")))]
        return match (WORDING.get(), e) {
            (Some(w), e) => (w.ui)(i, e),
            // The desk's code (or the code that sends) could not be fetched.
            (None, UiError::Unloaded) => i.t(Key::ErrUnloaded).to_owned(),
            (None, _) => i.t(Key::ErrFailed).to_owned(),
        };
        #[cfg(not(all(feature = "split", not(feature = "console"))))]
        super::message(i, e)
    }

    /// [`blob_message`](crate::services::attachments::blob_message), the same way.
    pub fn blob_message(i: I18n, e: &BlobError) -> String {
        #[cfg(all(feature = "split", not(feature = "console")))]
        return match WORDING.get() {
            Some(w) => (w.blob)(i, e),
            None => i.t(Key::ErrFailed).to_owned(),
        };
        #[cfg(not(all(feature = "split", not(feature = "console"))))]
        crate::services::attachments::blob_message(i, e)
    }
}

/// The form field an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Subject,
    Name,
    Body,
    Email,
    Phone,
    Reason,
    Tag,
    Rating,
    Attachments,
    /// Not tied to one field: shown at the top of the form.
    General,
}

/// Where an error should be shown.
pub fn field_of(e: &UiError) -> Field {
    match e {
        UiError::Domain(DomainError::Invalid(v)) => match v {
            V::EmptySubject | V::SubjectTooLong { .. } => Field::Subject,
            V::EmptyBody | V::BodyTooLong { .. } => Field::Body,
            V::InvalidEmail(_) => Field::Email,
            V::InvalidPhone(_) => Field::Phone,
            V::InvalidTag(_) => Field::Tag,
            V::RatingOutOfRange(_) => Field::Rating,
            V::EmptyReason => Field::Reason,
            V::TooLong { what, .. } => match *what {
                "name" => Field::Name,
                "email address" => Field::Email,
                "phone number" => Field::Phone,
                "reason" => Field::Reason,
                "file name" | "file type" | "file key" => Field::Attachments,
                _ => Field::General,
            },
            V::AttachmentTooLarge { .. } | V::AttachmentIncomplete | V::AttachmentType { .. } => {
                Field::Attachments
            }
            _ => Field::General,
        },
        _ => Field::General,
    }
}

/// The error in the interface language (tracked). Every error a person can meet has its own
/// message; a detail is kept only where it is data (a file or field name, what the browser
/// reported), never a sentence in English.
pub fn message(i: I18n, e: &UiError) -> String {
    match e {
        UiError::Domain(d) => domain(i, d),
        UiError::Store(StoreError::QuotaExceeded) => i.t(Key::ErrQuota).to_owned(),
        UiError::Store(StoreError::Unavailable(_)) => i.t(Key::ErrUnavailable).to_owned(),
        UiError::Store(StoreError::Conflict(_)) => i.t(Key::ErrStoreConflict).to_owned(),
        UiError::Store(StoreError::Corrupt(d)) => i.tf(Key::ErrStoreCorrupt, &[("detail", d)]),
        UiError::Store(StoreError::Backend(d)) => i.tf(Key::ErrStorage, &[("detail", d)]),
        UiError::NotFound => i.t(Key::ErrNotFound).to_owned(),
        UiError::Unloaded => i.t(Key::ErrUnloaded).to_owned(),
        #[cfg(feature = "console")]
        UiError::Template(t) => template(i, t),
        #[cfg(feature = "console")]
        UiError::Kb(k) => kb(i, k),
        // Only the console edits templates and articles.
        #[cfg(not(feature = "console"))]
        UiError::Template(_) | UiError::Kb(_) => i.t(Key::ErrFailed).to_owned(),
    }
}

#[cfg(feature = "console")]
fn template(i: I18n, t: &mostrador_core::template::TemplateError) -> String {
    use mostrador_core::template::{PLACEHOLDERS, TemplateError as T};
    match t {
        T::UnknownPlaceholder { name, .. } => i.tf(
            Key::ErrTemplateUnknown,
            &[("name", name), ("known", &PLACEHOLDERS.join(", "))],
        ),
        T::Unclosed { at } => i.tf(Key::ErrTemplateUnclosed, &[("at", &at.to_string())]),
    }
}

#[cfg(feature = "console")]
fn kb(i: I18n, k: &mostrador_core::kb::KbError) -> String {
    use mostrador_core::kb::{ArticleError as A, KbError};
    match k {
        KbError::Invalid(A::EmptyId | A::EmptyTitle) => i.t(Key::ErrKbEmptyTitle).to_owned(),
        KbError::Invalid(A::TitleTooLong) => i.t(Key::ErrKbTitleTooLong).to_owned(),
        KbError::Invalid(A::InvalidSlug { slug, .. }) => i.tf(Key::ErrKbBadSlug, &[("slug", slug)]),
        KbError::Invalid(A::InvalidLocale(l)) => i.tf(Key::ErrKbBadLocale, &[("locale", l)]),
        KbError::Invalid(A::UpdatedBeforeCreated) | KbError::StaleVersion { .. } => {
            i.t(Key::ErrKbStale).to_owned()
        }
        KbError::DuplicateSlug { slug, locale, .. } => i.tf(
            Key::ErrKbDuplicateSlug,
            &[("slug", slug), ("locale", locale)],
        ),
    }
}

/// A problem with the settings in the interface language (tracked), for the console's editors.
#[cfg(feature = "console")]
pub fn settings_problem(i: I18n, p: &mostrador_core::config::SettingsProblem) -> String {
    use mostrador_core::assignment::{AssignmentSettingsError as A, RosterError as R};
    use mostrador_core::calendar::CalendarError as C;
    use mostrador_core::config::SettingsProblem as P;
    use mostrador_core::sla::SlaSettingsError as S;
    let k = |key| i.t(key).to_owned();
    let dup = |id: &dyn std::fmt::Display| i.tf(Key::ErrSetDuplicateId, &[("id", &id.to_string())]);
    let team =
        |team: &str, agent: &str| i.tf(Key::ErrSetMembership, &[("team", team), ("agent", agent)]);
    match p {
        P::EmptyName | P::Blank(_) => k(Key::ErrRequiredValue),
        P::NoLocale => k(Key::ErrNoLanguage),
        P::DuplicateCategory(_) | P::DuplicateTeam(_) => k(Key::ErrDuplicateName),
        P::NegativePeriod => k(Key::ErrWholeNumber),
        P::BadFieldKey(_) | P::DuplicateField(_) => k(Key::ErrFieldKey),
        P::NoChoices(_) => k(Key::ErrNoChoices),
        P::Assistant(_) => k(Key::BotFlowHasProblems),
        P::Sla(e) => match e {
            S::EmptyPolicyId { .. } => k(Key::ErrSetEmptyId),
            S::DuplicatePolicyId(x) => dup(x),
            S::DuplicateCalendarId(x) => dup(x),
            S::UnknownCalendar { .. } => k(Key::ErrRequiredValue),
            S::BadThreshold { .. } => k(Key::ErrSetThreshold),
            S::ZeroTarget { .. } => k(Key::ErrTargetZero),
            S::BlankSegment { .. } | S::BlankEscalationValue { .. } => k(Key::ErrRequiredValue),
            S::Unreachable { .. } => k(Key::ErrUnreachablePolicy),
            S::EscalationWithoutActions { .. } | S::EscalationWithoutTarget { .. } => {
                k(Key::ErrSetEscalation)
            }
            S::Calendar(c) => match c {
                C::EmptyId => k(Key::ErrSetEmptyId),
                C::UnknownTimeZone(_) => k(Key::ErrTimeZone),
                C::BadTimeOfDay(_)
                | C::RangeEndsBeforeStart { .. }
                | C::OverlappingRanges { .. } => k(Key::ErrRanges),
                C::NoOpenHours { .. } => k(Key::ErrNoOpenHours),
                C::AlwaysOnHoliday { .. } => k(Key::ErrSetAlwaysHoliday),
            },
        },
        P::Assignment(e) => match e {
            A::EmptyRuleId { .. } => k(Key::ErrSetEmptyId),
            A::DuplicateRuleId { rule } => dup(rule),
            A::EmptyRuleName { .. }
            | A::EmptyRequiredSkill { .. }
            | A::EmptyConditionValue { .. } => k(Key::ErrRequiredValue),
            A::UnknownRuleTeam { .. } | A::UnknownFallbackTeam { .. } => k(Key::ErrUnknownTeam),
        },
        P::Roster(e) => match e {
            R::DuplicateAgentId { agent } => dup(agent),
            R::DuplicateTeamId { team } => dup(team),
            R::UnknownMember { team: t, agent }
            | R::UnknownTeam { agent, team: t }
            | R::MembershipMismatch { team: t, agent } => team(t, agent),
        },
    }
}

fn domain(i: I18n, e: &DomainError) -> String {
    match e {
        DomainError::Invalid(v) => validation(i, v),
        DomainError::Illegal(ill) => {
            i.tf(Key::ErrIllegal, &[("status", i.t(status_key(ill.from)))])
        }
        DomainError::Forbidden { .. } => i.t(Key::ErrForbidden).to_owned(),
        DomainError::NotRequester => i.t(Key::ErrNotRequester).to_owned(),
        DomainError::Merged { code, into } => i.tf(
            Key::ErrMerged,
            &[("code", code.as_str()), ("into", into.as_str())],
        ),
        DomainError::MergeIntoSelf => i.t(Key::ErrMergeIntoSelf).to_owned(),
        DomainError::NothingToMerge => i.t(Key::ErrNothingToMerge).to_owned(),
        DomainError::NoTicket => i.t(Key::ErrNoTicket).to_owned(),
        DomainError::AlreadyOpened(code) => i.tf(Key::ErrAlreadyOpened, &[("code", code.as_str())]),
        DomainError::NotDue { due } => i.tf(Key::ErrNotDue, &[("due", &i.dt(*due))]),
    }
}

fn validation(i: I18n, v: &V) -> String {
    match v {
        V::EmptySubject => i.t(Key::ErrEmptySubject).to_owned(),
        V::SubjectTooLong { max } => i.tn(Plural::ErrSubjectTooLong, *max as u64, &[]),
        V::EmptyBody => i.t(Key::ErrEmptyBody).to_owned(),
        V::BodyTooLong { max } => i.tn(Plural::ErrBodyTooLong, *max as u64, &[]),
        V::InvalidEmail(x) => i.tf(Key::ErrInvalidEmail, &[("value", x)]),
        V::InvalidPhone(x) => i.tf(Key::ErrInvalidPhone, &[("value", x)]),
        V::InvalidTag(x) => i.tf(Key::ErrInvalidTag, &[("tag", x)]),
        V::RequiredField(x) => i.tf(Key::ErrRequiredField, &[("field", x)]),
        V::RatingOutOfRange(_) => i.t(Key::ErrRating).to_owned(),
        V::EmptyReason => i.t(Key::ErrEmptyReason).to_owned(),
        V::Context(_) => i.t(Key::ErrCustomerContext).to_owned(),
        V::PostponeInPast(_) => i.t(Key::ErrPostponeInPast).to_owned(),
        V::TooLong { max, .. } => i.tn(Plural::ErrTooLong, *max as u64, &[]),
        V::AttachmentTooLarge { name, size, max } => crate::services::attachments::blob_message(
            i,
            &crate::services::attachments::BlobError::TooLarge {
                name: name.clone(),
                size: *size,
                max: *max,
            },
        ),
        V::AttachmentType { name, mime } => crate::services::attachments::blob_message(
            i,
            &crate::services::attachments::BlobError::Type {
                name: name.clone(),
                mime: mime.clone(),
            },
        ),
        V::UnknownField(x) => i.tf(Key::ErrUnknownField, &[("field", x)]),
        V::FieldKind { key: x, .. } | V::NotAChoice { key: x, .. } => {
            i.tf(Key::ErrFieldValue, &[("field", x)])
        }
        V::AttachmentIncomplete => i.t(Key::ErrAttachmentIncomplete).to_owned(),
    }
}

/// A failed call to the sync server as a sentence for the page: ours in the interface language,
/// or the server's own words when it gave a reason.
pub fn failure_text(i: I18n, f: &mostrador_core::sync::Failure) -> String {
    use mostrador_core::sync::Failure;
    match f {
        Failure::Offline => i.t(Key::ServerUnreachable).to_owned(),
        Failure::RateLimited { .. } => i.t(Key::ServerBusy).to_owned(),
        Failure::Transient(m) | Failure::Unauthorized(m) | Failure::Fatal(m) => m.clone(),
    }
}
