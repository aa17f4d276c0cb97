//! Who is calling: customer tokens signed by the host site, anonymous device sessions, agents'
//! password logins and their bearer sessions.
//!
//! A host site's backend signs a customer token with the secret it shares with this server:
//!
//! ```text
//! token = "mc1." + expiry + "." + hex(HMAC-SHA256(secret, "mc1." + expiry + "." + user_id)) + "." + user_id
//! ```
//!
//! `expiry` is Unix seconds; `user_id` is 1 to 128 characters of `A-Z a-z 0-9 . _ @ : -` and must
//! not start with `anon-` (that prefix is the server's anonymous ids). A token may be valid for at
//! most [`MAX_CUSTOMER_TOKEN_S`] from now; longer-lived ones are refused.
//!
//! To vouch for a few attributes of the customer as well (plan, customer since, order numbers, a
//! link to the CRM record: [`CustomerContext`]), the backend signs an `mc2.` token, which carries
//! them as base64url (no padding) of a JSON object:
//!
//! ```text
//! context = base64url({"plan":"Pro","customer_since":"2021-03-04","orders":["A-1002"],"crm_url":"https://crm.example/c/42"})
//! token = "mc2." + expiry + "." + context + "." + hex(HMAC-SHA256(secret, "mc2." + expiry + "." + context + "." + user_id)) + "." + user_id
//! ```
//!
//! The tickets the customer opens may then carry that context (and no other), so agents see it
//! and assignment rules route on it.

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use hmac::{Hmac, Mac};
use mostrador_core::customer::CustomerContext;
use mostrador_core::model::CustomerId;
use mostrador_core::sync::Principal;
use sha2::{Digest, Sha256};

use crate::error::ServerError;

type HmacSha256 = Hmac<Sha256>;

const CUSTOMER_PREFIX: &str = "mc1.";
const CONTEXT_PREFIX: &str = "mc2.";
pub const ANON_PREFIX: &str = "anon-";
/// The longest a signed customer token may still be valid (30 days).
pub const MAX_CUSTOMER_TOKEN_S: i64 = 30 * 24 * 3600;
/// Agents' passwords have at least this many characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Signs a customer token (what a host backend does; here for tests and Rust hosts).
pub fn sign_customer_token(secret: &[u8], user_id: &str, expires_unix_s: i64) -> String {
    let signed = format!("{CUSTOMER_PREFIX}{expires_unix_s}.{user_id}");
    format!(
        "{CUSTOMER_PREFIX}{expires_unix_s}.{}.{user_id}",
        hex(&mac(secret, &signed))
    )
}

/// Signs a customer token that also vouches for `context` (the `mc2.` form).
pub fn sign_customer_token_with_context(
    secret: &[u8],
    user_id: &str,
    context: &CustomerContext,
    expires_unix_s: i64,
) -> String {
    let part = context.to_token_part();
    let signed = format!("{CONTEXT_PREFIX}{expires_unix_s}.{part}.{user_id}");
    format!(
        "{CONTEXT_PREFIX}{expires_unix_s}.{part}.{}.{user_id}",
        hex(&mac(secret, &signed))
    )
}

fn mac(secret: &[u8], data: &str) -> Vec<u8> {
    // HMAC accepts keys of any length; this cannot fail.
    let mut m = <HmacSha256 as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    m.update(data.as_bytes());
    m.finalize().into_bytes().to_vec()
}

pub fn valid_user_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._@:-".contains(&b))
}

/// Verifies a host-signed customer token (`mc1.` or `mc2.`); `None` if `token` is not one at all.
pub fn verify_customer_token(
    secret: Option<&[u8]>,
    token: &str,
    now_unix_s: i64,
) -> Option<Result<Principal, ServerError>> {
    let (prefix, rest, with_context) = if let Some(rest) = token.strip_prefix(CUSTOMER_PREFIX) {
        (CUSTOMER_PREFIX, rest, false)
    } else {
        (CONTEXT_PREFIX, token.strip_prefix(CONTEXT_PREFIX)?, true)
    };
    Some(verify_parts(secret, prefix, rest, with_context, now_unix_s))
}

fn verify_parts(
    secret: Option<&[u8]>,
    prefix: &str,
    rest: &str,
    with_context: bool,
    now_unix_s: i64,
) -> Result<Principal, ServerError> {
    let bad = |m: &str| Err(ServerError::Unauthorized(m.to_owned()));
    let Some(secret) = secret else {
        return bad(
            "this server accepts no signed customer tokens (no customer secret configured)",
        );
    };
    let mut parts = rest.splitn(if with_context { 4 } else { 3 }, '.');
    let exp = parts.next().unwrap_or_default();
    let context = if with_context { parts.next() } else { Some("") };
    let (Some(context), Some(sig), Some(user)) = (context, parts.next(), parts.next()) else {
        return bad(if with_context {
            "the customer token is not of the form mc2.EXPIRY.CONTEXT.SIGNATURE.USER_ID"
        } else {
            "the customer token is not of the form mc1.EXPIRY.SIGNATURE.USER_ID"
        });
    };
    let Ok(exp_s) = exp.parse::<i64>() else {
        return bad("the customer token's expiry is not a number of seconds");
    };
    if !valid_user_id(user) || user.starts_with(ANON_PREFIX) {
        return bad("the customer token's user id has characters other than A-Z a-z 0-9 . _ @ : -");
    }
    let Some(sig) = unhex(sig) else {
        return bad("the customer token's signature is not hex");
    };
    let signed = if with_context {
        format!("{prefix}{exp}.{context}.{user}")
    } else {
        format!("{prefix}{exp}.{user}")
    };
    let mut m = <HmacSha256 as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    m.update(signed.as_bytes());
    if m.verify_slice(&sig).is_err() {
        return bad("the customer token's signature does not match; check the shared secret");
    }
    if exp_s <= now_unix_s {
        return bad("the customer token has expired; get a new one from the site");
    }
    if exp_s.saturating_sub(now_unix_s) > MAX_CUSTOMER_TOKEN_S {
        return bad("the customer token is valid for more than 30 days; sign shorter-lived ones");
    }
    let context = if with_context {
        let c = CustomerContext::from_token_part(context)
            .map_err(|e| ServerError::Unauthorized(format!("the customer token's context: {e}")))?;
        Some(c).filter(|c| !c.is_empty())
    } else {
        None
    };
    Ok(Principal::Customer {
        id: CustomerId(user.to_owned()),
        context,
    })
}

