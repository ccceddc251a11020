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

/// The test behind `trailmap conform`'s outcome comparisons, by name.
pub const TWO_PROPORTION_TEST: &str = "two-proportion z-test (pooled), two-sided: a group's outcome rate against its reference group's";

/// Two-sided p-value that `hits_a / n_a` and `hits_b / n_b` differ (pooled two-proportion z-test,
/// normal approximation). `None` when undefined: an empty group, or a pooled rate of 0 or 1.
pub fn two_proportion_p_value(hits_a: u64, n_a: u64, hits_b: u64, n_b: u64) -> Option<f64> {
    if n_a == 0 || n_b == 0 {
        return None;
    }
    let (na, nb) = (n_a as f64, n_b as f64);
    let pooled = (hits_a + hits_b) as f64 / (na + nb);
    if pooled <= 0.0 || pooled >= 1.0 {
        return None;
    }
    let se = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    Some(normal_two_sided_p(
        (hits_a as f64 / na - hits_b as f64 / nb) / se,
    ))
}

/// Two-sided p-value that two means differ, from each group's count, mean and sample variance
/// (Welch's statistic with the normal approximation, fine for the group sizes tested). `None`
/// when a group has fewer than 2 members or both variances are 0.
pub fn two_means_p_value(a: (u64, f64, f64), b: (u64, f64, f64)) -> Option<f64> {
    let ((n_a, mean_a, var_a), (n_b, mean_b, var_b)) = (a, b);
    if n_a < 2 || n_b < 2 {
        return None;
    }
    let se = (var_a / n_a as f64 + var_b / n_b as f64).sqrt();
    if se.is_nan() || se <= 0.0 {
        return None;
    }
    Some(normal_two_sided_p((mean_a - mean_b) / se))
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
    fn two_sample_p_values() {
        // 40/100 vs 25/100: pooled 0.325, se = sqrt(0.325 * 0.675 * 0.02) = 0.06624, z = 2.2646,
        // p = 0.02354.
        let p = two_proportion_p_value(40, 100, 25, 100).unwrap();
        assert!((p - 0.02354).abs() < 1e-4, "{p}");
        assert_eq!(two_proportion_p_value(0, 100, 0, 50), None);
        assert_eq!(two_proportion_p_value(1, 0, 0, 50), None);
        // Means 10 vs 9, variances 4 and 4, n 100 each: se = sqrt(0.08), z = 3.5355, p = 0.000407.
        let p = two_means_p_value((100, 10.0, 4.0), (100, 9.0, 4.0)).unwrap();
        assert!((p - 0.000407).abs() < 1e-5, "{p}");
        assert_eq!(two_means_p_value((1, 1.0, 0.0), (5, 1.0, 1.0)), None);
        assert_eq!(two_means_p_value((5, 1.0, 0.0), (5, 1.0, 0.0)), None);
        assert!((normal_two_sided_p(1.959964) - 0.05).abs() < 1e-6);
    }
}
