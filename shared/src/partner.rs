//! Partners: the sponsoring organisations.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Patch;
use crate::auth::UserRef;
use crate::validate::{Check, Issue, Issues, has_control_character};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PartnerStatus {
    #[default]
    Prospect,
    Active,
    Lapsed,
}

impl PartnerStatus {
    pub const ALL: [PartnerStatus; 3] = [
        PartnerStatus::Prospect,
        PartnerStatus::Active,
        PartnerStatus::Lapsed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PartnerStatus::Prospect => "prospect",
            PartnerStatus::Active => "active",
            PartnerStatus::Lapsed => "lapsed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The names on the wire, for messages and the OpenAPI document.
    pub const NAMES: &'static [&'static str] = &["prospect", "active", "lapsed"];
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partner {
    pub id: Uuid,
    pub name: String,
    pub name_zh: Option<String>,
    pub sector: Option<String>,
    pub website: Option<String>,
    pub status: PartnerStatus,
    pub owner: Option<UserRef>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    /// Send back with a PATCH; a PATCH carrying an older version is refused with 409.
    pub version: i32,
    #[serde(with = "crate::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::timestamp")]
    pub updated_at: DateTime<Utc>,
}

pub const NAME_MAX: usize = 200;
pub const SECTOR_MAX: usize = 100;
pub const NOTES_MAX: usize = 10_000;
pub const TAG_MAX: usize = 40;
pub const TAGS_MAX: usize = 20;

/// A new partner, or a partner's full editable state (a PATCH is merged into this first). Read
/// leniently: `status` is text, so a wrong one is named by [`NewPartner::validate`] beside every
/// other field's issue, in the reader's language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPartner {
    // Defaults to empty when absent, so the validator names it with the rest.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, required = true)
    )]
    pub name: String,
    #[serde(default)]
    pub name_zh: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    /// `prospect` when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<PartnerStatus>))]
    pub status: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub owner_id: Option<Uuid>,
}

/// A partner's editable state, checked and normalised: trimmed, blanks dropped, tags
/// lower-cased and de-duplicated.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPartner {
    pub name: String,
    pub name_zh: Option<String>,
    pub sector: Option<String>,
    pub website: Option<String>,
    pub status: PartnerStatus,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub owner_id: Option<Uuid>,
}

impl NewPartner {
    /// Checks every field; the checked value, or every field's issue.
    pub fn validate(&self) -> Result<ValidPartner, Issues> {
        let mut check = Check::new();
        let name = check.required("name", &self.name, NAME_MAX);
        let name_zh = check.optional("name_zh", self.name_zh.as_deref(), NAME_MAX);
        let sector = check.optional("sector", self.sector.as_deref(), SECTOR_MAX);
        let website = check.optional_url("website", self.website.as_deref());
        let notes = check.optional("notes", self.notes.as_deref(), NOTES_MAX);
        let status = check.optional_choice(
            "status",
            self.status.as_deref(),
            PartnerStatus::parse,
            PartnerStatus::NAMES,
        );
        let tags = self
            .tags
            .as_ref()
            .map(|tags| normalise_tags(&mut check, tags));
        check.finish()?;
        Ok(ValidPartner {
            name,
            name_zh,
            sector,
            website,
            status: status.unwrap_or_default(),
            tags: tags.unwrap_or_default(),
            notes,
            owner_id: self.owner_id,
        })
    }
}

fn normalise_tags(check: &mut Check, tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() || out.contains(&tag) {
            continue;
        }
        if tag.chars().count() > TAG_MAX {
            check.fail("tags", Issue::TooLong { max: TAG_MAX });
        } else if has_control_character(&tag) {
            check.fail("tags", Issue::ControlCharacter);
        }
        out.push(tag);
    }
    if out.len() > TAGS_MAX {
        check.fail("tags", Issue::TooMany { max: TAGS_MAX });
    }
    out
}

/// Changes to a partner. Absent fields stay as they are; `null` clears an optional field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerPatch {
    /// The version this change was made against.
    pub version: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name_zh: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub sector: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub website: Patch<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<PartnerStatus>))]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub notes: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub owner_id: Patch<Uuid>,
}

impl PartnerPatch {
    /// The partner's editable state after this change, still to be validated.
    pub fn apply_to(&self, current: &Partner) -> NewPartner {
        NewPartner {
            name: self.name.clone().unwrap_or_else(|| current.name.clone()),
            name_zh: self.name_zh.apply_ref(current.name_zh.as_ref()),
            sector: self.sector.apply_ref(current.sector.as_ref()),
            website: self.website.apply_ref(current.website.as_ref()),
            status: Some(
                self.status
                    .clone()
                    .unwrap_or_else(|| current.status.as_str().to_owned()),
            ),
            tags: Some(self.tags.clone().unwrap_or_else(|| current.tags.clone())),
            notes: self.notes.apply_ref(current.notes.as_ref()),
            owner_id: self
                .owner_id
                .apply_ref(current.owner.as_ref().map(|owner| &owner.id)),
        }
    }
}

/// Query of `GET /api/v1/partners`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PartnerQuery {
    /// Matches English and Chinese names anywhere in the name, case-insensitively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<PartnerStatus>, inline))]
    pub status: Option<String>,
    /// A staff user's id, or `me`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// 1 to 200; 50 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<u64>, minimum = 1, maximum = 200))]
    pub limit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl From<&ValidPartner> for NewPartner {
    /// The checked value in its wire form, to send.
    fn from(valid: &ValidPartner) -> Self {
        NewPartner {
            name: valid.name.clone(),
            name_zh: valid.name_zh.clone(),
            sector: valid.sector.clone(),
            website: valid.website.clone(),
            status: Some(valid.status.as_str().to_owned()),
            tags: Some(valid.tags.clone()),
            notes: valid.notes.clone(),
            owner_id: valid.owner_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised() {
        let input = NewPartner {
            name: " Signify ".into(),
            tags: Some(vec![
                " Lighting ".into(),
                "lighting".into(),
                "".into(),
                "绿色建筑".into(),
            ]),
            ..Default::default()
        };
        let valid = input.validate().unwrap();
        assert_eq!(valid.name, "Signify");
        assert_eq!(
            valid.tags,
            vec!["lighting".to_string(), "绿色建筑".to_string()]
        );
        assert_eq!(valid.status, PartnerStatus::Prospect);
    }

    #[test]
    fn patch_distinguishes_absent_from_null() {
        let patch: PartnerPatch =
            serde_json::from_str(r#"{"version": 3, "name_zh": null}"#).unwrap();
        assert_eq!(patch.name_zh, Patch::Clear);
        assert_eq!(patch.sector, Patch::Absent);
    }

    #[test]
    fn a_wrong_status_is_named_with_the_other_issues() {
        let input = NewPartner {
            name: " ".into(),
            status: Some("asleep".into()),
            ..Default::default()
        };
        let issues = input.validate().unwrap_err();
        assert_eq!(issues.get("name"), Some(Issue::Required));
        assert_eq!(
            issues.get("status"),
            Some(Issue::NotOneOf {
                choices: PartnerStatus::NAMES
            })
        );
    }

    #[test]
    fn too_many_tags_are_refused() {
        let input = NewPartner {
            name: "X".into(),
            tags: Some((0..21).map(|i| format!("t{i}")).collect()),
            ..Default::default()
        };
        assert_eq!(
            input.validate().unwrap_err().get("tags"),
            Some(Issue::TooMany { max: 20 })
        );
    }
}
