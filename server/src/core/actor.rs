//! Who asks a service to do something. Every service takes one and checks it against
//! `shared::policy`, the same rules the UI uses to decide which controls to show.
//!
//! Staff users now; a partner's contact signed in to the portal and a calendar feed token are
//! the next kinds of actor, each with its own `shared::policy::Principal`.

use shared::auth::{Language, Role};
use shared::policy::{self, Action, Principal};
use uuid::Uuid;

use super::Error;

/// A signed-in staff user, as services need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Language,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Staff(StaffUser),
    /// Liaison itself: a background job, the demo loader or the operator's command line.
    System(&'static str),
}

impl Actor {
    pub fn principal(&self) -> Principal {
        match self {
            Actor::Staff(user) => Principal::Staff(user.role),
            Actor::System(_) => Principal::System,
        }
    }

    /// Refuses with [`Error::Forbidden`] unless the actor may do `action`.
    pub fn require(&self, action: Action) -> Result<(), Error> {
        if policy::can(self.principal(), action) {
            Ok(())
        } else {
            Err(Error::Forbidden(action))
        }
    }

    /// The staff user acting, if it is one: the author of what they log, the owner of what
    /// they create.
    pub fn staff(&self) -> Option<&StaffUser> {
        match self {
            Actor::Staff(user) => Some(user),
            Actor::System(_) => None,
        }
    }

    pub fn user_id(&self) -> Option<Uuid> {
        self.staff().map(|user| user.id)
    }

    /// Where "today" is for this actor.
    pub fn time_zone(&self) -> &str {
        match self {
            Actor::Staff(user) => &user.time_zone,
            Actor::System(_) => shared::DEFAULT_TIME_ZONE,
        }
    }

    /// How the event log names the actor: its kind and, for a person, their id.
    pub fn recorded_as(&self) -> (&'static str, Option<Uuid>) {
        match self {
            Actor::Staff(user) => ("staff", Some(user.id)),
            Actor::System(_) => ("system", None),
        }
    }
}
