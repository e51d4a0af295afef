//! Contacts of a partner.

use std::future::Future;

use shared::contact::{Contact, ContactPatch, NewContact};
use shared::routes;
use uuid::Uuid;

use super::{Answer, ApiResult, Method, ask, call, json};

pub fn contacts(partner_id: Uuid) -> impl Future<Output = Answer<Vec<Contact>>> + Send + use<> {
    ask(routes::partner_contacts(partner_id))
}

pub fn create_contact(
    partner_id: Uuid,
    body: &NewContact,
) -> impl Future<Output = ApiResult<Contact>> + Send + use<> {
    call(
        Method::Post,
        routes::partner_contacts(partner_id),
        json(body),
    )
}

pub fn update_contact(
    id: Uuid,
    body: &ContactPatch,
) -> impl Future<Output = ApiResult<Contact>> + Send + use<> {
    call(Method::Patch, routes::contact(id), json(body))
}

pub fn delete_contact(id: Uuid) -> impl Future<Output = ApiResult<()>> + Send + use<> {
    call(Method::Delete, routes::contact(id), None)
}
