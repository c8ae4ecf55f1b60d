//! Test support (hidden from docs): MockProver runs over a witness grid that a test
//! may tamper with, to show every op kind's constraints bite.

use crate::circuit::ModelCircuit;
use crate::compile::CompiledModel;
use crate::error::Error;
use crate::ir::{ActKind, Op};
use crate::prove::{advice_fr, instance_column, witness};
use halo2_axiom::dev::MockProver;
use std::sync::Arc;

/// An advice cell of the witness grid (column `width` is the accumulator).
pub use crate::layout::Cell;

/// A witness a test can tamper with.
pub struct TamperableWitness {
    pub advice: Vec<Vec<i64>>,
    pub public: crate::PublicInputs,
    /// Home cell and kind name of every IR value.
    pub ops: Vec<(&'static str, Cell)>,
}

/// Kind name of an op, for choosing cells per op kind.
pub fn op_kind(op: &Op) -> &'static str {
    match op {
        Op::Input { .. } => "input",
        Op::Dot { mul: Some(_), .. } => "mul",
        Op::Dot { .. } => "dot",
        Op::Act {
            kind: ActKind::Identity,
            ..
        } => "rescale",
        Op::Act {
            kind: ActKind::Relu,
            ..
        } => "relu",
        Op::Act {
            kind: ActKind::Lut(f),
            ..
        } => f.name(),
        Op::Product { .. } => "product",
    }
}

/// Builds the honest witness for `inputs`.
pub fn tamperable(model: &CompiledModel, inputs: &[Vec<f64>]) -> Result<TamperableWitness, Error> {
    let w = witness(model, inputs)?;
    let ops = model
        .program
        .ops
        .iter()
        .zip(&w.grid.homes)
        .map(|(op, &c)| (op_kind(op), c))
        .collect();
    Ok(TamperableWitness {
        advice: w.grid.advice,
        public: w.public,
        ops,
    })
}

/// Runs MockProver on (possibly tampered) advice; `Ok(())` when all constraints hold,
/// otherwise the failures (Debug-formatted: gate, lookup or permutation).
pub fn mock_verify(
    model: &CompiledModel,
    advice: &[Vec<i64>],
    public: &crate::PublicInputs,
) -> Result<(), Vec<String>> {
    let grid = crate::layout::Grid {
        advice: advice.to_vec(),
        ..model.fixed.grid.clone()
    };
    let advice = Some(Arc::new(advice_fr(&grid)));
    let circuit = ModelCircuit {
        params: model.params,
        fixed: model.fixed.clone(),
        advice,
    };
    let prover = MockProver::run(model.settings.k, &circuit, vec![instance_column(public)])
        .map_err(|e| vec![format!("{e:?}")])?;
    prover
        .verify()
        .map_err(|e| e.iter().map(|f| format!("{f:?}")).collect())
}

/// Low-part column, top-part column and top multiplier of a block's remainder.
type RemainderCells = (usize, usize, i64);

