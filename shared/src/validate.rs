//! Field rules. Each rule yields an [`Issue`] rather than a string, so the server can answer in
//! English and the browser can show the same issue in the user's language beside the field.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::FieldErrors;
use crate::language::Language;

/// Why a field's value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issue {
    Required,
    TooLong {
        max: usize,
    },
    TooMany {
        max: usize,
    },
    InvalidEmail,
    InvalidUrl,
    InvalidPhone,
    InvalidWechat,
    InvalidTimeZone,
    TooFarInFuture,
    TooLongAgo,
    DueWithoutNextStep,
    NotThisPartnersContact,
    UnknownUser,
    /// Another partner has this name (in any case).
    DuplicatePartnerName,
    /// Another contact of the same partner has this email address.
    DuplicateContactEmail,
    /// Another contact of the partner became primary at the same moment.
    PrimaryContactTaken,
    /// A password that is blank, one character repeated, or among the most common.
    WeakPassword,
    /// Another staff user has this email address.
    DuplicateUserEmail,
    /// A number outside `min..=max` (a page size).
    OutOfRange {
        min: u64,
        max: u64,
    },
    /// A page cursor this API did not give out.
    InvalidCursor,
    /// Neither a staff user's id nor `me`.
    InvalidOwner,
    /// A password shorter than the minimum.
    TooShort {
        min: usize,
    },
    /// Not one of the names a field takes (an enum sent as text).
    NotOneOf {
        choices: &'static [&'static str],
    },
    /// Not an RFC 3339 date and time.
    InvalidDateTime,
    /// Not a calendar date, `YYYY-MM-DD`.
    InvalidDate,
    /// Not a whole number.
    InvalidNumber,
    /// Not `true` or `false`.
    InvalidBool,
    /// Not a record id (a UUID).
    InvalidId,
    /// Holds a control character (a NUL, a tab, a line break).
    ControlCharacter,
}

impl Issue {
    pub fn message_en(self) -> String {
        match self {
            Issue::Required => "is required".into(),
            Issue::TooLong { max } => format!("must be at most {max} characters"),
            Issue::TooMany { max } => format!("must have at most {max} entries"),
            Issue::InvalidEmail => "is not a valid email address".into(),
            Issue::InvalidUrl => "must be a web address starting with http:// or https://".into(),
            Issue::InvalidPhone => "must be a phone number (digits, spaces, + - ( ))".into(),
            Issue::InvalidWechat => "must be a WeChat ID without spaces".into(),
            Issue::InvalidTimeZone => "is not a known time zone".into(),
            Issue::TooFarInFuture => "cannot be more than a day in the future".into(),
            Issue::TooLongAgo => "cannot be before the year 2000".into(),
            Issue::DueWithoutNextStep => "needs a next step to be due".into(),
            Issue::NotThisPartnersContact => "must name contacts of this partner".into(),
            Issue::UnknownUser => "is not a staff user".into(),
            Issue::DuplicatePartnerName => "is already the name of another partner".into(),
            Issue::DuplicateContactEmail => {
                "is already the address of another contact of this partner".into()
            }
            Issue::PrimaryContactTaken => {
                "another contact became primary at the same moment; reload and try again".into()
            }
            Issue::WeakPassword => "is too easy to guess; choose another".into(),
            Issue::DuplicateUserEmail => "is already the address of another user".into(),
            Issue::OutOfRange { min, max } => format!("must be from {min} to {max}"),
            Issue::InvalidCursor => "is not a cursor this API gave out".into(),
            Issue::InvalidOwner => "must be a user id or `me`".into(),
            Issue::TooShort { min } => format!("must be at least {min} characters"),
            Issue::NotOneOf { choices } => format!("must be one of: {}", choices.join(", ")),
            Issue::InvalidDateTime => {
                "must be a date and time such as 2026-12-04T09:30:00+08:00".into()
            }
            Issue::InvalidDate => "must be a date such as 2026-12-04".into(),
            Issue::InvalidNumber => "must be a whole number".into(),
            Issue::InvalidBool => "must be true or false".into(),
            Issue::InvalidId => "must be record ids (UUIDs)".into(),
            Issue::ControlCharacter => "must not contain control characters".into(),
        }
    }

