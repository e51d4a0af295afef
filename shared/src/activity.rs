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

    /// The names on the wire.
    pub const NAMES: &'static [&'static str] = &["call", "meeting", "email", "wechat", "note"];
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

/// A contact to log. Read leniently: `kind` and the dates are text, so a wrong one is named by
/// [`NewActivity::validate`] beside every other field's issue, in the reader's language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewActivity {
    // Required fields default to empty when absent, so the validator names them with the rest.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = ActivityKind, required = true))]
    pub kind: String,
    /// RFC 3339, any offset; stored in UTC.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = DateTime, required = true))]
    pub occurred_at: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 5000, required = true)
    )]
    pub summary: String,
    /// Contacts of this partner the contact was with.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Uuid>, max_items = 50))]
    pub contact_ids: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub next_step: Option<String>,
    /// A calendar date, `YYYY-MM-DD`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub next_step_due: Option<String>,
}

/// A contact to log, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidActivity {
    pub kind: ActivityKind,
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
    /// Sorted, without repeats.
    pub contact_ids: Vec<Uuid>,
    pub next_step: Option<String>,
    pub next_step_due: Option<NaiveDate>,
}

impl NewActivity {
    /// `now` is passed in so the rule is testable and the browser can use its own clock.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidActivity, Issues> {
        let mut check = Check::new();
        let kind = check.choice("kind", &self.kind, ActivityKind::parse, ActivityKind::NAMES);
        let occurred_at = check.date_time("occurred_at", &self.occurred_at);
        let summary = check.required("summary", &self.summary, SUMMARY_MAX);
        let next_step = check.optional("next_step", self.next_step.as_deref(), NEXT_STEP_MAX);
        if let Some(at) = occurred_at {
            check_occurred_at(&mut check, at, now);
        }
        let next_step_due = check.optional_date("next_step_due", self.next_step_due.as_deref());
        if next_step_due.is_some() && next_step.is_none() {
            check.fail("next_step_due", Issue::DueWithoutNextStep);
        }
        let mut contact_ids: Vec<Uuid> = Vec::with_capacity(self.contact_ids.len());
        for id in &self.contact_ids {
            match id.trim().parse::<Uuid>() {
                Ok(id) => contact_ids.push(id),
                Err(_) => check.fail("contact_ids", Issue::InvalidId),
            }
        }
        contact_ids.sort();
        contact_ids.dedup();
        if contact_ids.len() > 50 {
            check.fail("contact_ids", Issue::TooMany { max: 50 });
        }
        check.finish()?;
        match (kind, occurred_at) {
            (Some(kind), Some(occurred_at)) => Ok(ValidActivity {
                kind,
                occurred_at,
                summary,
                contact_ids,
                next_step,
                next_step_due,
            }),
            // `finish` refused already: each failed parse recorded an issue.
            _ => Err(Issues::one("kind", Issue::Required)),
        }
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
    /// A calendar date, `YYYY-MM-DD`; `null` clears it.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub next_step_due: Patch<String>,
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
        let next_step_due = match &self.next_step_due {
            Patch::Set(due) => check.optional_date("next_step_due", Some(due)),
            Patch::Clear => None,
            Patch::Absent => current.next_step_due,
        };
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
    /// Due after today, through the sixth day from today.
    Week,
    /// Due a week from today or later.
    Later,
    /// With no due date.
    Undated,
}

impl DueFilter {
    pub const NAMES: &'static [&'static str] = &["overdue", "today", "week", "later", "none"];
    /// Every bucket, in the page's order: each open step is in exactly one.
    pub const ALL: [DueFilter; 5] = [
        DueFilter::Overdue,
        DueFilter::Today,
        DueFilter::Week,
        DueFilter::Later,
        DueFilter::Undated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DueFilter::Overdue => "overdue",
            DueFilter::Today => "today",
            DueFilter::Week => "week",
            DueFilter::Later => "later",
            DueFilter::Undated => "none",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|due| due.as_str() == value)
    }

    /// The inclusive range of due dates this filter covers, given today's date; `None` for
    /// [`DueFilter::Undated`], which covers steps with no date. The ranges do not overlap.
    pub fn range(self, today: NaiveDate) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
        match self {
            DueFilter::Overdue => Some((None, today.pred_opt())),
            DueFilter::Today => Some((Some(today), Some(today))),
            DueFilter::Week => Some((today.succ_opt(), Some(today + Duration::days(6)))),
            DueFilter::Later => Some((Some(today + Duration::days(7)), None)),
            DueFilter::Undated => None,
        }
    }

    /// Which bucket a step due on `due` (or undated) is in.
    pub fn of(due: Option<NaiveDate>, today: NaiveDate) -> DueFilter {
        match due {
            None => DueFilter::Undated,
            Some(day) if day < today => DueFilter::Overdue,
            Some(day) if day == today => DueFilter::Today,
            Some(day) if day <= today + Duration::days(6) => DueFilter::Week,
            Some(_) => DueFilter::Later,
        }
    }
}

