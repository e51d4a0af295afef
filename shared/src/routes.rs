//! Every `/api/v1` path, written once. The server's router and OpenAPI document take the
//! templates (`{id}` marks a parameter, as axum and OpenAPI both write it); the UI's client
//! builds concrete paths with the functions beside them.

use uuid::Uuid;

/// Where the API lives.
pub const API_PREFIX: &str = "/api/v1";

pub const LOGIN: &str = "/api/v1/auth/login";
pub const LOGOUT: &str = "/api/v1/auth/logout";
pub const ME: &str = "/api/v1/me";
pub const USERS: &str = "/api/v1/users";

pub const PARTNERS: &str = "/api/v1/partners";
pub const PARTNER: &str = "/api/v1/partners/{id}";
pub const PARTNER_CONTACTS: &str = "/api/v1/partners/{id}/contacts";
pub const PARTNER_ACTIVITIES: &str = "/api/v1/partners/{id}/activities";

pub const CONTACT: &str = "/api/v1/contacts/{id}";

pub const ACTIVITIES: &str = "/api/v1/activities";
pub const ACTIVITY: &str = "/api/v1/activities/{id}";

pub const OPENAPI: &str = "/api/v1/openapi.json";
pub const DOCS: &str = "/api/v1/docs";

/// A template with its `{id}` filled in.
pub fn with_id(template: &str, id: Uuid) -> String {
    template.replacen("{id}", &id.to_string(), 1)
}

pub fn partner(id: Uuid) -> String {
    with_id(PARTNER, id)
}

pub fn partner_contacts(id: Uuid) -> String {
    with_id(PARTNER_CONTACTS, id)
}

pub fn partner_activities(id: Uuid) -> String {
    with_id(PARTNER_ACTIVITIES, id)
}

pub fn contact(id: Uuid) -> String {
    with_id(CONTACT, id)
}

pub fn activity(id: Uuid) -> String {
    with_id(ACTIVITY, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_their_one_parameter() {
        let id = Uuid::nil();
        assert_eq!(
            partner_contacts(id),
            "/api/v1/partners/00000000-0000-0000-0000-000000000000/contacts"
        );
        for template in [
            PARTNER,
            PARTNER_CONTACTS,
            PARTNER_ACTIVITIES,
            CONTACT,
            ACTIVITY,
        ] {
            assert!(template.starts_with(API_PREFIX));
            assert!(!with_id(template, id).contains('{'), "{template}");
        }
    }
}
