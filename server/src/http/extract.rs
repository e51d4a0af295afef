//! Extractors that answer bad input with the API's own JSON error body instead of axum's plain
//! text rejections: 400 for unreadable input, 422 naming the field for wrong values.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use chrono::Utc;
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use shared::FieldErrors;
use shared::activity::{ActivityPatch, NewActivity};
use shared::auth::{LoginRequest, MePatch};
use shared::contact::{ContactPatch, NewContact};
use shared::partner::{NewPartner, PartnerPatch};
use shared::validate::Issues;
use uuid::Uuid;

use crate::core::{Entity, Error};
use crate::http::ApiError;

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned + BodyRules,
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
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Bodies up to this size are checked for every bad field; a larger one names its first.
const EVERY_FIELD_LIMIT: usize = 32 * 1024;
/// The most bad fields one answer names.
const MAX_BAD_FIELDS: usize = 16;

/// The rules a new record's body must keep beyond its types (an empty summary, a date too far
/// ahead). The handler checks them once the body reads; a body with unreadable fields is also
/// checked here, on its stand-ins, so that one answer names every field to fix.
pub trait BodyRules {
    fn broken_rules(&self) -> Option<Issues> {
        None
    }
}

impl BodyRules for NewActivity {
    fn broken_rules(&self) -> Option<Issues> {
        self.validate(Utc::now()).err()
    }
}

impl BodyRules for NewContact {
    fn broken_rules(&self) -> Option<Issues> {
        self.validate().err()
    }
}

impl BodyRules for NewPartner {
    fn broken_rules(&self) -> Option<Issues> {
        self.validate().err()
    }
}

impl BodyRules for MePatch {
    fn broken_rules(&self) -> Option<Issues> {
        self.validate().err()
    }
}

// Both fields are text: a sign-in's body is unreadable only as a whole, or for a missing field.
impl BodyRules for LoginRequest {}

// A change is checked against the record it changes, which the body alone does not have.
impl BodyRules for ActivityPatch {}
impl BodyRules for ContactPatch {}
impl BodyRules for PartnerPatch {}

pub fn parse_json<T: DeserializeOwned + BodyRules>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => value,
        Err(error) => {
            let path = error.path().to_string();
            let error = error.into_inner();
            if error.classify() == Category::Data
                && bytes.len() <= EVERY_FIELD_LIMIT
                && let Some(every) = every_bad_field::<T>(bytes)
            {
                return Err(every);
            }
            return Err(reading_error(path, error));
        }
    };
    deserializer.end().map_err(|_| {
        ApiError::BadRequest("The body has trailing characters after the JSON.".into())
    })?;
    Ok(value)
}

/// Every bad field of a JSON object at once, so a client fixes them in one go rather than
/// learning of each only once the one before it is right.
///
/// serde stops at the first field it cannot read. Each time, the field is noted and given a
/// stand-in value that its type accepts (the first variant an enum's error names, or one of
/// [`stand_ins`]), and the object is read again, until it reads or a field takes no stand-in.
/// The rules of [`BodyRules`] are then checked on the stood-in body. `None` when the body is
/// not an object or the first error is not a field's.
fn every_bad_field<T: DeserializeOwned + BodyRules>(bytes: &[u8]) -> Option<ApiError> {
    let serde_json::Value::Object(mut object) = serde_json::from_slice(bytes).ok()? else {
        return None;
    };
    let mut bad = FieldErrors::new();
    // Top-level fields already reported and given a stand-in.
    let mut stood_in = std::collections::BTreeSet::new();
    while bad.len() < MAX_BAD_FIELDS {
        let Some((path, message)) = first_bad_field::<T>(&object) else {
            break;
        };
        let Some(field) = top_field(&path, &message) else {
            break;
        };
        if !stood_in.insert(field.clone()) {
            // Its stand-in did not get past it after all: report what we have.
            break;
        }
        let reported = if path == "." || path.is_empty() {
            field.clone()
        } else {
            path
        };
        let named_variant = expected_variant(&message).map(serde_json::Value::from);
        bad.insert(reported, message);
        let stand_in = named_variant
            .into_iter()
            .chain(stand_ins())
            .find_map(|value| {
                let mut trial = object.clone();
                trial.insert(field.clone(), value);
                let still_bad = first_bad_field::<T>(&trial)
                    .and_then(|(path, message)| top_field(&path, &message))
                    .is_some_and(|next| next == field);
                (!still_bad).then_some(trial)
            });
        match stand_in {
            Some(trial) => object = trial,
            None => break,
        }
    }
    // Read with its stand-ins, the body can be held to its rules too; a stood-in field is
    // already named, and its stand-in may well break a rule.
    let stood_in_body = serde_json::Value::Object(object);
    let mut issues = Issues::default();
    if let Some(broken) = T::deserialize(&stood_in_body)
        .ok()
        .and_then(|body| body.broken_rules())
    {
        for (field, issue) in broken.0 {
            if !top_field(&field, "").is_some_and(|top| stood_in.contains(&top))
                && !bad.contains_key(&field)
            {
                issues.0.insert(field, issue);
            }
        }
    }
    (!bad.is_empty()).then_some(ApiError::Unreadable {
        fields: bad,
        issues,
    })
}

