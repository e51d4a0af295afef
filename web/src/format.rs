//! Times as people here read them: in the reader's time zone (Asia/Shanghai unless they chose
//! another), 24-hour clock.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Asia::Shanghai)
}

pub fn date_time(at: DateTime<Utc>, zone_name: &str) -> String {
    at.with_timezone(&zone(zone_name))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

pub fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Reads a `<input type="datetime-local">` value as a time in the reader's zone.
pub fn parse_local(value: &str, zone_name: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    zone(zone_name)
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The current time, from the browser's clock in wasm and the system clock on the server.
pub fn now() -> DateTime<Utc> {
    #[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
    {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
    #[cfg(not(all(feature = "hydrate", target_arch = "wasm32")))]
    {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        DateTime::from_timestamp(since_epoch.as_secs() as i64, since_epoch.subsec_nanos())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_shanghai_time_by_default() {
        let at = DateTime::parse_from_rfc3339("2026-11-29T01:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date_time(at, "Asia/Shanghai"), "2026-11-29 09:30");
        assert_eq!(date_time(at, "not/a-zone"), "2026-11-29 09:30");
        assert_eq!(date_time(at, "Europe/London"), "2026-11-29 01:30");
    }

    #[test]
    fn local_input_is_read_in_the_readers_zone() {
        let at = parse_local("2026-11-29T09:30", "Asia/Shanghai").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-29T01:30:00+00:00");
        assert!(parse_local("yesterday", "Asia/Shanghai").is_none());
    }
}