/// Query of `GET /api/v1/activities`: open next steps.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct NextStepQuery {
    /// `true`: only next steps of activities the caller logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<bool>))]
    pub mine: Option<String>,
    /// `overdue`, `today`, `week` (tomorrow through six days out), `later` or `none` (no due
    /// date); absent: every open step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<DueFilter>, inline))]
    pub due: Option<String>,
    /// 1 to 200; 50 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<u64>, minimum = 1, maximum = 200))]
    pub limit: Option<String>,
}

/// [`NextStepQuery`], checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidNextStepQuery {
    pub mine: bool,
    pub due: Option<DueFilter>,
    pub limit: u64,
}

impl NextStepQuery {
    pub fn validate(&self) -> Result<ValidNextStepQuery, Issues> {
        let mut check = Check::new();
        let mine = check.optional_bool("mine", self.mine.as_deref());
        let due = check.optional_choice(
            "due",
            self.due.as_deref(),
            DueFilter::parse,
            DueFilter::NAMES,
        );
        let limit = crate::page::limit(&mut check, self.limit.as_deref());
        check.finish()?;
        Ok(ValidNextStepQuery {
            mine: mine.unwrap_or(false),
            due,
            limit,
        })
    }
}

/// Query of `GET /api/v1/partners/{id}/activities`: the timeline, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct TimelineQuery {
    /// 1 to 200; 50 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<u64>, minimum = 1, maximum = 200))]
    pub limit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl From<&ValidActivity> for NewActivity {
    /// The checked value in its wire form, to send.
    fn from(valid: &ValidActivity) -> Self {
        NewActivity {
            kind: valid.kind.as_str().to_owned(),
            occurred_at: valid.occurred_at.to_rfc3339(),
            summary: valid.summary.clone(),
            contact_ids: valid.contact_ids.iter().map(Uuid::to_string).collect(),
            next_step: valid.next_step.clone(),
            next_step_due: valid.next_step_due.map(|due| due.to_string()),
        }
    }
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
        let valid = input.validate(at("2026-11-30T00:00:00Z")).unwrap();
        assert_eq!(valid.occurred_at, at("2026-11-29T01:30:00Z"));
        assert_eq!(valid.kind, ActivityKind::Call);
    }

    #[test]
    fn due_date_needs_a_next_step_and_time_must_be_plausible() {
        let now = at("2026-11-29T00:00:00Z");
        let input = NewActivity {
            kind: "call".into(),
            occurred_at: "2026-12-05T00:00:00Z".into(),
            summary: "x".into(),
            contact_ids: vec![],
            next_step: Some("   ".into()),
            next_step_due: Some("2026-12-01".into()),
        };
        let issues = input.validate(now).unwrap_err();
        assert_eq!(issues.get("occurred_at"), Some(Issue::TooFarInFuture));
        assert_eq!(issues.get("next_step_due"), Some(Issue::DueWithoutNextStep));
        let wrong = NewActivity {
            kind: "fax".into(),
            occurred_at: "last tuesday".into(),
            summary: " ".into(),
            next_step_due: Some("2026-13-01".into()),
            ..Default::default()
        };
        let issues = wrong.validate(now).unwrap_err();
        assert_eq!(
            issues.get("kind"),
            Some(Issue::NotOneOf {
                choices: ActivityKind::NAMES
            })
        );
        assert_eq!(issues.get("occurred_at"), Some(Issue::InvalidDateTime));
        assert_eq!(issues.get("summary"), Some(Issue::Required));
        assert_eq!(issues.get("next_step_due"), Some(Issue::InvalidDate));
    }

    #[test]
    fn due_filters_cover_the_right_days() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d);
        assert_eq!(
            DueFilter::Overdue.range(today),
            Some((None, NaiveDate::from_ymd_opt(2026, 11, 28)))
        );
        assert_eq!(
            DueFilter::Today.range(today),
            Some((Some(today), Some(today)))
        );
        assert_eq!(
            DueFilter::Week.range(today),
            Some((NaiveDate::from_ymd_opt(2026, 11, 30), day(5)))
        );
        assert_eq!(DueFilter::Later.range(today), Some((day(6), None)));
        assert_eq!(DueFilter::Undated.range(today), None);
        for (due, bucket) in [
            (NaiveDate::from_ymd_opt(2026, 11, 28), DueFilter::Overdue),
            (Some(today), DueFilter::Today),
            (day(5), DueFilter::Week),
            (day(6), DueFilter::Later),
            (None, DueFilter::Undated),
        ] {
            assert_eq!(DueFilter::of(due, today), bucket, "{due:?}");
        }
    }
}
