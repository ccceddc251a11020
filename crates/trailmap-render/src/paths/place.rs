//! Vertical positions within each column, keeping the chosen order.
//!
//! Each item wants to sit at the weighted mean height of its neighbours in the columns beside
//! it, so edges run as straight as they can; items of one column must keep their order and
//! their spacing. For one column that is a least-squares problem with ordering constraints,
//! solved exactly by pool-adjacent-violators (isotonic regression on positions with the
//! spacing subtracted). Sweeping the columns left and right a few times settles the picture.
//! With a map, the designed steps are pinned to one line (y = 0), which keeps the designed path
//! straight and puts every detour visibly off it.

use super::order::Layered;

const SWEEPS: usize = 10;
/// Weight of a pin: far above any edge weight.
const PINNED: f64 = 1e6;

/// The centre height of every item, with the topmost item's top edge at 0.
pub(crate) fn place(
    l: &Layered,
    size: &[f64],
    gap: impl Fn(usize, usize) -> f64,
    pin: &[bool],
) -> Vec<f64> {
    let mut y = vec![0.0; l.items.len()];
    for layer in &l.layers {
        stack(layer, size, &gap, &mut y);
        let pinned: Vec<usize> = layer.iter().copied().filter(|&i| pin[i]).collect();
        if let Some(&first) = pinned.first() {
            let shift = y[first];
            for &item in layer {
                y[item] -= shift;
            }
        }
    }
    for sweep in 0..SWEEPS {
        let columns: Vec<usize> = if sweep % 2 == 0 {
            (0..l.layers.len()).collect()
        } else {
            (0..l.layers.len()).rev().collect()
        };
        for column in columns {
            let layer = &l.layers[column];
            let targets: Vec<(f64, f64)> = layer
                .iter()
                .map(|&item| {
                    if pin[item] {
                        return (0.0, PINNED);
                    }
                    let (sum, total) = l.left[item]
                        .iter()
                        .chain(&l.right[item])
                        .fold((0.0, 0.0), |(s, t), &(other, w)| (s + w * y[other], t + w));
                    if total > 0.0 {
                        (sum / total, total)
                    } else {
                        (y[item], 0.1)
                    }
                })
                .collect();
            let solved = solve(layer, &targets, size, &gap);
            for (&item, value) in layer.iter().zip(solved) {
                y[item] = value;
            }
        }
    }
    let top = l
        .items
        .iter()
        .enumerate()
        .map(|(i, _)| y[i] - size[i] / 2.0)
        .fold(f64::INFINITY, f64::min);
    if top.is_finite() {
        for value in &mut y {
            *value -= top;
        }
    }
    y
}

/// Items stacked top to bottom at their minimum spacing, starting at 0.
fn stack(layer: &[usize], size: &[f64], gap: &impl Fn(usize, usize) -> f64, y: &mut [f64]) {
    let mut at = 0.0;
    for (k, &item) in layer.iter().enumerate() {
        if k > 0 {
            let before = layer[k - 1];
            at += (size[before] + size[item]) / 2.0 + gap(before, item);
        }
        y[item] = at;
    }
}

/// Positions as close as possible (weighted least squares) to `targets`, in order, each at
/// least its spacing below the one before.
fn solve(
    layer: &[usize],
    targets: &[(f64, f64)],
    size: &[f64],
    gap: &impl Fn(usize, usize) -> f64,
) -> Vec<f64> {
    // Subtracting each item's minimum offset from the first turns spacing into plain order.
    let mut offset = vec![0.0; layer.len()];
    for k in 1..layer.len() {
        let (a, b) = (layer[k - 1], layer[k]);
        offset[k] = offset[k - 1] + (size[a] + size[b]) / 2.0 + gap(a, b);
    }
    // Blocks of pooled items: (weighted mean, total weight, number of items).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (k, &(target, w)) in targets.iter().enumerate() {
        blocks.push((target - offset[k], w.max(1e-9), 1));
        while blocks.len() >= 2 {
            let (v2, w2, n2) = blocks[blocks.len() - 1];
            let (v1, w1, n1) = blocks[blocks.len() - 2];
            if v1 <= v2 {
                break;
            }
            blocks.pop();
            let merged = ((v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, n1 + n2);
            *blocks.last_mut().expect("two blocks") = merged;
        }
    }
    let mut out = Vec::with_capacity(layer.len());
    for (value, _, n) in blocks {
        for _ in 0..n {
            out.push(value + offset[out.len()]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooling_keeps_order_and_spacing() {
        let layer = [0, 1, 2];
        let size = [10.0, 10.0, 10.0];
        // All want the same spot: they spread around it, evenly.
        let out = solve(&layer, &[(50.0, 1.0); 3], &size, &|_, _| 5.0);
        assert_eq!(out, vec![35.0, 50.0, 65.0]);
        // In order already and far apart: each gets its target.
        let out = solve(
            &layer,
            &[(0.0, 1.0), (100.0, 1.0), (200.0, 1.0)],
            &size,
            &|_, _| 5.0,
        );
        assert_eq!(out, vec![0.0, 100.0, 200.0]);
        // A pinned item does not move; the others give way.
        let out = solve(
            &layer,
            &[(0.0, 1.0), (0.0, PINNED), (0.0, 1.0)],
            &size,
            &|_, _| 5.0,
        );
        assert!(
            (out[1]).abs() < 1e-3 && out[0] < -14.9 && out[2] > 14.9,
            "{out:?}"
        );
    }
}