    /// The message in `language`.
    pub fn message(self, language: Language) -> String {
        match language {
            Language::En => self.message_en(),
            Language::ZhCn => self.message_zh(),
        }
    }

    pub fn message_zh(self) -> String {
        match self {
            Issue::Required => "必填".into(),
            Issue::TooLong { max } => format!("最多 {max} 个字符"),
            Issue::TooMany { max } => format!("最多 {max} 项"),
            Issue::InvalidEmail => "不是有效的电子邮件地址".into(),
            Issue::InvalidUrl => "网址须以 http:// 或 https:// 开头".into(),
            Issue::InvalidPhone => "须为电话号码（数字、空格、+ - ( )）".into(),
            Issue::InvalidWechat => "微信号不能包含空格".into(),
            Issue::InvalidTimeZone => "不是有效的时区".into(),
            Issue::TooFarInFuture => "不能晚于明天".into(),
            Issue::TooLongAgo => "不能早于 2000 年".into(),
            Issue::DueWithoutNextStep => "设置截止日期前请先填写下一步".into(),
            Issue::NotThisPartnersContact => "只能选择该合作伙伴的联系人".into(),
            Issue::UnknownUser => "不是员工用户".into(),
            Issue::DuplicatePartnerName => "已有同名的合作伙伴".into(),
            Issue::DuplicateContactEmail => "该合作伙伴已有联系人使用此邮箱".into(),
            Issue::PrimaryContactTaken => "另一位联系人刚刚被设为主要联系人，请刷新后重试".into(),
            Issue::WeakPassword => "太容易被猜到，请换一个".into(),
            Issue::DuplicateUserEmail => "已有用户使用此邮箱".into(),
            Issue::OutOfRange { min, max } => format!("须在 {min} 到 {max} 之间"),
            Issue::InvalidCursor => "不是本接口给出的分页游标".into(),
            Issue::InvalidOwner => "须为用户 ID 或 `me`".into(),
            Issue::TooShort { min } => format!("至少 {min} 个字符"),
            Issue::NotOneOf { choices } => format!("须为以下之一：{}", choices.join("、")),
            Issue::InvalidDateTime => "须为日期和时间，例如 2026-12-04T09:30:00+08:00".into(),
            Issue::InvalidDate => "须为日期，例如 2026-12-04".into(),
            Issue::InvalidNumber => "须为整数".into(),
            Issue::InvalidBool => "须为 true 或 false".into(),
            Issue::InvalidId => "须为记录 ID（UUID）".into(),
            Issue::ControlCharacter => "不能包含控制字符".into(),
        }
    }
}

/// The issues of one input, by field name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Issues(pub BTreeMap<String, Issue>);

impl Issues {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<Issue> {
        self.0.get(field).copied()
    }

    pub fn to_field_errors(&self) -> FieldErrors {
        self.to_field_errors_in(Language::En)
    }

    /// Field name → message in `language`.
    pub fn to_field_errors_in(&self, language: Language) -> FieldErrors {
        self.0
            .iter()
            .map(|(field, issue)| (field.clone(), issue.message(language)))
            .collect()
    }

    /// One field's issue.
    pub fn one(field: &str, issue: Issue) -> Self {
        Self(BTreeMap::from([(field.to_owned(), issue)]))
    }
}

