//! A calendar date, just enough to count the days between two `YYYY-MM-DD` dates.
//!
//! The renderer needs dates only to tell how old a step's `evidence.verified` is. A small type
//! of our own keeps a date library (and any idea of clocks or time zones) out of this crate:
//! the caller says what "today" is.

use std::fmt;
use std::str::FromStr;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Invariant: a real date (month 1..=12, day within the month), checked by `Date::new`.
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// The date, if it exists (`Date::new(2026, 2, 30)` is `None`).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before it).
    fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's `days_from_civil`, on a calendar whose years start in March so
        // the leap day comes last.
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.days_since_epoch() - earlier.days_since_epoch()
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = ParseDateError;

    /// Reads `YYYY-MM-DD`, the format of `evidence.verified`.
    fn from_str(text: &str) -> Result<Date, ParseDateError> {
        let mut parts = text.trim().splitn(3, '-');
        let mut next = |len: usize| {
            parts
                .next()
                .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<u32>().ok())
        };
        let (Some(year), Some(month), Some(day)) = (next(4), next(2), next(2)) else {
            return Err(ParseDateError);
        };
        Date::new(year as i32, month, day).ok_or(ParseDateError)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Text that is not a real date written as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateError;

impl fmt::Display for ParseDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a date as YYYY-MM-DD")
    }
}

impl std::error::Error for ParseDateError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn counts_days_across_months_years_and_leap_days() {
        assert_eq!(date("1970-01-01").days_since_epoch(), 0);
        assert_eq!(date("2000-03-01").days_since(date("2000-02-28")), 2);
        assert_eq!(date("2100-03-01").days_since(date("2100-02-28")), 1);
        assert_eq!(date("2026-11-25").days_since(date("2025-11-25")), 365);
        assert_eq!(date("2025-11-25").days_since(date("2024-11-25")), 365);
        assert_eq!(date("2024-11-25").days_since(date("2023-11-25")), 366);
        assert_eq!(date("1969-12-31").days_since_epoch(), -1);
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in [
            "2026-02-30",
            "2026-13-01",
            "26-01-01",
            "2026-1-01",
            "2026/01/01",
            "",
            "x",
        ] {
            assert_eq!(text.parse::<Date>(), Err(ParseDateError), "{text}");
        }
        assert_eq!(date("2024-02-29").to_string(), "2024-02-29");
    }
}
