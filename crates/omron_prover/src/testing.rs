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