/// Whether `text` holds a control character other than a line break or a tab: NUL (which
/// PostgreSQL refuses in text, so the two databases would disagree), escape sequences, bells.
/// Nobody types one; they come from pasted binary or a probe.
pub fn has_control_character(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Collects issues while normalising values (trimming, dropping empty optional text).
#[derive(Debug, Default)]
pub struct Check {
    issues: Issues,
}

impl Check {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an issue; the first issue of a field wins, as it is the one to fix first.
    pub fn fail(&mut self, field: &str, issue: Issue) {
        self.issues.0.entry(field.to_owned()).or_insert(issue);
    }

    pub fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.fail(field, Issue::Required);
        } else if value.chars().count() > max {
            self.fail(field, Issue::TooLong { max });
        } else if has_control_character(value) {
            self.fail(field, Issue::ControlCharacter);
        }
        value.to_owned()
    }

    /// Trims; an empty or blank value becomes `None`.
    pub fn optional(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        if value.chars().count() > max {
            self.fail(field, Issue::TooLong { max });
        } else if has_control_character(value) {
            self.fail(field, Issue::ControlCharacter);
        }
        Some(value.to_owned())
    }

    pub fn optional_email(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = self.optional(field, value, 254)?;
        if !is_email(&value) {
            self.fail(field, Issue::InvalidEmail);
        }
        Some(value)
    }

    pub fn optional_url(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = self.optional(field, value, 500)?;
        if !is_web_url(&value) {
            self.fail(field, Issue::InvalidUrl);
        }
        Some(value)
    }

    pub fn optional_phone(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = self.optional(field, value, 40)?;
        let allowed = value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()./".contains(c));
        let digits = value.chars().filter(char::is_ascii_digit).count();
        if !allowed || digits < 5 {
            self.fail(field, Issue::InvalidPhone);
        }
        Some(value)
    }

    pub fn optional_wechat(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = self.optional(field, value, 64)?;
        if value.chars().any(char::is_whitespace) {
            self.fail(field, Issue::InvalidWechat);
        }
        Some(value)
    }

    /// One of an enum's names, read as text so that a wrong one is an issue of this field, not
    /// an unreadable body. `None` (and an issue) when it is not one of `choices`.
    pub fn choice<T>(
        &mut self,
        field: &str,
        value: &str,
        parse: fn(&str) -> Option<T>,
        choices: &'static [&'static str],
    ) -> Option<T> {
        let parsed = parse(value.trim());
        if parsed.is_none() {
            self.fail(field, Issue::NotOneOf { choices });
        }
        parsed
    }

    /// [`Check::choice`] for an optional field: absent or blank is `None` without an issue.
    pub fn optional_choice<T>(
        &mut self,
        field: &str,
        value: Option<&str>,
        parse: fn(&str) -> Option<T>,
        choices: &'static [&'static str],
    ) -> Option<T> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        self.choice(field, value, parse, choices)
    }

    /// An RFC 3339 date and time, any offset, as UTC.
    pub fn date_time(&mut self, field: &str, value: &str) -> Option<DateTime<Utc>> {
        let value = value.trim();
        if value.is_empty() {
            self.fail(field, Issue::Required);
            return None;
        }
        match DateTime::parse_from_rfc3339(value) {
            Ok(at) => Some(at.with_timezone(&Utc)),
            Err(_) => {
                self.fail(field, Issue::InvalidDateTime);
                None
            }
        }
    }

    /// An optional calendar date, `YYYY-MM-DD`.
    pub fn optional_date(&mut self, field: &str, value: Option<&str>) -> Option<NaiveDate> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                self.fail(field, Issue::InvalidDate);
                None
            }
        }
    }

    /// An optional whole number within `min..=max`.
    pub fn optional_number(
        &mut self,
        field: &str,
        value: Option<&str>,
        min: u64,
        max: u64,
    ) -> Option<u64> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        match value.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            Ok(_) => {
                self.fail(field, Issue::OutOfRange { min, max });
                None
            }
            Err(_) if value.starts_with('-') && value[1..].parse::<u64>().is_ok() => {
                self.fail(field, Issue::OutOfRange { min, max });
                None
            }
            Err(_) => {
                self.fail(field, Issue::InvalidNumber);
                None
            }
        }
    }

    /// An optional `true` or `false`.
    pub fn optional_bool(&mut self, field: &str, value: Option<&str>) -> Option<bool> {
        match value.map(str::trim).filter(|v| !v.is_empty())? {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.fail(field, Issue::InvalidBool);
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), Issues> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(self.issues)
        }
    }

    pub fn issues(&self) -> &Issues {
        &self.issues
    }
}

/// A pragmatic address check: one `@`, a non-empty local part, a dotted domain, no spaces.
/// Deliverability is for the mail server to judge; this catches typing mistakes.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

