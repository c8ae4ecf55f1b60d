//! Structured reference string (KZG powers of tau) in the halo2 `ParamsKZG` layout.

use crate::error::{Error, ErrorCode};
use halo2_axiom::halo2curves::bn256::{Bn256, Fr, G2Affine};
use halo2_axiom::poly::commitment::Params;
use halo2_axiom::poly::kzg::commitment::ParamsKZG;
use halo2_axiom::SerdeFormat;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, Once};

/// Seed of the development SRS. Its toxic waste is public: never use it in production.
const DEV_SEED: u64 = 0x0_6d72_6f6e_5f64_6576;

/// KZG parameters over BN254 for circuits of up to 2^k rows.
#[derive(Debug, Clone)]
pub struct Srs {
    params: Arc<ParamsKZG<Bn256>>,
    insecure: bool,
    /// Downsized copies by k (downsizing recomputes the Lagrange basis: do it once).
    reduced: Arc<Mutex<HashMap<u32, Arc<ParamsKZG<Bn256>>>>>,
}

fn dev_rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(DEV_SEED)
}

/// Every G1 point is on the curve, g starts at the generator, and the Lagrange
/// points sum to g[0] (Σ L_i(s) = 1): catches corrupted files cheaply.
fn well_formed(p: &ParamsKZG<Bn256>, lagrange_bytes: &[u8]) -> bool {
    use halo2_axiom::arithmetic::CurveAffine;
    use halo2_axiom::halo2curves::bn256::{G1Affine, G1};
    use halo2_axiom::halo2curves::serde::SerdeObject;
    use halo2_axiom::poly::commitment::ParamsProver;
    let g = p.get_g();
    let on_curve = g.iter().all(|pt| bool::from(pt.is_on_curve()));
    let mut lagrange_sum = <G1 as group::Group>::identity();
    for chunk in lagrange_bytes.chunks_exact(64) {
        match G1Affine::from_raw_bytes(chunk) {
            Some(pt) => lagrange_sum += pt,
            None => return false,
        }
    }
    on_curve
        && g.first() == Some(&G1Affine::generator())
        && G1Affine::from(lagrange_sum) == g[0]
        && p.g2() == G2Affine::generator()
        && powers_of_one_secret(g, &p.s_g2())
}

/// g[i+1] = s·g[i] for every i, with the same s as s_g2: one pairing equation over a
/// random combination, e(Σ rᵢ·g[i+1], G2) = e(Σ rᵢ·g[i], s·G2). Without it a file whose
/// s_g2 (or any G1 power) belongs to another secret would load, and its proofs would not
/// bind (or a development SRS could pass as a real one). A wrong file passes only with
/// probability about 2^-128.
fn powers_of_one_secret(g: &[halo2_axiom::halo2curves::bn256::G1Affine], s_g2: &G2Affine) -> bool {
    use ff::PrimeField;
    use halo2_axiom::halo2curves::pairing::Engine;
    use rand::RngCore;
    if g.len() < 2 {
        return false;
    }
    let mut rng = rand::thread_rng();
    let coeffs: Vec<Fr> = (0..g.len() - 1)
        .map(|_| {
            let mut bytes = [0u8; 32];
            rng.fill_bytes(&mut bytes[..16]);
            Fr::from_repr(bytes).expect("a 128-bit value is a field element")
        })
        .collect();
    let shifted = halo2_axiom::arithmetic::best_multiexp(&coeffs, &g[1..]);
    let base = halo2_axiom::arithmetic::best_multiexp(&coeffs, &g[..g.len() - 1]);
    Bn256::pairing(&shifted.into(), &G2Affine::generator()) == Bn256::pairing(&base.into(), s_g2)
}

fn dev_s_g2() -> G2Affine {
    use ff::Field;
    let s = Fr::random(dev_rng());
    (G2Affine::generator() * s).into()
}

impl Srs {
    /// A deterministic, INSECURE development SRS (its secret is derivable from a public
    /// seed). For tests and local networks only; every use is logged as insecure.
    pub fn development(k: u32) -> Srs {
        eprintln!("[omron_prover] WARNING: generating INSECURE development SRS (k={k})");
        Srs::wrap(ParamsKZG::setup(k, dev_rng()), true)
    }

