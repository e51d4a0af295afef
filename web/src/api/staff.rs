//! Sign-in, the current user, the staff list.

use std::future::Future;

use shared::auth::{LoginRequest, Me, MePatch, UserRef};
use shared::routes;

use super::{Answer, ApiResult, Method, ask, call, json};

pub fn login(body: &LoginRequest) -> impl Future<Output = ApiResult<Me>> + Send + use<> {
    call(Method::Post, routes::LOGIN.to_owned(), json(body))
}

pub fn logout() -> impl Future<Output = ApiResult<()>> + Send + use<> {
    call(Method::Post, routes::LOGOUT.to_owned(), None)
}

pub fn me() -> impl Future<Output = Answer<Me>> + Send + use<> {
    ask(routes::ME.to_owned())
}

pub fn update_me(body: &MePatch) -> impl Future<Output = ApiResult<Me>> + Send + use<> {
    call(Method::Patch, routes::ME.to_owned(), json(body))
}

pub fn users() -> impl Future<Output = Answer<Vec<UserRef>>> + Send + use<> {
    ask(routes::USERS.to_owned())
}
