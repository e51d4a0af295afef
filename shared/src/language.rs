//! The languages Liaison speaks.

use serde::{Deserialize, Serialize};

/// A language: a contact's preferred one, and the language a staff user reads the UI in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::ZhCn => "zh-CN",
        }
    }

    /// The names on the wire (BCP 47 tags).
    pub const NAMES: &'static [&'static str] = &["en", "zh-CN"];

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "en" => Some(Language::En),
            "zh-CN" => Some(Language::ZhCn),
            _ => None,
        }
    }
}
