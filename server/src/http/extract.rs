//! Extractors that answer bad input with the API's own JSON error body instead of axum's plain
//! text rejections: 400 for unreadable input, 422 naming the field for wrong values.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use shared::FieldErrors;
use shared::validate::Issues;
use uuid::Uuid;

use crate::core::{Entity, Error};
use crate::http::{ApiError, AppState};

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            });
        if !is_json {
            return Err(ApiError::BadRequest(
                "Send the body as JSON with Content-Type: application/json.".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::BodyTooLarge {
                    limit_bytes: super::BODY_LIMIT_BYTES,
                }
            } else {
                ApiError::BadRequest(rejection.body_text())
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Reads a JSON body as `T`. Input DTOs read enums and dates as text and check them in their
/// `validate`, which names every bad field at once in the reader's language; what fails here is
/// a body that is not JSON (400), or a field of the wrong JSON type, named with serde's words
/// (422: a programmer's mistake, not a person's).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        reading_error(path, error.into_inner())
    })?;
    deserializer.end().map_err(|_| {
        ApiError::BadRequest("The body has trailing characters after the JSON.".into())
    })?;
    Ok(value)
}

fn reading_error(path: String, error: serde_json::Error) -> ApiError {
    match error.classify() {
        Category::Data => {
            let message = strip_position(&error.to_string());
            let field = if path == "." || path.is_empty() {
                // A missing field is reported at the parent; name the field itself.
                missing_field(&message).unwrap_or_else(|| "body".to_owned())
            } else {
                path
            };
            ApiError::Unreadable {
                fields: FieldErrors::from([(field, message)]),
                issues: Issues::default(),
            }
        }
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::BadRequest(format!("The body is not valid JSON: {error}."))
        }
    }
}

fn strip_position(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned()
}

fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_owned())
}

/// A query string. Query DTOs are all text, checked by the service, so only a repeated
/// parameter fails here.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or_default()).map(ApiQuery)
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        if path == "." || path.is_empty() {
            ApiError::BadRequest(format!("Bad query string: {message}."))
        } else {
            ApiError::Unreadable {
                fields: FieldErrors::from([(path, message)]),
                issues: Issues::default(),
            }
        }
    })
}

/// The caller's network address, for sign-in rate limits: the connection's, or behind a
/// trusted proxy the client's it names (`http::proxies`). Requests made in process during SSR
/// have none and count as the loopback address.
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |info| info.0.ip());
        let client = state.trusted_proxies.client_address(peer, &parts.headers);
        Ok(ClientAddress(client.to_string()))
    }
}

/// A UUID path segment. One that is not a UUID names nothing, so it is a 404 like an unknown id.
pub struct IdPath(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<Uuid>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(id)| IdPath(id))
            .map_err(|_| ApiError::Domain(Error::NotFound(Entity::Record)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        count: u32,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct SampleQuery {
        q: Option<String>,
        limit: Option<String>,
    }

    fn unreadable(result: Result<Sample, ApiError>) -> FieldErrors {
        match result {
            Err(ApiError::Unreadable { fields, .. }) => fields,
            other => panic!("expected unreadable fields, got {other:?}"),
        }
    }

    #[test]
    fn a_wrong_json_type_names_its_field() {
        let fields = unreadable(parse_json(br#"{"name": "x", "count": "three"}"#));
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["count"]);
        assert!(
            fields["count"].contains("invalid type: string"),
            "{fields:?}"
        );
        let fields = unreadable(parse_json(
            br#"{"name": "x", "count": 1, "tags": ["a", 2]}"#,
        ));
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["tags[1]"]);
    }

    #[test]
    fn a_missing_field_is_named_as_itself() {
        let fields = unreadable(parse_json(br#"{"count": 1}"#));
        assert_eq!(fields["name"], "missing field `name`");
        let fields = unreadable(parse_json(br#""just a string""#));
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["body"]);
    }

    #[test]
    fn broken_json_and_trailing_text_are_bad_requests() {
        assert!(matches!(
            parse_json::<Sample>(br#"{"name": "#),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            parse_json::<Sample>(br#"{"name": "x", "count": 1} tail"#),
            Err(ApiError::BadRequest(_))
        ));
        let sample: Sample = parse_json(br#"{"name": "Lotus", "count": 2}"#).unwrap();
        assert_eq!((sample.name.as_str(), sample.count), ("Lotus", 2));
    }

    #[test]
    fn a_query_reads_as_text_and_a_repeated_parameter_is_a_bad_request() {
        let query = parse_query::<SampleQuery>("q=a+b&limit=ten").unwrap();
        assert_eq!(query.q.as_deref(), Some("a b"));
        assert_eq!(query.limit.as_deref(), Some("ten"));
        assert!(matches!(
            parse_query::<SampleQuery>("limit=1&limit=2"),
            Err(ApiError::BadRequest(_))
        ));
    }
}
