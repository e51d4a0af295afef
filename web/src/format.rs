//! Times as people here read them: in the reader's time zone (Asia/Shanghai unless they chose
//! another), 24-hour clock.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Asia::Shanghai)
}

/// `2026-11-29 09:30` in the reader's zone. Written digit by digit: a timeline shows dozens,
/// and chrono's `format` parses its pattern again for each.
pub fn date_time(at: DateTime<Utc>, zone_name: &str) -> String {
    let local = at.with_timezone(&zone(zone_name)).naive_local();
    let mut text = date(local.date());
    text.push(' ');
    push_two_digits(&mut text, local.hour());
    text.push(':');
    push_two_digits(&mut text, local.minute());
    text
}

/// The `datetime` of a `<time>` element: RFC 3339 in UTC.
pub fn machine(at: &DateTime<Utc>) -> String {
    let mut buf = [0u8; shared::timestamp::LONGEST];
    match shared::timestamp::format(at, &mut buf) {
        Some(text) => text.to_owned(),
        None => at.to_rfc3339(),
    }
}

/// `2026-11-29`.
pub fn date(day: NaiveDate) -> String {
    if !(0..=9999).contains(&day.year()) {
        return day.format("%Y-%m-%d").to_string();
    }
    let mut text = String::with_capacity(16);
    let year = day.year() as u32;
    push_two_digits(&mut text, year / 100);
    push_two_digits(&mut text, year % 100);
    text.push('-');
    push_two_digits(&mut text, day.month());
    text.push('-');
    push_two_digits(&mut text, day.day());
    text
}

fn push_two_digits(text: &mut String, value: u32) {
    text.push(char::from(b'0' + (value / 10 % 10) as u8));
    text.push(char::from(b'0' + (value % 10) as u8));
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

/// Today's date in the zone named `zone_name`.
pub fn today(zone_name: &str) -> NaiveDate {
    now().with_timezone(&zone(zone_name)).date_naive()
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
    fn dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2026, 1, 5),
            (999, 12, 31),
            (0, 1, 1),
            (9999, 12, 31),
            (-44, 3, 15),
            (12345, 6, 7),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date(day), day.format("%Y-%m-%d").to_string());
        }
        let at = DateTime::parse_from_rfc3339("2026-03-07T15:04:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date_time(at, "Asia/Shanghai"), "2026-03-07 23:04");
    }

    #[test]
    fn local_input_is_read_in_the_readers_zone() {
        let at = parse_local("2026-11-29T09:30", "Asia/Shanghai").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-29T01:30:00+00:00");
        assert!(parse_local("yesterday", "Asia/Shanghai").is_none());
    }
}

/// A partner's two names in the reader's order: in Chinese the Chinese name leads where there
/// is one, in English the English name; the other follows (if any).
pub fn names_in_order(
    name: &str,
    name_zh: Option<&str>,
    language: shared::auth::Language,
) -> (String, Option<String>) {
    match (language, name_zh) {
        (shared::auth::Language::ZhCn, Some(zh)) => (zh.to_owned(), Some(name.to_owned())),
        (_, zh) => (name.to_owned(), zh.map(str::to_owned)),
    }
}

#[cfg(test)]
mod name_order_tests {
    use super::*;
    use shared::auth::Language;

    #[test]
    fn the_readers_language_leads() {
        assert_eq!(
            names_in_order("Signify", Some("昕诺飞"), Language::ZhCn),
            ("昕诺飞".to_owned(), Some("Signify".to_owned()))
        );
        assert_eq!(
            names_in_order("Signify", Some("昕诺飞"), Language::En),
            ("Signify".to_owned(), Some("昕诺飞".to_owned()))
        );
        assert_eq!(
            names_in_order("Signify", None, Language::ZhCn),
            ("Signify".to_owned(), None)
        );
    }
}
