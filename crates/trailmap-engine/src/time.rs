//! Event times: whatever a file holds (RFC 3339 text, naive date-times, epoch seconds, Arrow
//! timestamps) becomes microseconds since the Unix epoch, UTC.
//!
//! Times without an offset (`2026-03-01 09:30:00`, or a Parquet timestamp without a time zone)
//! are read in the analysis's time zone: `--tz`, else the map's `data.time_zone`, else UTC.

use std::str::FromStr;

use arrow::array::{Array, ArrayRef, Float64Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, TimeUnit};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone as _};

/// The zone naive times are read in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Utc,
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

impl FromStr for Zone {
    type Err = String;

    fn from_str(text: &str) -> Result<Zone, String> {
        if text.eq_ignore_ascii_case("utc") || text == "Z" {
            return Ok(Zone::Utc);
        }
        if let Ok(offset) = FixedOffset::from_str(text) {
            return Ok(Zone::Fixed(offset));
        }
        text.parse::<chrono_tz::Tz>()
            .map(Zone::Named)
            .map_err(|_| format!("`{text}` is not a time zone; use an IANA name like Europe/Berlin, UTC, or an offset like +02:00"))
    }
}

impl Zone {
    fn naive_to_micros(self, naive: NaiveDateTime) -> Option<i64> {
        let utc = match self {
            Zone::Utc => naive.and_utc(),
            Zone::Fixed(offset) => offset.from_local_datetime(&naive).single()?.to_utc(),
            // In an overlap (clocks go back) take the earlier instant. In a gap (clocks go
            // forward) the local time never happened; read it with the offset in force before
            // the change, as PostgreSQL and Python do: 00:30 in a 00:00→01:00 gap is the instant of
            // 01:30 local after the change.
            Zone::Named(tz) => match tz.from_local_datetime(&naive).earliest() {
                Some(t) => t.to_utc(),
                None => {
                    let hour = chrono::TimeDelta::hours(1);
                    tz.from_local_datetime(&(naive + hour)).earliest()?.to_utc()
                }
            },
        };
        Some(utc.timestamp_micros())
    }
}

/// Microseconds since the epoch for every row; `Err((row_index, message))` on the first value
/// that is not a time. NULL stays `None`.
pub fn to_micros(array: &ArrayRef, zone: Zone) -> Result<Vec<Option<i64>>, (usize, String)> {
    let n = array.len();
    match array.data_type() {
        DataType::Timestamp(unit, tz) => {
            let ints =
                arrow::compute::cast(array, &DataType::Int64).map_err(|e| (0, e.to_string()))?;
            let ints = ints
                .as_any()
                .downcast_ref::<Int64Array>()
                .expect("cast to Int64");
            let scale = |v: i64| match unit {
                TimeUnit::Second => v.saturating_mul(1_000_000),
                TimeUnit::Millisecond => v.saturating_mul(1_000),
                TimeUnit::Microsecond => v,
                TimeUnit::Nanosecond => v / 1_000,
            };
            Ok((0..n)
                .map(|i| {
                    if ints.is_null(i) {
                        return None;
                    }
                    let micros = scale(ints.value(i));
                    if tz.is_some() {
                        Some(micros)
                    } else {
                        let naive = DateTime::from_timestamp_micros(micros)?.naive_utc();
                        zone.naive_to_micros(naive)
                    }
                })
                .collect())
        }
        DataType::Date32 | DataType::Date64 => {
            let dates =
                arrow::compute::cast(array, &DataType::Date64).map_err(|e| (0, e.to_string()))?;
            let ints =
                arrow::compute::cast(&dates, &DataType::Int64).map_err(|e| (0, e.to_string()))?;
            let ints = ints
                .as_any()
                .downcast_ref::<Int64Array>()
                .expect("cast to Int64");
            Ok((0..n)
                .map(|i| {
                    (!ints.is_null(i))
                        .then(|| DateTime::from_timestamp_millis(ints.value(i)))
                        .flatten()
                        .and_then(|d| zone.naive_to_micros(d.naive_utc()))
                })
                .collect())
        }
        t if t.is_integer() || t.is_floating() => {
            // Epoch seconds.
            let floats =
                arrow::compute::cast(array, &DataType::Float64).map_err(|e| (0, e.to_string()))?;
            let floats = floats
                .as_any()
                .downcast_ref::<Float64Array>()
                .expect("cast to Float64");
            Ok((0..n)
                .map(|i| (!floats.is_null(i)).then(|| (floats.value(i) * 1e6).round() as i64))
                .collect())
        }
        _ => {
            let text =
                arrow::compute::cast(array, &DataType::Utf8).map_err(|e| (0, e.to_string()))?;
            let text = text
                .as_any()
                .downcast_ref::<StringArray>()
                .expect("cast to Utf8");
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                if text.is_null(i) {
                    out.push(None);
                    continue;
                }
                let value = text.value(i);
                match parse_text(value, zone) {
                    Some(micros) => out.push(Some(micros)),
                    None => {
                        return Err((
                            i,
                            format!(
                                "`{value}` is not a time (expected RFC 3339 like 2026-03-01T09:30:00Z, a date-time, a date, or epoch seconds)"
                            ),
                        ));
                    }
                }
            }
            Ok(out)
        }
    }
}

/// One text value as a time.
pub fn parse_text(value: &str, zone: Zone) -> Option<i64> {
    let value = value.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Some(t.timestamp_micros());
    }
    // A space instead of `T`, with an offset.
    if let Ok(t) = DateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return Some(t.timestamp_micros());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(value, format) {
            return zone.naive_to_micros(naive);
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return zone.naive_to_micros(date.and_hms_opt(0, 0, 0)?);
    }
    if !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        let seconds: f64 = value.parse().ok()?;
        return Some((seconds * 1e6).round() as i64);
    }
    None
}

/// RFC 3339 text of a time, for reports.
pub fn format_micros(micros: i64) -> String {
    DateTime::from_timestamp_micros(micros)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms() {
        let utc = Zone::Utc;
        let base = parse_text("2026-03-01T09:30:00Z", utc).unwrap();
        assert_eq!(parse_text("2026-03-01T10:30:00+01:00", utc), Some(base));
        assert_eq!(parse_text("2026-03-01 09:30:00", utc), Some(base));
        assert_eq!(parse_text("1772357400", utc), Some(base));
        let berlin: Zone = "Europe/Berlin".parse().unwrap();
        assert_eq!(parse_text("2026-03-01 10:30:00", berlin), Some(base));
        assert_eq!(parse_text("yesterday", utc), None);
        // Brazil skipped 2017-10-15 00:00..01:00; 00:30 reads with the old offset (-03:00).
        let sao_paulo: Zone = "America/Sao_Paulo".parse().unwrap();
        assert_eq!(
            parse_text("2017-10-15 00:30:00", sao_paulo),
            parse_text("2017-10-15T03:30:00Z", utc)
        );
        assert!("Mars/Olympus".parse::<Zone>().is_err());
    }
}