/// Values one of which most field types accept: a stand-in is only there to read on.
fn stand_ins() -> impl Iterator<Item = serde_json::Value> {
    use serde_json::Value;
    [
        Value::Null,
        Value::from(""),
        Value::from(0),
        Value::Bool(false),
        Value::Array(Vec::new()),
        Value::Object(serde_json::Map::new()),
        Value::from("00000000-0000-0000-0000-000000000000"),
        Value::from("2000-01-01T00:00:00Z"),
        Value::from("2000-01-01"),
    ]
    .into_iter()
}

/// The first variant an enum's error names ("unknown variant `fax`, expected `call` or …").
fn expected_variant(message: &str) -> Option<String> {
    let (_, expected) = message.split_once("expected ")?;
    let (_, rest) = expected.split_once('`')?;
    Some(rest.split('`').next()?.to_owned())
}

/// The path and message of the first field `T` cannot read from `object`, if any.
fn first_bad_field<T: DeserializeOwned>(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Option<(String, String)> {
    let value = serde_json::Value::Object(object.clone());
    let error = serde_path_to_error::deserialize::<_, T>(&value).err()?;
    let path = error.path().to_string();
    Some((path, strip_position(&error.into_inner().to_string())))
}

/// The top-level field an error is about: the path's first segment, or for a missing field
/// (reported at the object itself) the field's name.
fn top_field(path: &str, message: &str) -> Option<String> {
    if path == "." || path.is_empty() {
        return missing_field(message);
    }
    let end = path.find(['.', '[']).unwrap_or(path.len());
    Some(path[..end].to_owned())
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

/// A query string.
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

/// Reads a query string, naming every parameter it cannot read in one answer (as
/// [`parse_json`] does for a body's fields): each bad parameter is noted and left out, and the
/// rest read again. A good query string is read once, as it is.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let mut error = match read_query::<T>(query) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let mut bad = FieldErrors::new();
    loop {
        let (path, message) = error;
        if path == "." || path.is_empty() {
            // About the query as a whole (a missing or repeated parameter).
            return Err(if bad.is_empty() {
                ApiError::BadRequest(format!("Bad query string: {message}."))
            } else {
                ApiError::Unreadable {
                    fields: bad,
                    issues: Issues::default(),
                }
            });
        }
        let before = pairs.len();
        pairs.retain(|(name, _)| *name != path);
        bad.insert(path, message);
        if pairs.len() == before || bad.len() >= MAX_BAD_FIELDS {
            return Err(ApiError::Unreadable {
                fields: bad,
                issues: Issues::default(),
            });
        }
        let rest = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        error = match read_query::<T>(&rest) {
            Ok(_) => {
                return Err(ApiError::Unreadable {
                    fields: bad,
                    issues: Issues::default(),
                });
            }
            Err(error) => error,
        };
    }
}

/// The query string read as `T`, or the path and message of its first bad parameter.
fn read_query<T: DeserializeOwned>(query: &str) -> Result<T, (String, String)> {
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer)
        .map_err(|error| (error.path().to_string(), error.into_inner().to_string()))
}

