//! The time, as a seam: services ask the [`Clock`] in their context, so a test can set the day
//! ("overdue", "due today", expiry) instead of waiting for it.

use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDate, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The machine's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved: for tests.
pub struct FakeClock(Mutex<DateTime<Utc>>);

impl FakeClock {
    pub fn at(now: DateTime<Utc>) -> Self {
        Self(Mutex::new(now))
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = now;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The machine's clock moved by an offset a test sets: the test jumps to a day ("it is the
/// 31st in Shanghai") while time still passes, so what is written twice still differs.
#[derive(Default)]
pub struct ShiftedClock(Mutex<Duration>);

impl ShiftedClock {
    /// From now on, `now()` starts at `at` and goes on from there.
    pub fn jump_to(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at - Utc::now();
    }

    pub fn advance(&self, by: Duration) {
        let mut offset = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *offset += by;
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Today's date in `time_zone` (an IANA name); an unknown zone counts as the programme's own,
/// China Standard Time.
pub fn today_in(time_zone: &str, now: DateTime<Utc>) -> NaiveDate {
    let zone: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
    now.with_timezone(&zone).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fake_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2026-12-04T15:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = FakeClock::at(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::hours(1));
        assert_eq!(clock.now(), start + Duration::hours(1));
    }

    #[test]
    fn a_shifted_clock_jumps_and_then_runs() {
        let clock = ShiftedClock::default();
        let target = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        clock.jump_to(target);
        let first = clock.now();
        assert!((first - target).num_seconds().abs() < 5);
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(clock.now() > first);
    }

    #[test]
    fn today_is_where_the_reader_is() {
        let late_utc = DateTime::parse_from_rfc3339("2026-12-04T17:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            today_in("Asia/Shanghai", late_utc).to_string(),
            "2026-12-05"
        );
        assert_eq!(
            today_in("Europe/London", late_utc).to_string(),
            "2026-12-04"
        );
        assert_eq!(today_in("Mars/Olympus", late_utc).to_string(), "2026-12-05");
    }
}
