//! The one error a service returns. Each variant is a reason a caller understands; the HTTP
//! layer (`crate::http::error`) maps it to a status and the JSON error body, in the reader's
//! language, and the command line says it in words ([`Error::describe`]).

use shared::policy::Action;
use shared::validate::{Issue, Issues};

/// The kinds of record an error can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Partner,
    Contact,
    Activity,
    User,
    /// A path segment that names nothing (not an id).
    Record,
}

impl Entity {
    pub fn name_en(self) -> &'static str {
        match self {
            Entity::Partner => "partner",
            Entity::Contact => "contact",
            Entity::Activity => "activity",
            Entity::User => "user",
            Entity::Record => "record",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Entity::Partner => "合作伙伴",
            Entity::Contact => "联系人",
            Entity::Activity => "联络记录",
            Entity::User => "用户",
            Entity::Record => "记录",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such record, or not one the caller may see.
    #[error("{} not found", .0.name_en())]
    NotFound(Entity),
    /// Input that breaks field rules, field by field.
    #[error("invalid input: {0:?}")]
    Invalid(Issues),
    /// A value that must be unique is taken, named by its field.
    #[error("conflict: {field} {}", issue.message_en())]
    Duplicate { field: &'static str, issue: Issue },
    /// The change was made against an older version of the record.
    #[error("stale version")]
    Stale,
    /// The caller may not do this.
    #[error("forbidden: {}", .0.refusal_en())]
    Forbidden(Action),
    /// Nobody is signed in, or the session ended.
    #[error("not signed in")]
    Unauthenticated,
    /// A sign-in with a wrong email or password.
    #[error("wrong email or password")]
    BadCredentials,
    /// Too many failed sign-ins; free again after this many seconds.
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Our fault: a database or other failure. Logged with its causes, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// One field breaking one rule.
    pub fn issue(field: &str, issue: Issue) -> Self {
        Error::Invalid(Issues::one(field, issue))
    }

    /// The error in words, for the terminal: field rules as `field message; …`.
    pub fn describe(self) -> anyhow::Error {
        match self {
            Error::Invalid(issues) => {
                let list: Vec<String> = issues
                    .to_field_errors()
                    .iter()
                    .map(|(field, message)| format!("{field} {message}"))
                    .collect();
                anyhow::anyhow!("{}", list.join("; "))
            }
            Error::Internal(error) => error,
            other => anyhow::anyhow!("{other}"),
        }
    }
}

impl From<Issues> for Error {
    fn from(issues: Issues) -> Self {
        Error::Invalid(issues)
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(error: sea_orm::DbErr) -> Self {
        Error::Internal(anyhow::Error::new(error).context("database error"))
    }
}
