//! Staff identity: roles, sign-in, the current user and their preferences.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validate::{Check, Issue, Issues, has_control_character};

pub use crate::language::Language;
pub use crate::policy::Role;

/// The zones a user can pick. The same list filters the time-zone table compiled into the
/// server and the browser (`CHRONO_TZ_TIMEZONE_FILTER` in `.cargo/config.toml`).
pub const SUPPORTED_TIME_ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// The signed-in staff user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Language,
    pub time_zone: String,
}

impl Me {
    /// Whether this user may do `action`: the same rule the server enforces.
    pub fn can(&self, action: crate::policy::Action) -> bool {
        crate::policy::can(crate::policy::Principal::Staff(self.role), action)
    }
}

/// Preferences a user changes about themselves.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MePatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Language>))]
    pub locale: Option<String>,
    /// An IANA zone from the supported list (`Asia/Shanghai`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// [`MePatch`], checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMePatch {
    pub locale: Option<Language>,
    pub time_zone: Option<String>,
}

impl MePatch {
    pub fn validate(&self) -> Result<ValidMePatch, Issues> {
        let mut check = Check::new();
        let locale = check.optional_choice(
            "locale",
            self.locale.as_deref(),
            Language::parse,
            Language::NAMES,
        );
        if let Some(zone) = &self.time_zone
            && !SUPPORTED_TIME_ZONES.contains(&zone.as_str())
        {
            check.fail("time_zone", Issue::InvalidTimeZone);
        }
        check.finish()?;
        Ok(ValidMePatch {
            locale,
            time_zone: self.time_zone.clone(),
        })
    }
}

/// The shortest password a staff user may set.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest: argon2 hashes any length, and a megabyte of password only costs the server.
pub const MAX_PASSWORD_CHARS: usize = 1000;

/// Passwords people pick first, of the minimum length or longer; compared ignoring case.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Checks a new password: long enough, not too long, not blank, not one character repeated, not
/// one of the most common passwords.
pub fn check_new_password(check: &mut Check, field: &str, password: &str) {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        check.fail(
            field,
            Issue::TooShort {
                min: MIN_PASSWORD_CHARS,
            },
        );
    } else if length > MAX_PASSWORD_CHARS {
        check.fail(
            field,
            Issue::TooLong {
                max: MAX_PASSWORD_CHARS,
            },
        );
    } else if is_weak_password(password) {
        check.fail(field, Issue::WeakPassword);
    }
}

fn is_weak_password(password: &str) -> bool {
    let mut chars = password.chars();
    let first = chars.next();
    let one_repeated = chars.all(|c| Some(c) == first);
    let lower = password.to_lowercase();
    password.trim().is_empty()
        || one_repeated
        || COMMON_PASSWORDS.lines().any(|common| common == lower)
}

/// A sign-in, checked: both fields are required (the password is not trimmed).
impl LoginRequest {
    pub fn validate(&self) -> Result<(), Issues> {
        let mut check = Check::new();
        if self.email.trim().is_empty() {
            check.fail("email", Issue::Required);
        } else if has_control_character(&self.email) {
            check.fail("email", Issue::ControlCharacter);
        }
        if self.password.is_empty() {
            check.fail("password", Issue::Required);
        }
        check.finish()
    }
}

/// A staff user as others see them (owner pickers, authors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRef {
    pub id: Uuid,
    pub name: String,
}

#[cfg(test)]
mod password_tests {
    use super::*;

    fn issue(password: &str) -> Option<Issue> {
        let mut check = Check::new();
        check_new_password(&mut check, "password", password);
        check
            .finish()
            .err()
            .and_then(|issues| issues.get("password"))
    }

    #[test]
    fn blank_repeated_common_and_huge_passwords_are_refused() {
        assert_eq!(issue("          "), Some(Issue::WeakPassword));
        assert_eq!(issue("aaaaaaaaaaaa"), Some(Issue::WeakPassword));
        assert_eq!(issue("Password12"), Some(Issue::WeakPassword));
        assert_eq!(issue("1234567890"), Some(Issue::WeakPassword));
        assert_eq!(issue("short"), Some(Issue::TooShort { min: 10 }));
        assert_eq!(issue(&"x".repeat(1001)), Some(Issue::TooLong { max: 1000 }));
        assert_eq!(issue("harbour lantern 7"), None);
        assert_eq!(issue("绿色城市合作伙伴计划"), None);
    }
}