/// A "wrong product of the right shape": adds ±1 to `Product` value `op` in its home and
/// in every cell copied from it, and moves the remainder of each requantization block
/// that reads it by the same amount, so that every gate, lookup and copy outside the
/// layer's challenge check still holds. Returns false when `op` is not a product.
pub fn shift_product(model: &CompiledModel, w: &mut TamperableWitness, op: usize) -> bool {
    let g = &model.fixed.grid;
    if !matches!(model.program.ops[op], Op::Product { .. }) {
        return false;
    }
    let home = g.homes[op];
    let targets: Vec<Cell> = g
        .copies
        .iter()
        .filter(|(a, _)| *a == home)
        .map(|&(_, b)| b)
        .collect();
    // Each reading block's remainder r = top·m + low (see `table::TOP_BITS`) moves with
    // the product; keep every remainder in range: subtract where all are positive.
    let blocks: Vec<(Cell, Option<RemainderCells>)> = targets
        .iter()
        .map(|&c| {
            let slot = g.slot_at(c).map(|slot| {
                let (_, cr, cy) = g.slot_cols(slot);
                (cr, cy, g.fixed[g.slot_top_multipliers(slot).0][c.row + 2])
            });
            (c, slot)
        })
        .collect();
    let remainder = |w: &TamperableWitness, c: Cell, (cr, cy, m): (usize, usize, i64)| {
        w.advice[cy][c.row] * m + w.advice[cr][c.row]
    };
    let delta = if blocks
        .iter()
        .all(|&(c, b)| b.is_none_or(|b| remainder(w, c, b) > 0))
    {
        -1
    } else {
        1
    };
    w.advice[home.col][home.row] += delta;
    for (c, block) in blocks {
        w.advice[c.col][c.row] += delta;
        if let Some((cr, cy, m)) = block {
            let r = remainder(w, c, (cr, cy, m)) + delta;
            let (top, low) = if m == 0 {
                (0, r)
            } else {
                (r.div_euclid(m), r.rem_euclid(m))
            };
            w.advice[cy][c.row] = top;
            w.advice[cr][c.row] = low;
        }
    }
    true
}

/// Creates a real proof from (possibly tampered) advice, skipping the witness checks a
/// normal `prove` does; verifying it shows what the verifier catches.
pub fn prove_advice(
    model: &CompiledModel,
    pk: &crate::ProvingKey,
    srs: &crate::Srs,
    advice: &[Vec<i64>],
    public: &crate::PublicInputs,
) -> Vec<u8> {
    use halo2_axiom::halo2curves::bn256::{Bn256, G1Affine};
    use halo2_axiom::poly::kzg::commitment::KZGCommitmentScheme;
    use halo2_axiom::poly::kzg::multiopen::ProverSHPLONK;
    use halo2_axiom::transcript::{Blake2bWrite, Challenge255, TranscriptWriterBuffer};
    let grid = crate::layout::Grid {
        advice: advice.to_vec(),
        ..model.fixed.grid.clone()
    };
    let circuit = ModelCircuit {
        params: model.params,
        fixed: model.fixed.clone(),
        advice: Some(Arc::new(advice_fr(&grid))),
    };
    let s = &model.settings;
    let params = srs.for_k(s.k, "prove").expect("srs");
    let instance = instance_column(public);
    let mut transcript = Blake2bWrite::<_, G1Affine, Challenge255<_>>::init(vec![]);
    halo2_axiom::plonk::create_proof::<
        KZGCommitmentScheme<Bn256>,
        ProverSHPLONK<'_, Bn256>,
        _,
        _,
        _,
        _,
    >(
        &*params,
        &pk.pk,
        &[circuit],
        &[&[&instance]],
        rand::rngs::OsRng,
        &mut transcript,
    )
    .expect("create_proof");
    let hash = s.model_hash_bytes().expect("hash");
    crate::envelope::seal(
        crate::envelope::PROOF_MAGIC,
        s.k,
        &hash,
        &transcript.finalize(),
        false,
    )
}

/// Remainder/lo/hi column of the requantization block whose output cell is `out`.
pub fn remainder_column(model: &CompiledModel, out: Cell) -> Option<usize> {
    model.fixed.grid.block_at(Cell {
        col: out.col,
        row: out.row - 2,
    })
}

/// Columns and first row of the requantization block whose output cell is `out`:
/// (x/q/out column, low-part/hi column, top-part/y column, first row). Row 0 holds x, the
/// remainder's low and top parts; row 1 q and lo's low and top parts; row 2 out, hi, y.
pub fn block_cells(model: &CompiledModel, out: Cell) -> Option<(usize, usize, usize, usize)> {
    let g = &model.fixed.grid;
    let first = Cell {
        col: out.col,
        row: out.row.checked_sub(2)?,
    };
    let slot = g.slot_at(first)?;
    let (cx, cr, cy) = g.slot_cols(slot);
    Some((cx, cr, cy, first.row))
}
