//! Contacts: people at a partner.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Patch;
use crate::auth::Language;
use crate::validate::{Check, Issues};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub full_name: String,
    pub name_zh: Option<String>,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub wechat: Option<String>,
    pub language: Language,
    /// At most one contact per partner is primary; marking another moves the flag.
    pub is_primary: bool,
    pub version: i32,
    #[serde(with = "crate::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::timestamp")]
    pub updated_at: DateTime<Utc>,
}

/// A new contact, or a contact's full editable state (a PATCH is merged into this first).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewContact {
    // Defaults to empty when absent, so the validator names it with the rest.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, required = true)
    )]
    pub full_name: String,
    #[serde(default)]
    pub name_zh: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub wechat: Option<String>,
    /// `en` when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Language>))]
    pub language: Option<String>,
    #[serde(default)]
    pub is_primary: Option<bool>,
}

/// A contact's editable state, checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidContact {
    pub full_name: String,
    pub name_zh: Option<String>,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub wechat: Option<String>,
    pub language: Language,
    pub is_primary: bool,
}

impl NewContact {
    pub fn validate(&self) -> Result<ValidContact, Issues> {
        let mut check = Check::new();
        let full_name = check.required("full_name", &self.full_name, 200);
        let name_zh = check.optional("name_zh", self.name_zh.as_deref(), 200);
        let title = check.optional("title", self.title.as_deref(), 200);
        let email = check.optional_email("email", self.email.as_deref());
        let phone = check.optional_phone("phone", self.phone.as_deref());
        let wechat = check.optional_wechat("wechat", self.wechat.as_deref());
        let language = check.optional_choice(
            "language",
            self.language.as_deref(),
            Language::parse,
            Language::NAMES,
        );
        check.finish()?;
        Ok(ValidContact {
            full_name,
            name_zh,
            title,
            email,
            phone,
            wechat,
            language: language.unwrap_or_default(),
            is_primary: self.is_primary.unwrap_or(false),
        })
    }
}

/// Changes to a contact. Absent fields stay as they are; `null` clears an optional field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactPatch {
    pub version: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name_zh: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub title: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub wechat: Patch<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Language>))]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_primary: Option<bool>,
}

impl ContactPatch {
    pub fn apply_to(&self, current: &Contact) -> NewContact {
        NewContact {
            full_name: self
                .full_name
                .clone()
                .unwrap_or_else(|| current.full_name.clone()),
            name_zh: self.name_zh.apply_ref(current.name_zh.as_ref()),
            title: self.title.apply_ref(current.title.as_ref()),
            email: self.email.apply_ref(current.email.as_ref()),
            phone: self.phone.apply_ref(current.phone.as_ref()),
            wechat: self.wechat.apply_ref(current.wechat.as_ref()),
            language: Some(
                self.language
                    .clone()
                    .unwrap_or_else(|| current.language.as_str().to_owned()),
            ),
            is_primary: Some(self.is_primary.unwrap_or(current.is_primary)),
        }
    }
}

impl From<&ValidContact> for NewContact {
    /// The checked value in its wire form, to send.
    fn from(valid: &ValidContact) -> Self {
        NewContact {
            full_name: valid.full_name.clone(),
            name_zh: valid.name_zh.clone(),
            title: valid.title.clone(),
            email: valid.email.clone(),
            phone: valid.phone.clone(),
            wechat: valid.wechat.clone(),
            language: Some(valid.language.as_str().to_owned()),
            is_primary: Some(valid.is_primary),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Issue;

    #[test]
    fn language_uses_bcp47_tags_on_the_wire() {
        let contact: NewContact =
            serde_json::from_str(r#"{"full_name": "王芳", "language": "zh-CN"}"#).unwrap();
        assert_eq!(contact.validate().unwrap().language, Language::ZhCn);
        let wrong: NewContact =
            serde_json::from_str(r#"{"full_name": "x", "language": "zh"}"#).unwrap();
        assert_eq!(
            wrong.validate().unwrap_err().get("language"),
            Some(Issue::NotOneOf {
                choices: Language::NAMES
            })
        );
    }

    #[test]
    fn every_field_rule_names_its_field() {
        let input = NewContact {
            full_name: " ".into(),
            email: Some("not-an-email".into()),
            phone: Some("abc".into()),
            wechat: Some("has space".into()),
            ..Default::default()
        };
        let issues = input.validate().unwrap_err();
        assert_eq!(issues.get("full_name"), Some(Issue::Required));
        assert_eq!(issues.get("email"), Some(Issue::InvalidEmail));
        assert_eq!(issues.get("phone"), Some(Issue::InvalidPhone));
        assert_eq!(issues.get("wechat"), Some(Issue::InvalidWechat));
    }
}