pub fn is_web_url(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .unwrap_or_default();
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, _port)| h);
    host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        let mut check = Check::new();
        assert_eq!(check.required("name", "  Philips  ", 10), "Philips");
        check.required("title", "   ", 10);
        check.required("long", "abcdefghijk", 10);
        let issues = check.finish().unwrap_err();
        assert_eq!(issues.get("title"), Some(Issue::Required));
        assert_eq!(issues.get("long"), Some(Issue::TooLong { max: 10 }));
        assert_eq!(issues.get("name"), None);
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let mut check = Check::new();
        // Six Chinese characters are 18 bytes in UTF-8.
        check.required("name", "上海建工集团", 6);
        assert!(check.finish().is_ok());
    }

    #[test]
    fn emails_and_urls() {
        assert!(is_email("li.wei@example.com"));
        assert!(!is_email("li.wei@example"));
        assert!(!is_email("li wei@example.com"));
        assert!(!is_email("@example.com"));
        assert!(is_web_url("https://www.example.com/about"));
        assert!(is_web_url("http://example.org:8080"));
        assert!(!is_web_url("ftp://example.com"));
        assert!(!is_web_url("example.com"));
        assert!(!is_web_url("https://localhost"));
    }

    #[test]
    fn phone_and_wechat() {
        let mut check = Check::new();
        check.optional_phone("phone", Some("+86 21 1234-5678"));
        check.optional_phone("short", Some("12"));
        check.optional_phone("letters", Some("call me"));
        check.optional_wechat("wechat", Some("wxid_abc"));
        check.optional_wechat("spaced", Some("wx id"));
        let issues = check.finish().unwrap_err();
        assert_eq!(issues.get("phone"), None);
        assert_eq!(issues.get("short"), Some(Issue::InvalidPhone));
        assert_eq!(issues.get("letters"), Some(Issue::InvalidPhone));
        assert_eq!(issues.get("wechat"), None);
        assert_eq!(issues.get("spaced"), Some(Issue::InvalidWechat));
    }

    #[test]
    fn text_read_as_a_type_names_its_field_when_it_is_not_one() {
        let mut check = Check::new();
        let parse = |v: &str| (v == "call").then_some(1);
        assert_eq!(check.choice("kind", " call ", parse, &["call"]), Some(1));
        assert_eq!(check.choice("other", "fax", parse, &["call"]), None);
        assert!(check.date_time("at", "2026-12-04T09:30:00+08:00").is_some());
        assert_eq!(check.date_time("when", "yesterday"), None);
        assert_eq!(check.optional_date("due", Some("2026-02-30")), None);
        assert_eq!(check.optional_number("limit", Some("ten"), 1, 200), None);
        assert_eq!(check.optional_number("big", Some("201"), 1, 200), None);
        assert_eq!(check.optional_number("negative", Some("-1"), 1, 200), None);
        assert_eq!(check.optional_bool("mine", Some("maybe")), None);
        let issues = check.finish().unwrap_err();
        assert_eq!(issues.get("kind"), None);
        assert_eq!(
            issues.get("other"),
            Some(Issue::NotOneOf { choices: &["call"] })
        );
        assert_eq!(issues.get("when"), Some(Issue::InvalidDateTime));
        assert_eq!(issues.get("due"), Some(Issue::InvalidDate));
        assert_eq!(issues.get("limit"), Some(Issue::InvalidNumber));
        assert_eq!(
            issues.get("big"),
            Some(Issue::OutOfRange { min: 1, max: 200 })
        );
        assert_eq!(
            issues.get("negative"),
            Some(Issue::OutOfRange { min: 1, max: 200 })
        );
        assert_eq!(issues.get("mine"), Some(Issue::InvalidBool));
        assert_eq!(
            Issue::NotOneOf {
                choices: &["call", "note"]
            }
            .message_zh(),
            "须为以下之一：call、note"
        );
    }

    #[test]
    fn blank_optional_values_become_none() {
        let mut check = Check::new();
        assert_eq!(check.optional("notes", Some("   "), 10), None);
        assert_eq!(check.optional_email("email", Some("")), None);
        assert!(check.finish().is_ok());
    }
}
