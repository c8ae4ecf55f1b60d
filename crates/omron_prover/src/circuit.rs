//! The halo2 circuit: column configuration, gates, the shared lookup, and synthesis
//! of a [`Grid`].

use crate::layout::{
    fc, fixed_columns, fold_col, fold_width, fx, slot_fixed_base, Grid, SLOT_FIXED,
};
use halo2_axiom::circuit::{Layouter, SimpleFloorPlanner, Value};
use halo2_axiom::halo2curves::bn256::Fr;
use halo2_axiom::plonk::{
    Advice, Challenge, Circuit, Column, ConstraintSystem, Error as PlonkError, Expression,
    FirstPhase, Fixed, Instance, SecondPhase,
};
use halo2_axiom::poly::Rotation;
use std::sync::Arc;

/// Circuit shape parameters (what `configure` depends on).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CircuitParams {
    /// Weight columns per dot row (W ≥ 2).
    pub width: usize,
    /// Whether the circuit has the challenge (Freivalds) check of linear layers.
    pub phase2: bool,
    /// Requantization slots per band (≥ 1; one lookup argument each).
    pub groups: usize,
}

/// Column handles.
#[derive(Debug, Clone)]
pub struct Config {
    a: Vec<Column<Advice>>,
    acc: Column<Advice>,
    fixed: Vec<Column<Fixed>>,
    table: [Column<Fixed>; 3],
    instance: Column<Instance>,
    /// h, u, t and the challenges r, s (when `phase2`).
    phase2: Option<([Column<Advice>; 3], Challenge, Challenge)>,
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
        configure(meta, params)
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
                let columns: Vec<Column<Advice>> = cfg
                    .a
                    .iter()
                    .copied()
                    .chain([cfg.acc])
                    .chain(cfg.phase2.iter().flat_map(|p| p.0))
                    .collect();
                let phase1 = cfg.a.len() + 1;
                // Phase-2 values depend on the challenges: the prover's first synthesis
                // pass (challenges unknown) writes zeros that its second pass overwrites
                // before they are committed; copies are recorded in the first pass.
                let phase2: Option<Vec<Vec<Fr>>> = match (&cfg.phase2, &self.advice) {
                    (Some((_, r, s)), Some(adv)) => {
                        let (r, s) = (region.get_challenge(*r), region.get_challenge(*s));
                        let mut out = vec![vec![Fr::zero(); g.rows]; 3];
                        r.zip(s).map(|(r, s)| out = phase2_values(g, adv, r, s));
                        Some(out)
                    }
                    _ => None,
                };
                let mut cells = Vec::with_capacity(columns.len());
                for (c, col) in columns.iter().enumerate() {
                    let mut col_cells = Vec::with_capacity(g.rows);
                    for row in 0..g.rows {
                        let v = match (&self.advice, &phase2) {
                            (Some(adv), _) if c < phase1 => Value::known(adv[c][row]),
                            (Some(_), Some(p2)) => Value::known(p2[c - phase1][row]),
                            _ => Value::unknown(),
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

/// Values of the phase-2 columns h, u, t for phase-1 `advice` and challenges r, s,
/// evaluated row by row exactly as the gates of [`configure`] read them.
pub fn phase2_values(g: &Grid, advice: &[Vec<Fr>], r: Fr, s: Fr) -> Vec<Vec<Fr>> {
    let w = g.width;
    let fold = g.fold();
    let f = |col: usize, row: usize| g.fixed[col][row];
    let named = |n: usize, row: usize| g.fixed[w + n][row];
    let mut h = vec![Fr::zero(); g.rows];
    let mut u = vec![Fr::zero(); g.rows];
    let mut t = vec![Fr::zero(); g.rows];
    let mut links = g.u_links.clone();
    links.sort_unstable();
    let mut links = links.into_iter().peekable();
    for row in 0..g.rows {
        while let Some(&(at, src)) = links.peek() {
            if at != row {
                break;
            }
            u[row] = h[src];
            links.next();
        }
        let prev = |v: &[Fr]| if row > 0 { v[row - 1] } else { Fr::zero() };
        let chain = fr(named(fx::Q_CHAIN, row));
        for (sel, base, adv) in [
            (fc::HRA, r, true),
            (fc::HSA, s, true),
            (fc::HRF, r, false),
            (fc::HSF, s, false),
        ] {
            if named(sel, row) != 0 {
                let mut acc = chain * prev(&h);
                if adv {
                    for (i, column) in advice.iter().enumerate().take(w) {
                        acc = acc * base + fr(f(i, row)) * column[row];
                    }
                } else {
                    for i in 0..fold {
                        acc = acc * base + fr(f(fold_col(w, true, g.groups, i), row));
                    }
                }
                h[row] = acc;
            }
        }
        if named(fc::HU, row) != 0 {
            h[row] = chain * s * prev(&h) + u[row];
        }
        if named(fc::T, row) != 0 {
            t[row] =
                fr(named(fc::TCHAIN, row)) * prev(&t) + fr(named(fc::PROD, row)) * h[row] * u[row];
        }
    }
    vec![h, u, t]
}

fn configure(meta: &mut ConstraintSystem<Fr>, params: CircuitParams) -> Config {
    let width = params.width;
    let a: Vec<_> = (0..width).map(|_| meta.advice_column()).collect();
    let acc = meta.advice_column();
    let groups = params.groups.max(1);
    let fixed: Vec<_> = (0..fixed_columns(width, params.phase2, groups))
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
        let top_d = m.query_fixed(fixed[0], Rotation(2));
        let top_e = m.query_fixed(fixed[1], Rotation(2));
        let x = m.query_advice(acc, Rotation::cur());
        let quot = m.query_advice(acc, Rotation::next());
        let out = m.query_advice(acc, Rotation(2));
        let rem = m.query_advice(a[0], Rotation::cur());
        let lo = m.query_advice(a[0], Rotation::next());
        let hi = m.query_advice(a[0], Rotation(2));
        let rem_top = m.query_advice(a[1], Rotation::cur());
        let lo_top = m.query_advice(a[1], Rotation::next());
        let y = m.query_advice(a[1], Rotation(2));
        requant_constraints(
            q,
            [x, quot, out],
            [rem, lo, hi],
            [rem_top, lo_top, y],
            [pow_d, pow_e, half, top_d, top_e],
            [qid, qlut, qrelu],
        )
    });

    meta.lookup_any("table", |m| {
        let q = m.query_fixed(named(fx::Q_LK), Rotation::cur());
        let qfn = m.query_fixed(named(fx::Q_FN), Rotation::cur());
        let tag = m.query_fixed(named(fx::TAG), Rotation::cur());
        let x = m.query_advice(a[0], Rotation::cur());
        let y = m.query_advice(a[1], Rotation::cur());
        let t: Vec<Expression<Fr>> = table
            .iter()
            .map(|c| m.query_fixed(*c, Rotation::cur()))
            .collect();
        vec![
            (tag, t[0].clone()),
            (q * x, t[1].clone()),
            (qfn * y, t[2].clone()),
        ]
    });

    for g in 1..groups {
        let base = slot_fixed_base(width, params.phase2) + SLOT_FIXED * (g - 1);
        configure_slot(meta, &a, &fixed, &table, base, g);
    }
    let phase2 = params
        .phase2
        .then(|| configure_phase2(meta, &a, &fixed, width, groups));
    Config {
        a,
        acc,
        fixed,
        table,
        instance,
        phase2,
    }
}

/// Requantization slot g ≥ 1 of a band: columns a_(3g-1) (x, q, out), a_(3g) (remainder,
/// lo, hi), a_(3g+1) (y); constants in the slot's weight columns (see `layout::lay_act`);
/// its own lookup into the shared table.
fn configure_slot(
    meta: &mut ConstraintSystem<Fr>,
    a: &[Column<Advice>],
    fixed: &[Column<Fixed>],
    table: &[Column<Fixed>; 3],
    base: usize,
    g: usize,
) {
    let (cx, cr, cy) = (3 * g - 1, 3 * g, 3 * g + 1);
    let (q_dec, tag, q_lk, q_fn) = (
        fixed[base],
        fixed[base + 1],
        fixed[base + 2],
        fixed[base + 3],
    );
    meta.create_gate("requantize (packed slot)", |m| {
        let q = m.query_fixed(q_dec, Rotation::cur());
        let pow_d = m.query_fixed(fixed[cx], Rotation::cur());
        let pow_e = m.query_fixed(fixed[cr], Rotation::cur());
        let half = m.query_fixed(fixed[cy], Rotation::cur());
        let qid = m.query_fixed(fixed[cx], Rotation::next());
        let qlut = m.query_fixed(fixed[cr], Rotation::next());
        let qrelu = m.query_fixed(fixed[cy], Rotation::next());
        let top_d = m.query_fixed(fixed[cx], Rotation(2));
        let top_e = m.query_fixed(fixed[cr], Rotation(2));
        let x = m.query_advice(a[cx], Rotation::cur());
        let quot = m.query_advice(a[cx], Rotation::next());
        let out = m.query_advice(a[cx], Rotation(2));
        let rem = m.query_advice(a[cr], Rotation::cur());
        let lo = m.query_advice(a[cr], Rotation::next());
        let hi = m.query_advice(a[cr], Rotation(2));
        let rem_top = m.query_advice(a[cy], Rotation::cur());
        let lo_top = m.query_advice(a[cy], Rotation::next());
        let y = m.query_advice(a[cy], Rotation(2));
        requant_constraints(
            q,
            [x, quot, out],
            [rem, lo, hi],
            [rem_top, lo_top, y],
            [pow_d, pow_e, half, top_d, top_e],
            [qid, qlut, qrelu],
        )
    });
    meta.lookup_any("table (packed slot)", |m| {
        let q = m.query_fixed(q_lk, Rotation::cur());
        let qfn = m.query_fixed(q_fn, Rotation::cur());
        let t = m.query_fixed(tag, Rotation::cur());
        let x = m.query_advice(a[cr], Rotation::cur());
        let y = m.query_advice(a[cy], Rotation::cur());
        let tc: Vec<Expression<Fr>> = table
            .iter()
            .map(|c| m.query_fixed(*c, Rotation::cur()))
            .collect();
        vec![
            (t, tc[0].clone()),
            (q * x, tc[1].clone()),
            (qfn * y, tc[2].clone()),
        ]
    });
}

/// The constraints of a requantization block (gated by `q` on its first row), given its
/// cells (x, q, out), (low of r, low of lo, hi), (top of r, top of lo, y), its constants
/// (2^d, 2^e, half, top multipliers of r and lo) and kind flags (identity, table, ReLU):
///   x + half = q·2^d + r,  q = hi·2^e + lo,  out per kind,
/// with r = r_top·m_d + r_low and lo = lo_top·m_e + lo_low (lows in the table, tops in
/// {0, 1, 2, 3} by a degree-4 product; see `table::TOP_BITS`).
fn requant_constraints(
    q: Expression<Fr>,
    [x, quot, out]: [Expression<Fr>; 3],
    [rem, lo, hi]: [Expression<Fr>; 3],
    [rem_top, lo_top, y]: [Expression<Fr>; 3],
    [pow_d, pow_e, half, top_d, top_e]: [Expression<Fr>; 5],
    [qid, qlut, qrelu]: [Expression<Fr>; 3],
) -> Vec<Expression<Fr>> {
    let in_0_to_3 = |v: Expression<Fr>| {
        let c = |n: u64| Expression::Constant(Fr::from(n));
        v.clone() * (v.clone() - c(1)) * (v.clone() - c(2)) * (v - c(3))
    };
    vec![
        q.clone() * (x + half - quot.clone() * pow_d - rem_top.clone() * top_d - rem),
        q.clone() * (quot.clone() - hi * pow_e - lo_top.clone() * top_e - lo),
        q.clone() * (out - qid * quot.clone() - qlut * y.clone() - qrelu * quot * y),
        q.clone() * in_0_to_3(rem_top),
        q * in_0_to_3(lo_top),
    ]
}

/// The challenge check's columns and gates (see `layout::lay_check`).
fn configure_phase2(
    meta: &mut ConstraintSystem<Fr>,
    a: &[Column<Advice>],
    fixed: &[Column<Fixed>],
    width: usize,
    groups: usize,
) -> ([Column<Advice>; 3], Challenge, Challenge) {
    let r = meta.challenge_usable_after(FirstPhase);
    let s = meta.challenge_usable_after(FirstPhase);
    let cols = [
        meta.advice_column_in(SecondPhase),
        meta.advice_column_in(SecondPhase),
        meta.advice_column_in(SecondPhase),
    ];
    // h and u take copies; t is closed against h by a gate.
    let [h, u, t] = cols;
    meta.enable_equality(h);
    meta.enable_equality(u);
    let named = |n: usize| fixed[width + n];
    for (name, sel, base, adv) in [
        ("horner r·advice", fc::HRA, r, true),
        ("horner s·advice", fc::HSA, s, true),
        ("horner r·fixed", fc::HRF, r, false),
        ("horner s·fixed", fc::HSF, s, false),
    ] {
        meta.create_gate(name, |m| {
            let q = m.query_fixed(named(sel), Rotation::cur());
            let chain = m.query_fixed(named(fx::Q_CHAIN), Rotation::cur());
            let base = m.query_challenge(base);
            let mut acc = chain * m.query_advice(h, Rotation::prev());
            if adv {
                for i in 0..width {
                    let wi = m.query_fixed(fixed[i], Rotation::cur());
                    acc = acc * base.clone() + wi * m.query_advice(a[i], Rotation::cur());
                }
            } else {
                // Fixed-only chains are wider (see `layout::FOLD_MIN`).
                for i in 0..fold_width(width, true) {
                    let fi =
                        m.query_fixed(fixed[fold_col(width, true, groups, i)], Rotation::cur());
                    acc = acc * base.clone() + fi;
                }
            }
            vec![q * (m.query_advice(h, Rotation::cur()) - acc)]
        });
    }
    meta.create_gate("horner s·u", |m| {
        let q = m.query_fixed(named(fc::HU), Rotation::cur());
        let chain = m.query_fixed(named(fx::Q_CHAIN), Rotation::cur());
        let s = m.query_challenge(s);
        let next =
            chain * s * m.query_advice(h, Rotation::prev()) + m.query_advice(u, Rotation::cur());
        vec![q * (m.query_advice(h, Rotation::cur()) - next)]
    });
    meta.create_gate("Σ v·Z", |m| {
        let q = m.query_fixed(named(fc::T), Rotation::cur());
        let chain = m.query_fixed(named(fc::TCHAIN), Rotation::cur());
        let prod = m.query_fixed(named(fc::PROD), Rotation::cur());
        let next = chain * m.query_advice(t, Rotation::prev())
            + prod * m.query_advice(h, Rotation::cur()) * m.query_advice(u, Rotation::cur());
        vec![q * (m.query_advice(t, Rotation::cur()) - next)]
    });
    meta.create_gate("check closes", |m| {
        let q = m.query_fixed(named(fc::CLOSE), Rotation::cur());
        vec![q * (m.query_advice(h, Rotation::cur()) - m.query_advice(t, Rotation::cur()))]
    });
    (cols, r, s)
}
