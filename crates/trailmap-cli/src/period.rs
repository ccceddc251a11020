//! `--by week|month`: calendar periods in the analysis's time zone.

use chrono::{Datelike, NaiveDate, TimeDelta};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum By {
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
}

/// A period: its label and its first and next-after-last dates.
pub(crate) struct Period {
    pub(crate) label: String,
    pub(crate) start: NaiveDate,
    pub(crate) end: NaiveDate,
}

/// The periods that cover `first..=last`, in order.
pub(crate) fn periods(by: By, first: NaiveDate, last: NaiveDate) -> Vec<Period> {
    let mut start = match by {
        By::Week => first - TimeDelta::days(i64::from(first.weekday().num_days_from_monday())),
        By::Month => first.with_day(1).expect("every month has a first day"),
    };
    let mut out = Vec::new();
    while start <= last {
        let end = match by {
            By::Week => start + TimeDelta::days(7),
            By::Month => start
                .checked_add_months(chrono::Months::new(1))
                .expect("dates far from the end of time"),
        };
        let label = match by {
            By::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            By::Month => format!("{}-{:02}", start.year(), start.month()),
        };
        out.push(Period { label, start, end });
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_and_months() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let months = periods(By::Month, d(2025, 12, 20), d(2026, 2, 1));
        let labels: Vec<&str> = months.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2025-12", "2026-01", "2026-02"]);
        assert_eq!(months[0].end, d(2026, 1, 1));
        // 2026-01-01 is a Thursday, in ISO week 2026-W01 (Monday 2025-12-29).
        let weeks = periods(By::Week, d(2026, 1, 1), d(2026, 1, 5));
        let labels: Vec<&str> = weeks.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2026-W01", "2026-W02"]);
        assert_eq!(weeks[0].start, d(2025, 12, 29));
    }
}
