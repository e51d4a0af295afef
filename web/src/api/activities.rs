//! Logged contacts and next steps.

use std::future::Future;

use shared::activity::{Activity, ActivityPatch, NewActivity, NextStepQuery, TimelineQuery};
use shared::{Page, routes};
use uuid::Uuid;

use super::{Answer, ApiResult, Method, ask, call, json, with_query};

pub fn timeline(
    partner_id: Uuid,
    query: &TimelineQuery,
) -> impl Future<Output = Answer<Page<Activity>>> + Send + use<> {
    ask(with_query(&routes::partner_activities(partner_id), query))
}

pub fn log_activity(
    partner_id: Uuid,
    body: &NewActivity,
) -> impl Future<Output = ApiResult<Activity>> + Send + use<> {
    call(
        Method::Post,
        routes::partner_activities(partner_id),
        json(body),
    )
}

pub fn update_activity(
    id: Uuid,
    body: &ActivityPatch,
) -> impl Future<Output = ApiResult<Activity>> + Send + use<> {
    call(Method::Patch, routes::activity(id), json(body))
}

pub fn next_steps(
    query: &NextStepQuery,
) -> impl Future<Output = Answer<Vec<Activity>>> + Send + use<> {
    ask(with_query(routes::ACTIVITIES, query))
}
