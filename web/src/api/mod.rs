//! The typed client of `/api/v1`. Every page goes through it, so the browser and SSR pass the
//! same door and the same permission checks.
//!
//! Transports: in the browser, `fetch` with same-origin credentials; during SSR, the server
//! puts an [`SsrTransport`] in context that hands the request to its API router in process,
//! with the page request's cookie. Each call reads its context synchronously, before the
//! returned future first runs, because Leptos only guarantees context inside the fetcher call.

use std::future::Future;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::{ErrorBody, ErrorCode};

/// A failed call: the HTTP status (0 when the request never got an answer) and the API's
/// error body.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ApiError {
    pub status: u16,
    pub body: ErrorBody,
}

impl ApiError {
    fn transport(message: impl Into<String>) -> Self {
        ApiError {
            status: 0,
            body: ErrorBody::new(ErrorCode::Internal, message),
        }
    }

    pub fn code(&self) -> ErrorCode {
        self.body.error.code
    }

    pub fn is_unauthenticated(&self) -> bool {
        self.status == 401
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// The raw answer: status and body text.
pub struct RawResponse {
    pub status: u16,
    pub body: String,
}

/// What a page's resource holds: a call's decoded result together with the answer it was
/// decoded from.
///
/// During SSR Leptos writes every resource's value into the page, for the browser to hydrate
/// with. Resources of this type are made with `Resource::new_str`, so that value is written
/// with `Display`, which gives back the API's own answer, status and body: a copy, where
/// serializing the decoded value again (through a `Result`, for every field and timestamp)
/// was a tenth of a partner page's work. The browser reads it with `FromStr`, through the
/// same [`decode`] as an answer it fetched itself.
#[derive(Clone, Debug)]
pub struct Answer<T> {
    result: ApiResult<T>,
    raw: Arc<(u16, String)>,
}

impl<T> Answer<T> {
    pub fn result(&self) -> &ApiResult<T> {
        &self.result
    }

    pub fn into_result(self) -> ApiResult<T> {
        self.result
    }

    /// The same answer read as an optional value: JSON that decodes as a `T` decodes as a
    /// `Some(T)` too, so the text stays true.
    pub fn optional(self) -> Answer<Option<T>> {
        Answer {
            result: self.result.map(Some),
            raw: self.raw,
        }
    }
}

impl<T: Serialize> Answer<T> {
    /// An answer made here rather than asked for (a page with nothing to ask), written as the
    /// API would have written it.
    pub fn made(value: T) -> Self {
        let body = serde_json::to_string(&value).unwrap_or_else(|_| "null".to_owned());
        Answer {
            result: Ok(value),
            raw: Arc::new((200, body)),
        }
    }
}

impl<T: DeserializeOwned> Answer<T> {
    fn read(response: RawResponse) -> Self {
        let result = decode(&response);
        Answer {
            result,
            raw: Arc::new((response.status, response.body)),
        }
    }

    /// A call that got no answer: written as one with status 0, which decodes to the same
    /// error.
    fn unanswered(error: ApiError) -> Self {
        let body = serde_json::to_string(&error.body).unwrap_or_default();
        Answer {
            result: Err(error),
            raw: Arc::new((0, body)),
        }
    }
}

impl<T> std::fmt::Display for Answer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (status, body) = &*self.raw;
        write!(f, "{status} {body}")
    }
}

impl<T: DeserializeOwned> std::str::FromStr for Answer<T> {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (status, body) = text
            .split_once(' ')
            .ok_or_else(|| format!("not an answer: {text:.40}"))?;
        let status = status
            .parse()
            .map_err(|_| format!("not a status: {status:.10}"))?;
        Ok(Answer::read(RawResponse {
            status,
            body: body.to_owned(),
        }))
    }
}

#[cfg(feature = "ssr")]
pub use ssr_transport::SsrTransport;

#[cfg(feature = "ssr")]
mod ssr_transport {
    use std::pin::Pin;

    use super::*;

    type Call = dyn Fn(http::Request<String>) -> Pin<Box<dyn Future<Output = RawResponse> + Send>>
        + Send
        + Sync;

    /// Given by the server during SSR: runs an API request in process.
    #[derive(Clone)]
    pub struct SsrTransport(pub Arc<Call>);

    /// The page request's headers that identify the caller, copied onto API requests.
    const FORWARDED: [&str; 3] = ["cookie", "authorization", "accept-language"];

    pub(super) fn send(
        method: Method,
        path: String,
        body: Option<String>,
    ) -> impl Future<Output = ApiResult<RawResponse>> + Send + use<> {
        let transport = leptos::prelude::use_context::<SsrTransport>();
        let page = leptos::prelude::use_context::<http::request::Parts>();
        async move {
            let transport =
                transport.ok_or_else(|| ApiError::transport("no API transport during SSR"))?;
            let mut request = http::Request::builder().method(method.as_str()).uri(&path);
            if let Some(page) = &page {
                for name in FORWARDED {
                    for value in page.headers.get_all(name) {
                        request = request.header(name, value);
                    }
                }
            }
            if body.is_some() {
                request = request.header("content-type", "application/json");
            }
            let request = request
                .body(body.unwrap_or_default())
                .map_err(|e| ApiError::transport(e.to_string()))?;
            Ok((transport.0)(request).await)
        }
    }
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn send(
    method: Method,
    path: String,
    body: Option<String>,
) -> impl Future<Output = ApiResult<RawResponse>> + Send + use<> {
    use gloo_net::http::RequestBuilder;
    // Leptos resources and actions need Send futures; the browser is single-threaded, so
    // wrapping the fetch is sound (Leptos's own server-fn client does the same).
    send_wrapper::SendWrapper::new(async move {
        let builder = RequestBuilder::new(&path)
            .method(match method {
                Method::Get => gloo_net::http::Method::GET,
                Method::Post => gloo_net::http::Method::POST,
                Method::Patch => gloo_net::http::Method::PATCH,
                Method::Delete => gloo_net::http::Method::DELETE,
            })
            .credentials(web_sys::RequestCredentials::SameOrigin)
            .header("accept", "application/json");
        let request = match body {
            Some(body) => builder
                .header("content-type", "application/json")
                .body(body),
            None => builder.build(),
        }
        .map_err(|e| ApiError::transport(e.to_string()))?;
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::transport(e.to_string()))?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        Ok(RawResponse { status, body })
    })
}