    /// Reads a `kzg{k}.srs` file (halo2 `ParamsKZG` raw layout, as used by PSE and EZKL).
    pub fn read(bytes: &[u8]) -> Result<Srs, Error> {
        let bad = |m: &str| Error::new(ErrorCode::BadSrs, m.to_string());
        if bytes.len() < 4 {
            return Err(bad("SRS file is truncated"));
        }
        let k = u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes"));
        if k == 0 || k > 26 {
            return Err(bad("SRS file has an invalid k"));
        }
        let expected = 4 + 2 * (1usize << k) * 64 + 2 * 128;
        if bytes.len() != expected {
            return Err(Error::new(
                ErrorCode::BadSrs,
                format!(
                    "SRS file for k={k} must be {expected} bytes, got {}",
                    bytes.len()
                ),
            ));
        }
        let params = catch_unwind(AssertUnwindSafe(|| {
            ParamsKZG::<Bn256>::read_custom(&mut &bytes[..], SerdeFormat::RawBytes)
        }))
        .map_err(|_| bad("SRS file holds invalid curve points"))?
        .map_err(|e| Error::new(ErrorCode::BadSrs, format!("SRS file is invalid: {e}")))?;
        if !well_formed(
            &params,
            &bytes[4 + (1usize << k) * 64..4 + (2usize << k) * 64],
        ) {
            return Err(bad("SRS file holds invalid or inconsistent curve points"));
        }
        let insecure = params.s_g2() == dev_s_g2();
        Ok(Srs::wrap(params, insecure))
    }

    /// Serializes in the `ParamsKZG` raw layout (readable by [`Srs::read`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.params
            .write_custom(&mut out, SerdeFormat::RawBytes)
            .expect("write to Vec");
        out
    }

    /// log2 of the largest circuit this SRS supports.
    pub fn k(&self) -> u32 {
        self.params.k()
    }

    /// A copy reduced to 2^k points (recomputes the Lagrange basis).
    pub fn downsize(&self, k: u32) -> Result<Srs, Error> {
        if k > self.k() || k == 0 {
            return Err(Error::new(
                ErrorCode::BadSrs,
                format!("cannot downsize an SRS of k={} to k={k}", self.k()),
            ));
        }
        let params = self.reduced(k);
        Ok(Srs::wrap(Arc::unwrap_or_clone(params), self.insecure))
    }

    /// Whether this is the development SRS (public toxic waste).
    pub fn is_insecure(&self) -> bool {
        self.insecure
    }

    fn wrap(params: ParamsKZG<Bn256>, insecure: bool) -> Srs {
        Srs {
            params: Arc::new(params),
            insecure,
            reduced: Arc::default(),
        }
    }

    fn reduced(&self, k: u32) -> Arc<ParamsKZG<Bn256>> {
        if k == self.k() {
            return self.params.clone();
        }
        let mut cache = self.reduced.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(k)
            .or_insert_with(|| {
                let mut p = (*self.params).clone();
                p.downsize(k);
                Arc::new(p)
            })
            .clone()
    }

    /// Parameters of exactly `k` (downsized and cached when larger), logging insecure use
    /// once per process: a warning on every proof would bury every other log line.
    pub(crate) fn for_k(&self, k: u32, what: &str) -> Result<Arc<ParamsKZG<Bn256>>, Error> {
        static INSECURE_WARNING: Once = Once::new();
        if self.insecure {
            INSECURE_WARNING.call_once(|| {
                eprintln!(
                    "[omron_prover] WARNING: {what} uses the INSECURE development SRS (its secret is public; tests and local networks only). Shown once per process."
                );
            });
        }
        if self.k() < k {
            return Err(Error::new(
                ErrorCode::BadSrs,
                format!(
                    "the circuit needs an SRS of k>={k}, this one has k={}",
                    self.k()
                ),
            ));
        }
        Ok(self.reduced(k))
    }
}