/// The caller's network address, for sign-in rate limits. Requests made in process during SSR
/// have none and count as the loopback address.
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|axum::extract::ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "127.0.0.1".to_owned());
        Ok(ClientAddress(address))
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
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Call,
        Note,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        count: u32,
        kind: Kind,
        #[serde(default)]
        tags: Vec<String>,
        note: Option<String>,
    }

    /// A name must not be blank, as a partner's must not; a note needs a tag.
    impl BodyRules for Sample {
        fn broken_rules(&self) -> Option<Issues> {
            use shared::validate::Issue;
            let mut issues = Issues(Default::default());
            if self.name.trim().is_empty() {
                issues.0.insert("name".into(), Issue::Required);
            }
            if matches!(self.kind, Kind::Note) && self.tags.is_empty() {
                issues.0.insert("tags".into(), Issue::Required);
            }
            (!issues.is_empty()).then_some(issues)
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct SampleQuery {
        count: u32,
        kind: Option<Kind>,
        limit: Option<u64>,
        q: Option<String>,
    }

    fn bad_parameters(query: &str) -> FieldErrors {
        match parse_query::<SampleQuery>(query) {
            Err(ApiError::Unreadable { fields, .. }) => fields,
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn every_unreadable_parameter_is_named_at_once() {
        let bad = bad_parameters("count=1&limit=ten&kind=fax&q=lotus");
        assert_eq!(bad.keys().collect::<Vec<_>>(), ["kind", "limit"]);
        assert!(bad["kind"].contains("unknown variant `fax`"), "{bad:?}");
        assert!(bad["limit"].contains("invalid digit"), "{bad:?}");
        // A required parameter that is unreadable is named as such, not as missing.
        let bad = bad_parameters("count=many&limit=ten");
        assert_eq!(bad.keys().collect::<Vec<_>>(), ["count", "limit"]);
    }

    #[test]
    fn a_good_query_reads_and_a_missing_parameter_is_a_bad_request() {
        let query = parse_query::<SampleQuery>("count=2&kind=note&q=a+b").unwrap();
        assert_eq!(query.count, 2);
        assert_eq!(query.q.as_deref(), Some("a b"));
        match parse_query::<SampleQuery>("limit=5") {
            Err(ApiError::BadRequest(message)) => assert!(message.contains("count"), "{message}"),
            other => panic!("expected a bad request, got {other:?}"),
        }
    }

    fn bad_fields(body: &str) -> FieldErrors {
        match parse_json::<Sample>(body.as_bytes()) {
            Err(ApiError::Unreadable { fields, issues }) => {
                let mut fields = fields;
                fields.extend(issues.to_field_errors());
                fields
            }
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let fields = bad_fields(r#"{"count": "three", "kind": "fax", "tags": ["a", 2]}"#);
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(names, ["count", "kind", "name", "tags[1]"], "{fields:?}");
        assert_eq!(fields["name"], "missing field `name`");
        assert!(
            fields["kind"].contains("unknown variant `fax`"),
            "{fields:?}"
        );
        assert!(
            fields["count"].contains("invalid type: string"),
            "{fields:?}"
        );
    }

    #[test]
    fn a_broken_rule_is_named_beside_the_unreadable_fields() {
        let fields = bad_fields(r#"{"name": " ", "count": -1, "kind": "call"}"#);
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["count", "name"]);
        assert_eq!(fields["name"], "is required");
    }

    #[test]
    fn a_rule_broken_by_a_stand_in_is_not_reported() {
        // `tags[1]` is named; its stand-in `[]` leaves a note without tags, which is no news.
        let fields = bad_fields(r#"{"name": "x", "count": 1, "kind": "note", "tags": ["a", 2]}"#);
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["tags[1]"]);
    }

    #[test]
    fn a_good_body_still_reads() {
        let sample: Sample =
            parse_json(br#"{"name": "Lotus", "count": 2, "kind": "note"}"#).expect("a good body");
        assert_eq!((sample.name.as_str(), sample.count), ("Lotus", 2));
        assert!(matches!(sample.kind, Kind::Note));
    }

    #[test]
    fn a_body_that_is_not_an_object_gets_one_error() {
        let fields = bad_fields(r#""just a string""#);
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["body"]);
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        assert!(matches!(
            parse_json::<Sample>(br#"{"name": "#),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn a_large_body_names_only_its_first_bad_field() {
        let padding = "x".repeat(EVERY_FIELD_LIMIT);
        let body = format!(r#"{{"count": "three", "kind": "fax", "note": "{padding}"}}"#);
        let fields = bad_fields(&body);
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["count"]);
    }
}
