//! Timestamps on the wire: RFC 3339, written and read by hand for the common shape and by
//! chrono for everything else, with the same text and the same values as chrono's own serde.
//!
//! A partner page moves each timestamp through JSON several times (the database's rows, the
//! API's answer, the page's decoding of it), and chrono's serde goes through `fmt` and its
//! general-purpose parser: about 2,000 instructions a timestamp each way, a tenth of the page.
//! The hand-written paths here cost a tenth of that. Use them with
//! `#[serde(with = "shared::timestamp")]`, or `shared::timestamp::option` for an `Option`.
//!
//! Written: `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z`, exactly as chrono writes a
//! `DateTime<Utc>` (as many fraction digits as needed, `Z` for UTC). Years outside 0–9999 and
//! leap seconds go through chrono. Read: that shape with any offset (`Z`, `+08:00`) and one to
//! nine fraction digits; any other text goes to chrono, which accepts or rejects it as before.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// Room for the longest text [`format`] writes: `YYYY-MM-DDTHH:MM:SS.fffffffffZ`.
pub const LONGEST: usize = 30;

/// Digits and separators written left to right into a fixed buffer.
struct Writer<'a> {
    buf: &'a mut [u8; LONGEST],
    len: usize,
}

impl Writer<'_> {
    fn byte(&mut self, byte: u8) {
        self.buf[self.len] = byte;
        self.len += 1;
    }

    /// `value` zero-padded to `width` digits (`value` has no more than that).
    fn digits(&mut self, value: u32, width: u32) {
        let mut divisor = 10u32.pow(width - 1);
        for _ in 0..width {
            self.byte(b'0' + (value / divisor % 10) as u8);
            divisor /= 10;
        }
    }
}

/// Writes `at` as chrono's serde would, into `buf`, and returns the text; `None` for what only
/// chrono writes (a year outside 0–9999, a leap second).
pub fn format<'a>(at: &DateTime<Utc>, buf: &'a mut [u8; LONGEST]) -> Option<&'a str> {
    let year = at.year();
    let nano = at.nanosecond();
    if !(0..=9999).contains(&year) || nano >= 1_000_000_000 {
        return None;
    }
    let mut w = Writer { buf, len: 0 };
    w.digits(year as u32, 4);
    for (separator, value) in [
        (b'-', at.month()),
        (b'-', at.day()),
        (b'T', at.hour()),
        (b':', at.minute()),
        (b':', at.second()),
    ] {
        w.byte(separator);
        w.digits(value, 2);
    }
    // chrono's `SecondsFormat::AutoSi`: no more digits than the value needs, in steps of three.
    let (fraction, width) = if nano == 0 {
        (0, 0)
    } else if nano.is_multiple_of(1_000_000) {
        (nano / 1_000_000, 3)
    } else if nano.is_multiple_of(1_000) {
        (nano / 1_000, 6)
    } else {
        (nano, 9)
    };
    if width > 0 {
        w.byte(b'.');
        w.digits(fraction, width);
    }
    w.byte(b'Z');
    let len = w.len;
    // Only ASCII digits and separators were written.
    std::str::from_utf8(&buf[..len]).ok()
}

/// Reads `text` if it has the common shape (see the module docs); `None` for anything else,
/// valid or not, which is then chrono's to read.
pub fn parse_common(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let mut i = 19;
    let mut nano = 0;
    if at(i, b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        nano = number(i + 1..i + 1 + digits)? * 10u32.pow(9 - digits as u32);
        i += 1 + digits;
    }
    let offset_seconds = match b.get(i..)? {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (number(i + 1..i + 3)?, number(i + 4..i + 6)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = (hours * 3600 + minutes * 60) as i64;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    // A leap second (`:60`) is chrono's to read.
    let local = date.and_hms_nano_opt(hour, minute, second, nano)?;
    let utc = local.checked_sub_signed(TimeDelta::seconds(offset_seconds))?;
    Some(utc.and_utc())
}

/// Reads an RFC 3339 timestamp as chrono's serde does: by hand when it has the common shape.
pub fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match parse_common(text) {
        Some(at) => Ok(at),
        None => text
            .parse::<DateTime<chrono::FixedOffset>>()
            .map(|at| at.with_timezone(&Utc)),
    }
}

pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; LONGEST];
    match format(at, &mut buf) {
        Some(text) => serializer.serialize_str(text),
        None => serde::Serialize::serialize(at, serializer),
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    deserializer.deserialize_str(Visitor)
}

