//! Who may do what, decided in one place: the server enforces it in its services, and the UI
//! asks the same question to decide which controls to show.
//!
//! Principals are the kinds of caller Liaison knows. Staff users sign in with a password; the
//! partner portal (a partner's contact signed in by emailed link), calendar feeds (a token in
//! the URL) and background jobs will be principals too, and get their rules here.

use serde::{Deserialize, Serialize};

/// What a staff user may do. Admin: everything; manager: read and write CRM data;
/// viewer: read only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Manager,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "admin" => Some(Role::Admin),
            "manager" => Some(Role::Manager),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }
}

/// Something a caller may ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read partners, contacts, logged contacts and next steps.
    ReadCrm,
    /// Create, change or delete partners, contacts and logged contacts.
    EditCrm,
    /// See the list of staff users (owner pickers).
    ListStaff,
    /// Change one's own language and time zone.
    EditOwnPreferences,
    /// Add staff users and their API tokens: the operator's, on the command line, for now.
    ManageStaff,
}

impl Action {
    /// Why it was refused, for people.
    pub fn refusal_en(self) -> &'static str {
        match self {
            Action::EditCrm => "Viewers can look but not change anything.",
            Action::ReadCrm
            | Action::ListStaff
            | Action::EditOwnPreferences
            | Action::ManageStaff => "You may not do this.",
        }
    }

    pub fn refusal_zh(self) -> &'static str {
        match self {
            Action::EditCrm => "只读用户可以查看，但不能修改。",
            Action::ReadCrm
            | Action::ListStaff
            | Action::EditOwnPreferences
            | Action::ManageStaff => "您无权执行此操作。",
        }
    }
}

/// The kind of caller asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// A staff user with this role.
    Staff(Role),
    /// Liaison itself: a background job or the command line acting for the operator.
    System,
}

/// Whether `principal` may do `action`.
pub fn can(principal: Principal, action: Action) -> bool {
    match principal {
        Principal::System => true,
        Principal::Staff(role) => match action {
            Action::ReadCrm | Action::ListStaff | Action::EditOwnPreferences => true,
            Action::EditCrm => matches!(role, Role::Admin | Role::Manager),
            // No staff screen adds users yet; the command line acts as the system.
            Action::ManageStaff => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_read_and_managers_write() {
        for role in [Role::Admin, Role::Manager, Role::Viewer] {
            assert!(can(Principal::Staff(role), Action::ReadCrm));
            assert!(can(Principal::Staff(role), Action::EditOwnPreferences));
        }
        assert!(can(Principal::Staff(Role::Admin), Action::EditCrm));
        assert!(can(Principal::Staff(Role::Manager), Action::EditCrm));
        assert!(!can(Principal::Staff(Role::Viewer), Action::EditCrm));
        assert!(can(Principal::System, Action::EditCrm));
        assert!(can(Principal::System, Action::ManageStaff));
        assert!(!can(Principal::Staff(Role::Admin), Action::ManageStaff));
    }
}