/// Without a transport (a plain `cargo check` of this crate) every call fails cleanly.
#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn send(
    _method: Method,
    _path: String,
    _body: Option<String>,
) -> impl Future<Output = ApiResult<RawResponse>> + Send + use<> {
    async { Err(ApiError::transport("built without a transport")) }
}

#[cfg(feature = "ssr")]
use ssr_transport::send;

pub(crate) fn call<T: DeserializeOwned>(
    method: Method,
    path: String,
    body: Option<String>,
) -> impl Future<Output = ApiResult<T>> + Send + use<T> {
    let sent = send(method, path, body);
    async move {
        let response = sent.await?;
        decode(&response)
    }
}

/// A call whose answer a page's resource keeps (see [`Answer`]).
pub(crate) fn ask<T: DeserializeOwned>(
    path: String,
) -> impl Future<Output = Answer<T>> + Send + use<T> {
    let sent = send(Method::Get, path, None);
    async move {
        match sent.await {
            Ok(response) => Answer::read(response),
            Err(error) => Answer::unanswered(error),
        }
    }
}

fn decode<T: DeserializeOwned>(response: &RawResponse) -> ApiResult<T> {
    if (200..300).contains(&response.status) {
        // 204 has no body; `()` reads from `null`.
        let text = if response.body.is_empty() {
            "null"
        } else {
            &response.body
        };
        serde_json::from_str(text)
            .map_err(|e| ApiError::transport(format!("unreadable answer: {e}")))
    } else {
        let body = serde_json::from_str(&response.body).unwrap_or_else(|_| {
            ErrorBody::new(ErrorCode::Internal, format!("HTTP {}", response.status))
        });
        Err(ApiError {
            status: response.status,
            body,
        })
    }
}

pub(crate) fn json<B: Serialize>(body: &B) -> Option<String> {
    serde_json::to_string(body).ok()
}

pub(crate) fn with_query<Q: Serialize>(path: &str, query: &Q) -> String {
    match serde_urlencoded::to_string(query) {
        Ok(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.to_owned(),
    }
}

mod activities;
mod contacts;
mod partners;
mod staff;

pub use activities::*;
pub use contacts::*;
pub use partners::*;
pub use staff::*;

#[cfg(test)]
mod tests {
    use shared::Page;
    use shared::activity::Activity;
    use shared::auth::UserRef;
    use shared::contact::Contact;

    use super::*;

    /// What the browser reads back from the page must be what the server decoded.
    fn round_trip<T: DeserializeOwned + Clone>(answer: &Answer<T>) -> Answer<T> {
        answer.to_string().parse().expect("an answer reads back")
    }

    #[test]
    fn an_answer_written_into_the_page_reads_back_the_same() {
        let ok = Answer::<Vec<UserRef>>::read(RawResponse {
            status: 200,
            body: r#"[{"id":"01a2278c-b6e5-7496-846e-78bbc00e8af8","name":"王芳 \"Fang\" <b>"}]"#
                .to_owned(),
        });
        assert_eq!(
            ok.result().as_ref().map(|u| u[0].name.as_str()),
            Ok("王芳 \"Fang\" <b>")
        );
        assert_eq!(round_trip(&ok).result(), ok.result());

        let refused = Answer::<Vec<UserRef>>::read(RawResponse {
            status: 404,
            body: r#"{"error":{"code":"not_found","message":"no such partner"}}"#.to_owned(),
        });
        let error = refused.result().as_ref().expect_err("a 404 is an error");
        assert_eq!((error.status, error.code()), (404, ErrorCode::NotFound));
        assert_eq!(round_trip(&refused).result(), refused.result());

        let unanswered = Answer::<Vec<UserRef>>::unanswered(ApiError::transport("offline"));
        assert_eq!(round_trip(&unanswered).result(), unanswered.result());
    }

    #[test]
    fn made_and_optional_answers_read_back_as_the_values_they_hold() {
        let none = Answer::<Option<Page<Activity>>>::made(None);
        assert_eq!(round_trip(&none).result(), &Ok(None));
        let empty = Answer::made(Vec::<Contact>::new());
        assert_eq!(round_trip(&empty).result(), &Ok(Vec::new()));
        let some = Answer::<UserRef>::read(RawResponse {
            status: 200,
            body: r#"{"id":"01a2278c-b6e5-7496-846e-78bbc00e8af8","name":"Bench"}"#.to_owned(),
        })
        .optional();
        assert_eq!(
            round_trip(&some)
                .result()
                .as_ref()
                .map(|u| u.as_ref().map(|u| u.name.clone())),
            Ok(Some("Bench".to_owned()))
        );
    }

    #[test]
    fn text_that_is_no_answer_is_refused() {
        assert!("".parse::<Answer<UserRef>>().is_err());
        assert!("two hundred {}".parse::<Answer<UserRef>>().is_err());
    }
}
