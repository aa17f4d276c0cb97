//! Small, exact statistics: rates, averages and percentiles that report their sample count and
//! answer `None` instead of dividing by zero.

use serde::{Deserialize, Serialize};

/// `numerator / denominator`, with both counts kept so a reader can judge the sample.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Rate {
    pub numerator: u32,
    /// The sample count.
    pub denominator: u32,
    /// `None` when the denominator is zero.
    pub value: Option<f64>,
}

impl Rate {
    pub fn new(numerator: u32, denominator: u32) -> Rate {
        Rate {
            numerator,
            denominator,
            value: ratio(f64::from(numerator), denominator),
        }
    }
}

/// The arithmetic mean of `samples` values.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Average {
    pub samples: u32,
    /// `None` when there are no samples.
    pub value: Option<f64>,
}

impl Average {
    pub fn new(sum: f64, samples: u32) -> Average {
        Average {
            samples,
            value: ratio(sum, samples),
        }
    }
}

/// Summary of a set of durations, in seconds.
///
/// Percentiles use linear interpolation between closest ranks (Hyndman & Fan type 7, the method
/// of spreadsheet `PERCENTILE.INC` and of NumPy's default): for `n` sorted samples `x[0..n]` and a
/// fraction `p`, the position is `h = (n − 1)·p`, and the value `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] −
/// x[⌊h⌋])`. The median of an even sample is thus the mean of the two middle values.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct DurationStats {
    pub samples: u32,
    pub mean_seconds: Option<f64>,
    pub median_seconds: Option<f64>,
    pub p90_seconds: Option<f64>,
}

impl DurationStats {
    /// Summarises durations given in whole seconds, in any order.
    pub fn from_seconds(mut seconds: Vec<i64>) -> DurationStats {
        seconds.sort_unstable();
        let samples = u32::try_from(seconds.len()).unwrap_or(u32::MAX);
        // Summing in i128 cannot overflow for any realistic number of tickets.
        let sum: i128 = seconds.iter().map(|&s| i128::from(s)).sum();
        DurationStats {
            samples,
            mean_seconds: ratio(sum as f64, samples),
            median_seconds: percentile(&seconds, 50),
            p90_seconds: percentile(&seconds, 90),
        }
    }
}

/// The `percent`-th percentile of ascending `sorted` samples by linear interpolation (see
/// [`DurationStats`]); `None` for an empty sample or a percent above 100. Computed in integers
/// up to the final division so that hand-computed expectations hold exactly.
pub fn percentile(sorted: &[i64], percent: u8) -> Option<f64> {
    if sorted.is_empty() || percent > 100 {
        return None;
    }
    // h = (n − 1)·percent / 100 = whole + rest/100.
    let scaled = (sorted.len() - 1) * usize::from(percent);
    let whole = scaled / 100;
    let rest = scaled % 100;
    let low = sorted[whole];
    if rest == 0 {
        return Some(low as f64);
    }
    let high = sorted[whole + 1];
    let step = (i128::from(high) - i128::from(low)) * rest as i128;
    Some(low as f64 + step as f64 / 100.0)
}

fn ratio(numerator: f64, denominator: u32) -> Option<f64> {
    (denominator > 0).then(|| numerator / f64::from(denominator))
}
