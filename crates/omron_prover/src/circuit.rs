//! The halo2 circuit: column configuration, gates, the shared lookup, and synthesis
//! of a [`Grid`].

use crate::layout::{fx, Grid};
use halo2_axiom::circuit::{Layouter, SimpleFloorPlanner, Value};
use halo2_axiom::halo2curves::bn256::Fr;
use halo2_axiom::plonk::{
    Advice, Circuit, Column, ConstraintSystem, Error as PlonkError, Expression, Fixed, Instance,
};
use halo2_axiom::poly::Rotation;
use std::sync::Arc;

/// Circuit shape parameters (what `configure` depends on).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CircuitParams {
    /// Weight columns per dot row (W ≥ 2).
    pub width: usize,
}

/// Column handles.
#[derive(Debug, Clone)]
pub struct Config {
    a: Vec<Column<Advice>>,
    acc: Column<Advice>,
    fixed: Vec<Column<Fixed>>,
    table: [Column<Fixed>; 3],
    instance: Column<Instance>,
}

/// Everything keygen needs: fixed values, table, copy constraints.
#[derive(Debug)]
pub struct FixedPart {
    pub grid: Grid,
    pub table: Vec<[i64; 3]>,
}

/// The model circuit; `advice` is `None` for keygen.
#[derive(Clone)]
pub struct ModelCircuit {
    pub params: CircuitParams,
    pub fixed: Arc<FixedPart>,
    pub advice: Option<Arc<Vec<Vec<Fr>>>>,
}

/// Integer to field element (negative values map to p - |v|).
pub fn fr(v: i64) -> Fr {
    if v >= 0 {
        Fr::from(v as u64)
    } else {
        -Fr::from(v.unsigned_abs())
    }
}

impl Circuit<Fr> for ModelCircuit {
    type Config = Config;
    type FloorPlanner = SimpleFloorPlanner;
    type Params = CircuitParams;

    fn without_witnesses(&self) -> Self {
        ModelCircuit {
            advice: None,
            ..self.clone()
        }
    }

    fn params(&self) -> CircuitParams {
        self.params
    }

    fn configure(_meta: &mut ConstraintSystem<Fr>) -> Config {
        unreachable!("configure_with_params is always used")
    }

    fn configure_with_params(meta: &mut ConstraintSystem<Fr>, params: CircuitParams) -> Config {
        configure(meta, params.width)
    }

    fn synthesize(&self, cfg: Config, mut layouter: impl Layouter<Fr>) -> Result<(), PlonkError> {
        let fixed = &self.fixed;
        let g = &fixed.grid;
        let cells = layouter.assign_region(
            || "model",
            |mut region| {
                for (col, values) in cfg.fixed.iter().zip(&g.fixed) {
                    for (row, &v) in values.iter().enumerate() {
                        if v != 0 {
                            region.assign_fixed(*col, row, fr(v));
                        }
                    }
                }
                for (row, entry) in fixed.table.iter().enumerate() {
                    for (col, &v) in cfg.table.iter().zip(entry) {
                        region.assign_fixed(*col, row, fr(v));
                    }
                }
                let columns: Vec<Column<Advice>> = cfg.a.iter().copied().chain([cfg.acc]).collect();
                let mut cells = Vec::with_capacity(columns.len());
                for (c, col) in columns.iter().enumerate() {
                    let mut col_cells = Vec::with_capacity(g.rows);
                    for row in 0..g.rows {
                        let v = match &self.advice {
                            Some(adv) => Value::known(adv[c][row]),
                            None => Value::unknown(),
                        };
                        col_cells.push(region.assign_advice(*col, row, v).cell());
                    }
                    cells.push(col_cells);
                }
                for (x, y) in &g.copies {
                    region.constrain_equal(cells[x.col][x.row], cells[y.col][y.row]);
                }
                Ok(cells)
            },
        )?;
        for (i, c) in g.inputs.iter().chain(&g.outputs).enumerate() {
            layouter.constrain_instance(cells[c.col][c.row], cfg.instance, i);
        }
        Ok(())
    }
}

fn configure(meta: &mut ConstraintSystem<Fr>, width: usize) -> Config {
    let a: Vec<_> = (0..width).map(|_| meta.advice_column()).collect();
    let acc = meta.advice_column();
    let fixed: Vec<_> = (0..width + fx::COUNT)
        .map(|_| meta.fixed_column())
        .collect();
    let table = [
        meta.fixed_column(),
        meta.fixed_column(),
        meta.fixed_column(),
    ];
    let instance = meta.instance_column();
    for c in a.iter().chain([&acc]) {
        meta.enable_equality(*c);
    }
    meta.enable_equality(instance);
    let named = |n: usize| fixed[width + n];

    meta.create_gate("dot", |m| {
        let q = m.query_fixed(named(fx::Q_DOT), Rotation::cur());
        let chain = m.query_fixed(named(fx::Q_CHAIN), Rotation::cur());
        let qmul = m.query_fixed(named(fx::Q_MUL), Rotation::cur());
        let c = m.query_fixed(named(fx::C), Rotation::cur());
        let acc_cur = m.query_advice(acc, Rotation::cur());
        let acc_prev = m.query_advice(acc, Rotation::prev());
        let mut sum = chain * acc_prev + c;
        for i in 0..width {
            sum = sum
                + m.query_advice(a[i], Rotation::cur()) * m.query_fixed(fixed[i], Rotation::cur());
        }
        sum = sum
            + qmul * m.query_advice(a[0], Rotation::cur()) * m.query_advice(a[1], Rotation::cur());
        vec![q * (acc_cur - sum)]
    });

    meta.create_gate("requantize", |m| {
        let q = m.query_fixed(named(fx::Q_DEC), Rotation::cur());
        let half = m.query_fixed(named(fx::C), Rotation::cur());
        let pow_d = m.query_fixed(fixed[0], Rotation::cur());
        let pow_e = m.query_fixed(fixed[1], Rotation::cur());
        let (qid, qlut, qrelu) = (
            m.query_fixed(named(fx::Q_ID), Rotation::cur()),
            m.query_fixed(named(fx::Q_LUT), Rotation::cur()),
            m.query_fixed(named(fx::Q_RELU), Rotation::cur()),
        );
        let x = m.query_advice(acc, Rotation::cur());
        let quot = m.query_advice(acc, Rotation::next());
        let out = m.query_advice(acc, Rotation(2));
        let rem = m.query_advice(a[0], Rotation::cur());
        let lo = m.query_advice(a[0], Rotation::next());
        let hi = m.query_advice(a[0], Rotation(2));
        let y = m.query_advice(a[1], Rotation(2));
        vec![
            q.clone() * (x + half - quot.clone() * pow_d - rem),
            q.clone() * (quot.clone() - hi * pow_e - lo),
            q * (out - qid * quot.clone() - qlut * y.clone() - qrelu * quot * y),
        ]
    });

    meta.lookup_any("table", |m| {
        let q = m.query_fixed(named(fx::Q_LK), Rotation::cur());
        let tag = m.query_fixed(named(fx::TAG), Rotation::cur());
        let x = m.query_advice(a[0], Rotation::cur());
        let y = m.query_advice(a[1], Rotation::cur());
        let t: Vec<Expression<Fr>> = table
            .iter()
            .map(|c| m.query_fixed(*c, Rotation::cur()))
            .collect();
        vec![
            (tag, t[0].clone()),
            (q.clone() * x, t[1].clone()),
            (q * y, t[2].clone()),
        ]
    });

    Config {
        a,
        acc,
        fixed,
        table,
        instance,
    }
}
