//! Human-readable ticket codes such as `KQD-48213-ZPT` (three letters, five digits, three letters).
//!
//! Codes are drawn from random bits, so any device can create tickets offline. There are
//! 22⁶·10⁵ ≈ 1.1·10¹³ codes: collisions are very unlikely but not impossible, so the code is a name
//! for people, never the key — [`crate::model::TicketId`] (128 random bits) is the key.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ctx::Ctx;

/// Letters people do not confuse with each other or with digits: no I, L, O or U.
pub const LETTERS: &[u8; 22] = b"ABCDEFGHJKMNPQRSTVWXYZ";

/// A ticket's code, stored in its canonical form with dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TicketCode(String);

/// Why a text is not a ticket code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{input}” is not a ticket code; codes look like KQD-48213-ZPT")]
pub struct InvalidCode {
    pub input: String,
}

impl TicketCode {
    /// A fresh random code.
    pub fn generate(ctx: &mut Ctx) -> TicketCode {
        let mut s = String::with_capacity(13);
        for i in 0..11 {
            if i == 3 || i == 8 {
                s.push('-');
            }
            let r = ctx.next_u64();
            // Modulo bias over 2⁶⁴ is below 10⁻¹⁷: irrelevant here.
            let c = if (3..8).contains(&i) {
                char::from(b'0' + (r % 10) as u8)
            } else {
                char::from(LETTERS[(r % LETTERS.len() as u64) as usize])
            };
            s.push(c);
        }
        TicketCode(s)
    }

    /// Reads a code typed by a person: case, spaces and dashes do not matter, and the look-alikes
    /// O→0 and I/L→1 are fixed in the digit part.
    pub fn parse(input: &str) -> Result<TicketCode, InvalidCode> {
        let err = || InvalidCode {
            input: input.to_owned(),
        };
        let chars: Vec<char> = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if chars.len() != 11 {
            return Err(err());
        }
        let mut s = String::with_capacity(13);
        for (i, c) in chars.into_iter().enumerate() {
            if i == 3 || i == 8 {
                s.push('-');
            }
            if (3..8).contains(&i) {
                let digit = match c {
                    'O' => '0',
                    'I' | 'L' => '1',
                    d if d.is_ascii_digit() => d,
                    _ => return Err(err()),
                };
                s.push(digit);
            } else if c.is_ascii() && LETTERS.contains(&(c as u8)) {
                s.push(c);
            } else {
                return Err(err());
            }
        }
        Ok(TicketCode(s))
    }

    /// Stands in for the code of a ticket whose opening event has not arrived yet.
    pub(crate) fn placeholder() -> TicketCode {
        TicketCode("AAA-00000-AAA".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TicketCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TicketCode {
    type Err = InvalidCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TicketCode::parse(s)
    }
}

impl TryFrom<String> for TicketCode {
    type Error = InvalidCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TicketCode::parse(&s)
    }
}

impl From<TicketCode> for String {
    fn from(c: TicketCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn ctx(node: &str, seed: u64) -> Ctx {
        Ctx::seeded(node, seed, chrono::DateTime::UNIX_EPOCH)
    }

    #[test]
    fn generated_codes_have_the_documented_shape() {
        let mut c = ctx("a", 1);
        for _ in 0..1000 {
            let code = TicketCode::generate(&mut c);
            let s = code.as_str().as_bytes();
            assert_eq!(s.len(), 13);
            assert_eq!((s[3], s[9]), (b'-', b'-'));
            assert!(s[..3].iter().chain(&s[10..]).all(|b| LETTERS.contains(b)));
            assert!(s[4..9].iter().all(u8::is_ascii_digit));
            assert_eq!(TicketCode::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn many_devices_drawing_many_codes_do_not_collide() {
        let mut seen = HashSet::new();
        for device in 0..20u64 {
            let mut c = ctx(
                &format!("d{device}"),
                device.wrapping_mul(0x5851_F42D_4C95_7F2D) ^ 99,
            );
            for _ in 0..5_000 {
                assert!(seen.insert(TicketCode::generate(&mut c)), "code collision");
            }
        }
        assert_eq!(seen.len(), 100_000);
    }

    #[test]
    fn parse_is_forgiving_about_case_dashes_and_look_alikes() {
        assert_eq!(
            TicketCode::parse(" kqd 4821o zpt").unwrap().as_str(),
            "KQD-48210-ZPT"
        );
        assert_eq!(
            TicketCode::parse("KQD-4I2L3-ZPT").unwrap().as_str(),
            "KQD-41213-ZPT"
        );
        for bad in [
            "",
            "KQD-48213-ZP",
            "KQO-48213-ZPT",
            "KQD-4821X-ZPT",
            "KQD-48213-ZPTT",
            "ÑQD-48213-ZPT",
        ] {
            assert!(TicketCode::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn serde_uses_the_canonical_string_and_validates() {
        let code = TicketCode::parse("kqd48213zpt").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"KQD-48213-ZPT\"");
        assert!(serde_json::from_str::<TicketCode>("\"nope\"").is_err());
    }
}
