//! Summary figures of integer microseconds (or counts): mean, median, percentiles, spread.

use trailmap_model::paths::{CountStats, DurationStats};

/// Summary figures, computed exactly where possible.
pub(super) struct Summary {
    pub(super) mean: f64,
    pub(super) median: f64,
    pub(super) min: i64,
    pub(super) max: i64,
    pub(super) sum: i128,
    pub(super) stdev: Option<f64>,
}

impl Summary {
    /// `values` must not be empty; it is reordered.
    pub(super) fn of(values: &mut [i64]) -> Summary {
        let n = values.len();
        let (mut sum, mut min, mut max) = (0i128, i64::MAX, i64::MIN);
        for &v in values.iter() {
            sum += i128::from(v);
            min = min.min(v);
            max = max.max(v);
        }
        let mean = sum as f64 / n as f64;
        let stdev = (n > 1).then(|| {
            let squares: f64 = values
                .iter()
                .map(|&v| {
                    let d = v as f64 - mean;
                    d * d
                })
                .sum();
            (squares / (n - 1) as f64).sqrt()
        });
        Summary {
            mean,
            median: percentile(values, 0.5),
            min,
            max,
            sum,
            stdev,
        }
    }
}

/// The `q` quantile with linear interpolation between closest ranks (NumPy's default
/// `percentile`): rank `h = q (n − 1)`, value `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`. For
/// `q = 0.5` this is the usual median. `values` must not be empty; it is reordered.
pub fn percentile(values: &mut [i64], q: f64) -> f64 {
    let n = values.len();
    let h = q * (n - 1) as f64;
    let lo = h.floor() as usize;
    let fraction = h - lo as f64;
    let (_, &mut low, right) = values.select_nth_unstable(lo);
    if fraction == 0.0 || right.is_empty() {
        return low as f64;
    }
    let high = *right.iter().min().expect("not empty");
    // NumPy's `_lerp`, which is exact at both ends.
    let (a, b) = (low as f64, high as f64);
    if fraction >= 0.5 {
        b - (b - a) * (1.0 - fraction)
    } else {
        a + (b - a) * fraction
    }
}

pub(super) fn duration_stats(durations: &mut [i64]) -> DurationStats {
    if durations.is_empty() {
        return DurationStats {
            mean_s: None,
            median_s: None,
            p90_s: None,
            min_s: None,
            max_s: None,
        };
    }
    let summary = Summary::of(durations);
    DurationStats {
        mean_s: Some(summary.mean / 1e6),
        median_s: Some(summary.median / 1e6),
        p90_s: Some(percentile(durations, 0.9) / 1e6),
        min_s: Some(summary.min as f64 / 1e6),
        max_s: Some(summary.max as f64 / 1e6),
    }
}

pub(super) fn count_stats(sizes: &mut [i64]) -> CountStats {
    if sizes.is_empty() {
        return CountStats {
            mean: None,
            median: None,
            min: None,
            max: None,
        };
    }
    let summary = Summary::of(sizes);
    CountStats {
        mean: Some(summary.mean),
        median: Some(summary.median),
        min: Some(summary.min as u64),
        max: Some(summary.max as u64),
    }
}