/// A fresh opaque bearer token.
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    format!("mt_{}", hex(&b))
}

/// A fresh anonymous customer id.
pub fn new_anonymous_id() -> String {
    let mut b = [0u8; 12];
    OsRng.fill_bytes(&mut b);
    format!("{ANON_PREFIX}{}", hex(&b))
}

/// Sessions are stored by hash, so a leaked database does not leak usable tokens.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::Internal(format!("cannot hash a password: {e}")))
}

/// A hash of a password nobody knows, verified for unknown agents so that a login takes as long
/// whether the agent exists or not.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut b = [0u8; 32];
        OsRng.fill_bytes(&mut b);
        hash_password(&hex(&b)).unwrap_or_default()
    })
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_tokens_verify_only_with_the_secret_and_before_expiry() {
        let t = sign_customer_token(b"s3cret", "user-42@site", 2_000);
        let ok = verify_customer_token(Some(b"s3cret"), &t, 1_000)
            .unwrap()
            .unwrap();
        assert_eq!(ok, Principal::customer("user-42@site"));
        assert!(
            verify_customer_token(Some(b"other"), &t, 1_000)
                .unwrap()
                .is_err()
        );
        assert!(
            verify_customer_token(Some(b"s3cret"), &t, 2_000)
                .unwrap()
                .is_err()
        );
        assert!(verify_customer_token(None, &t, 1_000).unwrap().is_err());
        let forged = t.replace("user-42@site", "user-43@site");
        assert!(
            verify_customer_token(Some(b"s3cret"), &forged, 1_000)
                .unwrap()
                .is_err()
        );
        let anon = sign_customer_token(b"s3cret", "anon-x", 2_000);
        assert!(
            verify_customer_token(Some(b"s3cret"), &anon, 1_000)
                .unwrap()
                .is_err()
        );
        assert!(verify_customer_token(Some(b"s3cret"), "mt_abc", 1_000).is_none());
        let forever = sign_customer_token(b"s3cret", "user-42@site", i64::MAX);
        assert!(
            verify_customer_token(Some(b"s3cret"), &forever, 1_000)
                .unwrap()
                .is_err()
        );
        assert!(
            verify_customer_token(Some(b"s3cret"), "mc1.x", 1_000)
                .unwrap()
                .is_err()
        );
        assert!(
            verify_customer_token(Some(b"s3cret"), "mc2.x.y", 1_000)
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn context_tokens_sign_the_context_too() {
        let context = CustomerContext {
            plan: Some("Enterprise".into()),
            orders: vec!["A-1002".into()],
            crm_url: Some("https://crm.example/c/42".into()),
            ..Default::default()
        };
        let t = sign_customer_token_with_context(b"s3cret", "user.42", &context, 2_000);
        assert!(t.starts_with("mc2.2000."));
        let p = verify_customer_token(Some(b"s3cret"), &t, 1_000)
            .unwrap()
            .unwrap();
        assert_eq!(
            p,
            Principal::Customer {
                id: CustomerId("user.42".into()),
                context: Some(context.clone()),
            }
        );
        // A better plan in the same token breaks the signature.
        let better = CustomerContext {
            plan: Some("Platinum".into()),
            ..context.clone()
        };
        let forged = t.replace(&context.to_token_part(), &better.to_token_part());
        let err = verify_customer_token(Some(b"s3cret"), &forged, 1_000)
            .unwrap()
            .unwrap_err();
        assert!(err.to_string().contains("signature"), "{err}");
        // A signed but invalid context says what is wrong with it.
        let js = CustomerContext {
            crm_url: Some("javascript:alert(1)".into()),
            ..Default::default()
        };
        let err = verify_customer_token(
            Some(b"s3cret"),
            &sign_customer_token_with_context(b"s3cret", "u", &js, 2_000),
            1_000,
        )
        .unwrap()
        .unwrap_err();
        assert!(err.to_string().contains("crm_url"), "{err}");
        // An empty context is no context.
        let empty = sign_customer_token_with_context(b"s3cret", "u", &Default::default(), 2_000);
        assert_eq!(
            verify_customer_token(Some(b"s3cret"), &empty, 1_000)
                .unwrap()
                .unwrap(),
            Principal::customer("u")
        );
    }
}
