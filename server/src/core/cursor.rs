//! Opaque keyset cursors: the sort key of the last item of a page, base64url-encoded JSON.
//! Opaque so clients don't build them, keyset so pages stay stable while rows are added.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use shared::validate::Issue;

use super::Error;

pub fn encode<T: Serialize>(key: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

pub fn decode<T: DeserializeOwned>(cursor: &str) -> Result<T, Error> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        // Cursors are ours, but a forged one is read as a key: no NUL into a query.
        .filter(|bytes| !bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")))
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| Error::issue("cursor", Issue::InvalidCursor))
}

/// [`decode`] as one of a query's checks: a bad cursor is an issue of `cursor` beside the
/// query's other issues.
pub fn decode_into<T: DeserializeOwned>(
    check: &mut shared::validate::Check,
    cursor: &str,
) -> Option<T> {
    match decode(cursor) {
        Ok(key) => Some(key),
        Err(_) => {
            check.fail("cursor", Issue::InvalidCursor);
            None
        }
    }
}

/// Rows were fetched with `limit + 1`: drops the extra row and, if there was one, returns the
/// cursor of the page's last row (the key the next page starts after).
pub fn trim_page<T, K: Serialize>(
    rows: &mut Vec<T>,
    limit: u64,
    key: impl Fn(&T) -> K,
) -> Option<String> {
    if rows.len() as u64 <= limit {
        return None;
    }
    rows.truncate(limit as usize);
    rows.last().map(|last| encode(&key(last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let key = ("abb".to_string(), 7u32);
        let cursor = encode(&key);
        assert_eq!(decode::<(String, u32)>(&cursor).unwrap(), key);
        assert!(decode::<(String, u32)>("not-a-cursor!").is_err());
    }

    #[test]
    fn a_page_has_a_cursor_only_when_more_rows_follow() {
        let mut rows = vec![1, 2, 3];
        assert_eq!(trim_page(&mut rows, 3, |r| *r), None);
        let mut rows = vec![1, 2, 3, 4];
        let cursor = trim_page(&mut rows, 3, |r| *r).unwrap();
        assert_eq!(rows, [1, 2, 3]);
        assert_eq!(decode::<i32>(&cursor).unwrap(), 3);
    }
}