struct Visitor;

impl serde::de::Visitor<'_> for Visitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        // chrono's own wording, which error messages already show.
        f.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<DateTime<Utc>, E> {
        parse(text).map_err(E::custom)
    }
}

/// The same for an optional timestamp (`null` is `None`).
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(
        at: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => super::serialize(at, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "super")] DateTime<Utc>);
        Option::<Wrapped>::deserialize(deserializer).map(|at| at.map(|Wrapped(at)| at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so a failure names a case that can be run again.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 16
        }
    }

    fn chrono_text(at: &DateTime<Utc>) -> String {
        serde_json::to_string(at).expect("chrono serialises")
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Ours(#[serde(with = "super")] DateTime<Utc>);

    #[test]
    fn writes_what_chrono_writes() {
        let mut rng = Lcg(7);
        for case in 0..20_000 {
            let seconds = (rng.next() % 400_000_000_000) as i64 - 62_000_000_000;
            // Whole seconds, milliseconds, microseconds and nanoseconds, each often.
            let nano = match case % 4 {
                0 => 0,
                1 => (rng.next() % 1000) as u32 * 1_000_000,
                2 => (rng.next() % 1_000_000) as u32 * 1000,
                _ => (rng.next() % 1_000_000_000) as u32,
            };
            let Some(at) = DateTime::from_timestamp(seconds, nano) else {
                continue;
            };
            let ours = serde_json::to_string(&Ours(at)).expect("serialises");
            assert_eq!(ours, chrono_text(&at), "case {case}: {at:?}");
            let back: Ours = serde_json::from_str(&ours).expect("reads back");
            assert_eq!(back.0, at, "case {case}");
        }
    }

    #[test]
    fn reads_what_chrono_reads_and_refuses_what_it_refuses() {
        let texts = [
            "2026-11-29T13:32:33.062593+00:00",
            "2026-11-29T13:32:33Z",
            "2026-11-29T13:32:33.1Z",
            "2026-11-29T13:32:33.123456789Z",
            "2026-11-29T21:32:33+08:00",
            "2026-11-29T05:32:33-08:00",
            "2026-01-01T00:30:00+01:30",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            // chrono's to read: other separators, a leap second, ten fraction digits.
            "2026-11-29 13:32:33Z",
            "2026-11-29t13:32:33z",
            "2016-12-31T23:59:60Z",
            "2026-11-29T13:32:33.1234567891Z",
            "2026-11-29T13:32:33+0800",
            // Refused by both.
            "2026-02-30T00:00:00Z",
            "2026-11-29T24:00:00Z",
            "2026-11-29T13:32:33+24:00",
            "2026-11-29T13:32:33",
            "2026-11-29T13:32:33.Z",
            "2026-11-29",
            "",
            "not a date",
            "２０２６-11-29T13:32:33Z",
        ];
        for text in texts {
            let chrono = text
                .parse::<DateTime<chrono::FixedOffset>>()
                .map(|at| at.with_timezone(&Utc))
                .ok();
            assert_eq!(parse(text).ok(), chrono, "{text:?}");
            let json = serde_json::to_string(text).expect("a string");
            let ours = serde_json::from_str::<Ours>(&json).ok().map(|o| o.0);
            let theirs = serde_json::from_str::<DateTime<Utc>>(&json).ok();
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

    #[test]
    fn the_common_shape_is_read_by_hand() {
        assert!(parse_common("2026-11-29T13:32:33.062593+00:00").is_some());
        assert!(parse_common("2026-11-29T13:32:33Z").is_some());
        assert!(parse_common("2026-11-29 13:32:33Z").is_none());
    }

    #[test]
    fn optional_timestamps_take_null() {
        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct Row {
            #[serde(with = "super::option")]
            done_at: Option<DateTime<Utc>>,
        }
        let none: Row = serde_json::from_str(r#"{"done_at":null}"#).expect("null");
        assert_eq!(none.done_at, None);
        assert_eq!(
            serde_json::to_string(&none).expect("serialises"),
            r#"{"done_at":null}"#
        );
        let some: Row =
            serde_json::from_str(r#"{"done_at":"2026-11-29T13:32:33Z"}"#).expect("a time");
        assert_eq!(
            serde_json::to_string(&some).expect("serialises"),
            r#"{"done_at":"2026-11-29T13:32:33Z"}"#
        );
    }
}
