//! The statistics behind the figures, each defined exactly so results can be checked by SQL.

/// Quantile `q` (0..1) of `values` with linear interpolation between closest ranks: DuckDB's
/// `quantile_cont`, PostgreSQL's `percentile_cont`. Sorts `values` in place.
pub fn quantile_cont(values: &mut [f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    Some(quantile_sorted(values, q))
}

/// [`quantile_cont`] on values already sorted ascending.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let lo = position.floor() as usize;
    let hi = position.ceil() as usize;
    let fraction = position - lo as f64;
    sorted[lo] + fraction * (sorted[hi] - sorted[lo])
}

/// The significance test used for outcome lift, by name.
pub const SIGNIFICANCE_TEST: &str =
    "one-sample z-test of a proportion: rate_after over reach against the baseline rate, two-sided";

/// Two-sided p-value of observing `hits` out of `n` when the true rate is `baseline`
/// (normal approximation). `None` when the test is undefined (n = 0, or a baseline of 0 or 1).
pub fn proportion_p_value(hits: u64, n: u64, baseline: f64) -> Option<f64> {
    if n == 0 || baseline <= 0.0 || baseline >= 1.0 {
        return None;
    }
    let observed = hits as f64 / n as f64;
    let se = (baseline * (1.0 - baseline) / n as f64).sqrt();
    let z = (observed - baseline) / se;
    Some(libm::erfc(z.abs() / std::f64::consts::SQRT_2).clamp(0.0, 1.0))
}

/// `P(|Z| >= |z|)` for a standard normal `Z`.
pub fn normal_two_sided_p(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_duckdb() {
        let mut v = vec![10.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile_cont(&mut v, 0.5), Some(2.5));
        assert!((quantile_cont(&mut v, 0.9).unwrap() - 7.9).abs() < 1e-12);
        assert_eq!(quantile_cont(&mut [5.0], 0.9), Some(5.0));
        assert_eq!(quantile_cont(&mut [], 0.5), None);
    }

    #[test]
    fn p_values() {
        // 60 of 100 against 0.5: z = 2, p = 0.0455.
        let p = proportion_p_value(60, 100, 0.5).unwrap();
        assert!((p - 0.0455).abs() < 1e-4, "{p}");
        assert_eq!(proportion_p_value(0, 0, 0.5), None);
        assert_eq!(proportion_p_value(1, 10, 0.0), None);
    }

    #[test]
    fn normal_tail() {
        assert!((normal_two_sided_p(1.959964) - 0.05).abs() < 1e-6);
        assert!((normal_two_sided_p(-2.0) - 0.0455).abs() < 1e-4);
        assert_eq!(normal_two_sided_p(0.0), 1.0);
    }
}
