//! Partners.

use std::future::Future;

use shared::partner::{NewPartner, Partner, PartnerPatch, PartnerQuery};
use shared::{Page, routes};
use uuid::Uuid;

use super::{Answer, ApiResult, Method, ask, call, json, with_query};

pub fn partners(
    query: &PartnerQuery,
) -> impl Future<Output = Answer<Page<Partner>>> + Send + use<> {
    ask(with_query(routes::PARTNERS, query))
}

pub fn partner(id: Uuid) -> impl Future<Output = Answer<Partner>> + Send + use<> {
    ask(routes::partner(id))
}

pub fn create_partner(
    body: &NewPartner,
) -> impl Future<Output = ApiResult<Partner>> + Send + use<> {
    call(Method::Post, routes::PARTNERS.to_owned(), json(body))
}

pub fn update_partner(
    id: Uuid,
    body: &PartnerPatch,
) -> impl Future<Output = ApiResult<Partner>> + Send + use<> {
    call(Method::Patch, routes::partner(id), json(body))
}

pub fn delete_partner(id: Uuid) -> impl Future<Output = ApiResult<()>> + Send + use<> {
    call(Method::Delete, routes::partner(id), None)
}
