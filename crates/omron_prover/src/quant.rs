//! Fixed-point quantization: x_q = round(x * 2^scale).

/// Quantizes a float at `scale` bits of fraction, rounding half away from zero.
pub fn quantize(x: f64, scale: u32) -> i64 {
    (x * f64::from(1u32 << scale)).round() as i64
}

/// Inverse of [`quantize`] (up to rounding).
pub fn dequantize(q: i64, scale: u32) -> f64 {
    q as f64 / f64::from(1u32 << scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_within_half_a_step() {
        for &x in &[0.0, 1.0, -1.0, 0.123_456, -3.75, 1e-5] {
            let back = dequantize(quantize(x, 13), 13);
            assert!((back - x).abs() <= 0.5 / 8192.0, "{x} -> {back}");
        }
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(quantize(0.5 / 8192.0, 13), 1);
        assert_eq!(quantize(-0.5 / 8192.0, 13), -1);
    }
}
