//! Staff identity: roles, sign-in, the current user and their preferences.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validate::{Check, Issue, Issues};

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

/// A sign-in, checked: both fields are required (the password is not trimmed).
impl LoginRequest {
    pub fn validate(&self) -> Result<(), Issues> {
        let mut check = Check::new();
        if self.email.trim().is_empty() {
            check.fail("email", Issue::Required);
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
