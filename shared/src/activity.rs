//! Activities: logged contacts with a partner (call, meeting, email, WeChat, note), each with an
//! optional next step that is a task until marked done.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Patch;
use crate::auth::UserRef;
use crate::validate::{Check, Issue, Issues};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ActivityKind {
    Call,
    Meeting,
    Email,
    Wechat,
    Note,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 5] = [
        ActivityKind::Call,
        ActivityKind::Meeting,
        ActivityKind::Email,
        ActivityKind::Wechat,
        ActivityKind::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Email => "email",
            ActivityKind::Wechat => "wechat",
            ActivityKind::Note => "note",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// A contact named on an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactRef {
    pub id: Uuid,
    pub full_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub partner_name: String,
    pub kind: ActivityKind,
    #[serde(with = "crate::timestamp")]
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
    pub contacts: Vec<ContactRef>,
    pub author: Option<UserRef>,
    pub next_step: Option<String>,
    /// A calendar date in the programme's time zone.
    pub next_step_due: Option<NaiveDate>,
    #[serde(default, with = "crate::timestamp::option")]
    pub next_step_done_at: Option<DateTime<Utc>>,
    #[serde(with = "crate::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::timestamp")]
    pub updated_at: DateTime<Utc>,
}

pub const SUMMARY_MAX: usize = 5_000;
pub const NEXT_STEP_MAX: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewActivity {
    pub kind: ActivityKind,
    /// RFC 3339, any offset; stored in UTC.
    #[serde(with = "crate::timestamp")]
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
    #[serde(default)]
    pub contact_ids: Vec<Uuid>,
    #[serde(default)]
    pub next_step: Option<String>,
    #[serde(default)]
    pub next_step_due: Option<NaiveDate>,
}

impl NewActivity {
    /// `now` is passed in so the rule is testable and the browser can use its own clock.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<NewActivity, Issues> {
        let mut check = Check::new();
        let summary = check.required("summary", &self.summary, SUMMARY_MAX);
        let next_step = check.optional("next_step", self.next_step.as_deref(), NEXT_STEP_MAX);
        check_occurred_at(&mut check, self.occurred_at, now);
        if self.next_step_due.is_some() && next_step.is_none() {
            check.fail("next_step_due", Issue::DueWithoutNextStep);
        }
        let mut contact_ids = self.contact_ids.clone();
        contact_ids.sort();
        contact_ids.dedup();
        if contact_ids.len() > 50 {
            check.fail("contact_ids", Issue::TooMany { max: 50 });
        }
        check.finish()?;
        Ok(NewActivity {
            kind: self.kind,
            occurred_at: self.occurred_at,
            summary,
            contact_ids,
            next_step,
            next_step_due: self.next_step_due,
        })
    }
}

fn check_occurred_at(check: &mut Check, occurred_at: DateTime<Utc>, now: DateTime<Utc>) {
    if occurred_at > now + Duration::days(1) {
        check.fail("occurred_at", Issue::TooFarInFuture);
    } else if occurred_at.year() < 2000 {
        check.fail("occurred_at", Issue::TooLongAgo);
    }
}

/// Changes to an activity: mark its next step done (or open again), or edit it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step_done: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub next_step: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub next_step_due: Patch<NaiveDate>,
}

/// The validated result of applying an [`ActivityPatch`].
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityEdit {
    pub summary: String,
    pub next_step: Option<String>,
    pub next_step_due: Option<NaiveDate>,
    pub next_step_done_at: Option<DateTime<Utc>>,
}

impl ActivityPatch {
    pub fn apply_to(&self, current: &Activity, now: DateTime<Utc>) -> Result<ActivityEdit, Issues> {
        let mut check = Check::new();
        let summary = match &self.summary {
            Some(summary) => check.required("summary", summary, SUMMARY_MAX),
            None => current.summary.clone(),
        };
        let next_step = match &self.next_step {
            Patch::Set(step) => check.optional("next_step", Some(step), NEXT_STEP_MAX),
            Patch::Clear => None,
            Patch::Absent => current.next_step.clone(),
        };
        let next_step_due = self.next_step_due.apply_ref(current.next_step_due.as_ref());
        if next_step_due.is_some() && next_step.is_none() {
            check.fail("next_step_due", Issue::DueWithoutNextStep);
        }
        if self.next_step_done == Some(true) && next_step.is_none() {
            check.fail("next_step_done", Issue::Required);
        }
        let next_step_done_at = match self.next_step_done {
            Some(true) => current.next_step_done_at.or(Some(now)),
            Some(false) => None,
            None => current.next_step_done_at,
        };
        check.finish()?;
        Ok(ActivityEdit {
            summary,
            next_step,
            next_step_due,
            next_step_done_at,
        })
    }
}

/// Which open next steps `GET /api/v1/activities` returns, by due date in the viewer's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DueFilter {
    /// Due before today.
    Overdue,
    /// Due today.
    Today,
    /// Due from today through the next six days.
    Week,
}

impl DueFilter {
    /// The inclusive range of due dates this filter covers, given today's date.
    pub fn range(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match self {
            DueFilter::Overdue => (None, today.pred_opt()),
            DueFilter::Today => (Some(today), Some(today)),
            DueFilter::Week => (Some(today), Some(today + Duration::days(6))),
        }
    }
}

/// Query of `GET /api/v1/activities`: open next steps.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct NextStepQuery {
    /// Only next steps of activities the caller logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mine: Option<bool>,
    /// `overdue`, `today` or `week`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(inline))]
    pub due: Option<DueFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

/// Query of `GET /api/v1/partners/{id}/activities`: the timeline, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct TimelineQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn occurred_at_accepts_any_offset_and_stores_utc() {
        let input: NewActivity = serde_json::from_str(
            r#"{"kind":"call","occurred_at":"2026-11-29T09:30:00+08:00","summary":"Intro"}"#,
        )
        .unwrap();
        assert_eq!(input.occurred_at, at("2026-11-29T01:30:00Z"));
    }

    #[test]
    fn due_date_needs_a_next_step_and_time_must_be_plausible() {
        let now = at("2026-11-29T00:00:00Z");
        let input = NewActivity {
            kind: ActivityKind::Call,
            occurred_at: at("2026-12-05T00:00:00Z"),
            summary: "x".into(),
            contact_ids: vec![],
            next_step: Some("   ".into()),
            next_step_due: NaiveDate::from_ymd_opt(2026, 12, 1),
        };
        let issues = input.validate(now).unwrap_err();
        assert_eq!(issues.get("occurred_at"), Some(Issue::TooFarInFuture));
        assert_eq!(issues.get("next_step_due"), Some(Issue::DueWithoutNextStep));
    }

    #[test]
    fn due_filters_cover_the_right_days() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(
            DueFilter::Overdue.range(today),
            (None, NaiveDate::from_ymd_opt(2026, 11, 28))
        );
        assert_eq!(
            DueFilter::Week.range(today),
            (Some(today), NaiveDate::from_ymd_opt(2026, 12, 5))
        );
    }
}
