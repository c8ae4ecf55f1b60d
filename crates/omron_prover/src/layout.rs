//! Lays a [`Program`] out on the circuit grid and, in the same pass, computes the
//! witness (the integer forward pass). Compile runs it with zero inputs to obtain the
//! fixed columns and copy constraints; prove runs it with the real inputs.
//!
//! Columns: advice a[0..W) and acc; fixed w[0..W) plus the named columns in [`fx`].
//! Row kinds: dot rows (acc = chain·acc_prev + Σ a_i·w_i + c + mul·a_0·a_1),
//! 3-row requantization blocks (see `Op::Act`) and packed public-input rows.

use crate::error::{Error, ErrorCode};
use crate::ir::{ActKind, Linear, Op, Program};
use crate::requant::{overflow, requantize, OutOfRange, Requant};
use crate::table::{low_bits, lut_tag, range_tag, split_top, top_multiplier, LookupSpec, SIGN_TAG};

/// Offsets of the named fixed columns, after the W weight columns.
pub mod fx {
    pub const C: usize = 0;
    pub const Q_DOT: usize = 1;
    pub const Q_CHAIN: usize = 2;
    pub const Q_MUL: usize = 3;
    pub const Q_DEC: usize = 4;
    pub const Q_ID: usize = 5;
    pub const Q_LUT: usize = 6;
    pub const Q_RELU: usize = 7;
    pub const Q_LK: usize = 8;
    pub const TAG: usize = 9;
    /// 1 on the function row of a requantization block: only there is a_1 (y) part of
    /// the looked-up tuple, so a_1 holds the remainders' top parts on the other rows.
    pub const Q_FN: usize = 10;
    /// Number of named fixed columns.
    pub const COUNT: usize = 11;
}

/// Named fixed columns of the challenge (Freivalds) check, after [`fx`]'s; present only
/// when the program has [`Linear`] layers. Phase-2 advice columns: h (Horner
/// accumulator), u (a copied phase-2 operand), t (the Σ v_k·Z_k accumulator).
pub mod fc {
    /// h = chain·r^W·h' + Σ r^(W-1-i)·w_i·a_i (outputs Y[·][pos], over channels).
    pub const HRA: usize = super::fx::COUNT;
    /// h = chain·s^W·h' + Σ s^(W-1-i)·w_i·a_i (inputs X[k][·], over positions).
    pub const HSA: usize = HRA + 1;
    /// h = chain·r^W·h' + Σ r^(W-1-i)·w_i (v_k = Σ_o r^o·W[o][k] from fixed weights).
    pub const HRF: usize = HRA + 2;
    /// h = chain·s^W·h' + Σ s^(W-1-i)·w_i (the bias channel Σ_p s^p).
    pub const HSF: usize = HRA + 3;
    /// h = chain·s·h' + u (Σ_p s^p·R_p over the per-position output sums).
    pub const HU: usize = HRA + 4;
    /// t = tchain·t' + prod·h·u.
    pub const T: usize = HRA + 5;
    pub const TCHAIN: usize = HRA + 6;
    pub const PROD: usize = HRA + 7;
    /// h = t (the check's two sides agree).
    pub const CLOSE: usize = HRA + 8;
    /// Number of these columns.
    pub const COUNT: usize = 9;
}

/// Phase-2 advice column offsets after the W+1 phase-1 columns.
pub const PHASE2_COLUMNS: usize = 3;

/// Fixed columns per requantization slot g ≥ 1: q_dec, tag, q_lookup, q_fn.
pub const SLOT_FIXED: usize = 4;

/// Fewest terms per row of the challenge check's chains over fixed values only (the
/// folded weights v_k = Σ_o r^o·W[o][k] and the bias channel). Those rows read no advice
/// but h, so they take extra fixed columns instead of rows: a fixed column costs the
/// prover nothing per proof (its evaluations are in the proving key) and the verifier one
/// opening (32 proof bytes), while a row costs every advice column a cell.
pub const FOLD_MIN: usize = 16;

/// Terms per row of the fixed-only chains (0 without a challenge check).
pub fn fold_width(width: usize, phase2: bool) -> usize {
    if phase2 {
        width.max(FOLD_MIN)
    } else {
        0
    }
}

/// First fixed column of the requantization slots g ≥ 1.
pub fn slot_fixed_base(width: usize, phase2: bool) -> usize {
    width + fx::COUNT + if phase2 { fc::COUNT } else { 0 }
}

/// First of the fold columns beyond the W weight columns.
pub fn fold_base(width: usize, phase2: bool, groups: usize) -> usize {
    slot_fixed_base(width, phase2) + SLOT_FIXED * groups.saturating_sub(1)
}

/// Fixed column of term `i` of a fixed-only chain row: the weight columns first, then
/// the extra fold columns.
pub fn fold_col(width: usize, phase2: bool, groups: usize, i: usize) -> usize {
    if i < width {
        i
    } else {
        fold_base(width, phase2, groups) + i - width
    }
}

/// Fixed columns of a grid (weights, named, challenge check, slots, fold).
pub fn fixed_columns(width: usize, phase2: bool, groups: usize) -> usize {
    fold_base(width, phase2, groups) + fold_width(width, phase2) - if phase2 { width } else { 0 }
}

/// An advice cell: column (W = acc) and row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub col: usize,
    pub row: usize,
}

/// The laid-out circuit: fixed and advice values, copy constraints and public cells.
#[derive(Debug, Clone)]
pub struct Grid {
    pub width: usize,
    pub rows: usize,
    /// W+1 advice columns (index W is acc), each `rows` long.
    pub advice: Vec<Vec<i64>>,
    /// W + fx::COUNT fixed columns.
    pub fixed: Vec<Vec<i64>>,
    pub copies: Vec<(Cell, Cell)>,
    /// Cell holding public input i (instance row i).
    pub inputs: Vec<Cell>,
    /// Cell holding output j (instance row input_len + j).
    pub outputs: Vec<Cell>,
    /// Integer value of every IR value.
    pub values: Vec<i64>,
    /// Cell holding every IR value.
    pub homes: Vec<Cell>,
    /// Whether the grid has the challenge check (phase-2 columns h, u, t at W+1..W+4).
    pub phase2: bool,
    /// (row, source row): u at `row` holds h at `source row` (also a copy constraint).
    pub u_links: Vec<(usize, usize)>,
    /// Requantization blocks side by side in one 3-row band (each slot has its own
    /// lookup argument).
    pub groups: usize,
}

/// Most requantization slots a band of `width` weight columns holds: slot 0 uses acc,
/// a_0, a_1; slot g ≥ 1 uses a_(3g-1), a_(3g), a_(3g+1).
pub fn max_groups(width: usize) -> usize {
    (width + 1) / 3
}

impl Grid {
    /// Advice columns (x/q/out, remainder/lo/hi, y) of requantization slot `g`.
    pub fn slot_cols(&self, g: usize) -> (usize, usize, usize) {
        if g == 0 {
            (self.width, 0, 1)
        } else {
            (3 * g - 1, 3 * g, 3 * g + 1)
        }
    }

    /// Fixed columns (q_dec, tag, q_lookup, q_fn) of slot `g` ≥ 1 (slot 0 uses [`fx`]'s).
    pub fn slot_fixed(&self, g: usize) -> (usize, usize, usize, usize) {
        let base = slot_fixed_base(self.width, self.phase2) + SLOT_FIXED * (g - 1);
        (base, base + 1, base + 2, base + 3)
    }

    /// Terms per row of the fixed-only chains.
    pub fn fold(&self) -> usize {
        fold_width(self.width, self.phase2)
    }

    /// Fixed columns holding, on a block's third row, the top multipliers of its
    /// remainder (row 1) and of its low part lo (row 2).
    pub fn slot_top_multipliers(&self, g: usize) -> (usize, usize) {
        if g == 0 {
            (0, 1)
        } else {
            let (cx, cr, _) = self.slot_cols(g);
            (cx, cr)
        }
    }

    /// The slot of the block whose x cell is `c`.
    #[cfg(feature = "testing")]
    pub fn slot_at(&self, c: Cell) -> Option<usize> {
        let cr = self.block_at(c)?;
        (0..self.groups).find(|&g| self.slot_cols(g).1 == cr)
    }

    /// The slot whose x/q/out column holds `c` when `c` is the x cell of a block, with
    /// the block's remainder column. (Only the tamper tests need it.)
    #[cfg(feature = "testing")]
    pub fn block_at(&self, c: Cell) -> Option<usize> {
        (0..self.groups).find_map(|g| {
            let (cx, cr, _) = self.slot_cols(g);
            let q = if g == 0 {
                self.fixed[self.width + fx::Q_DEC][c.row]
            } else {
                self.fixed[self.slot_fixed(g).0][c.row]
            };
            (cx == c.col && q != 0).then_some(cr)
        })
    }

    /// Column of h (then u, t).
    pub fn h_col(&self) -> usize {
        self.width + 1
    }
}

/// Values and homes of Y[·][pos] and the row where R_pos ends.
type LaidPosition = (Vec<i64>, Vec<Cell>, usize);

/// Layout state of one [`Linear`]: homes of its outputs per position and the rows where
/// each position's channel sum R_p ends.
#[derive(Default, Clone)]
struct LinState {
    /// Per position: (values, homes) of Y[·][pos] and the row of R_pos; None until laid.
    positions: Vec<Option<LaidPosition>>,
}

struct Builder {
    g: Grid,
    input_row: Option<(usize, usize)>,
    /// First row of the open requantization band and its next free slot.
    band: Option<(usize, usize)>,
    lin: Vec<LinState>,
}

impl Builder {
    fn row(&mut self) -> usize {
        for c in self.g.advice.iter_mut().chain(self.g.fixed.iter_mut()) {
            c.push(0);
        }
        self.g.rows += 1;
        self.g.rows - 1
    }
    fn acc(&self) -> usize {
        self.g.width
    }
    fn set_a(&mut self, col: usize, row: usize, v: i64) {
        self.g.advice[col][row] = v;
    }
    fn set_f(&mut self, col: usize, row: usize, v: i64) {
        self.g.fixed[col][row] = v;
    }
    fn named(&mut self, name: usize, row: usize, v: i64) {
        let col = self.g.width + name;
        self.set_f(col, row, v);
    }
    fn place_copy(&mut self, id: usize, at: Cell) {
        let v = self.g.values[id];
        self.set_a(at.col, at.row, v);
        self.g.copies.push((self.g.homes[id], at));
    }
}

/// Builds the grid for `prog` with `width` weight columns. With `strict`, values outside
/// the lookup ranges are an `INPUT_OUT_OF_RANGE` error; otherwise they are clamped
/// (used only for keygen, where advice values are unused).
pub fn build(
    prog: &Program,
    spec: &LookupSpec,
    width: usize,
    groups: usize,
    inputs: &[i64],
    strict: bool,
) -> Result<Grid, Error> {
    let phase2 = !prog.linears.is_empty();
    let groups = groups.clamp(1, max_groups(width));
    let grid = Grid {
        width,
        rows: 0,
        advice: vec![Vec::new(); width + 1 + if phase2 { PHASE2_COLUMNS } else { 0 }],
        fixed: vec![Vec::new(); fixed_columns(width, phase2, groups)],
        copies: Vec::new(),
        inputs: vec![Cell { col: 0, row: 0 }; prog.input_len],
        outputs: Vec::new(),
        values: Vec::with_capacity(prog.ops.len()),
        homes: Vec::with_capacity(prog.ops.len()),
        phase2,
        u_links: Vec::new(),
        groups,
    };
    let mut b = Builder {
        g: grid,
        input_row: None,
        band: None,
        lin: prog
            .linears
            .iter()
            .map(|l| LinState {
                positions: vec![None; l.positions()],
            })
            .collect(),
    };
    for op in &prog.ops {
        if !matches!(op, Op::Input { .. }) {
            b.input_row = None;
        }
        let (value, home) = match op {
            Op::Input { index } => lay_input(&mut b, *index, inputs)?,
            Op::Dot { terms, bias, mul } => lay_dot(&mut b, terms, *bias, *mul)?,
            Op::Act { x, d, e, kind } => lay_act(&mut b, spec, *x, *d, *e, *kind, strict)?,
            Op::Product { linear, out, pos } => lay_product(&mut b, prog, *linear, *out, *pos)?,
        };
        b.g.values.push(value);
        b.g.homes.push(home);
    }
    for (l, linear) in prog.linears.iter().enumerate() {
        lay_check(&mut b, l, linear)?;
    }
    b.g.outputs = prog.outputs.iter().map(|&id| b.g.homes[id]).collect();
    Ok(b.g)
}

fn lay_input(b: &mut Builder, index: usize, inputs: &[i64]) -> Result<(i64, Cell), Error> {
    let value = *inputs.get(index).ok_or_else(|| {
        Error::new(
            ErrorCode::ShapeMismatch,
            format!("missing input element {index}"),
        )
    })?;
    let (row, col) = match b.input_row {
        Some((row, col)) if col <= b.g.width => (row, col),
        _ => (b.row(), 0),
    };
    b.input_row = Some((row, col + 1));
    let cell = Cell { col, row };
    b.set_a(col, row, value);
    b.g.inputs[index] = cell;
    Ok((value, cell))
}

fn lay_dot(
    b: &mut Builder,
    terms: &[(usize, i64)],
    bias: i64,
    mul: Option<(usize, usize)>,
) -> Result<(i64, Cell), Error> {
    let w = b.g.width;
    let mut acc: i128 = i128::from(bias);
    // With a product, a_0 and a_1 of the first row hold its factors (their weights stay
    // 0), so the first row's terms start at column 2.
    let first = if mul.is_some() { w - 2 } else { w };
    let mut chunks: Vec<(usize, &[(usize, i64)])> = Vec::new();
    let (head, rest) = terms.split_at(terms.len().min(first));
    chunks.push((w - first, head));
    chunks.extend(rest.chunks(w).map(|c| (0, c)));
    let mut row = 0;
    for (c, &(start, chunk)) in chunks.iter().enumerate() {
        row = b.row();
        b.named(fx::Q_DOT, row, 1);
        if c == 0 {
            b.named(fx::C, row, bias);
            if let Some((x, y)) = mul {
                b.named(fx::Q_MUL, row, 1);
                b.place_copy(x, Cell { col: 0, row });
                b.place_copy(y, Cell { col: 1, row });
                acc += i128::from(b.g.values[x]) * i128::from(b.g.values[y]);
            }
        } else {
            b.named(fx::Q_CHAIN, row, 1);
        }
        for (i, &(id, weight)) in chunk.iter().enumerate() {
            b.place_copy(
                id,
                Cell {
                    col: start + i,
                    row,
                },
            );
            b.set_f(start + i, row, weight);
            acc += i128::from(b.g.values[id]) * i128::from(weight);
        }
        let v = i64::try_from(acc).map_err(|_| overflow())?;
        let acc_col = b.acc();
        b.set_a(acc_col, row, v);
    }
    let v = i64::try_from(acc).map_err(|_| overflow())?;
    Ok((v, Cell { col: b.acc(), row }))
}

fn lay_act(
    b: &mut Builder,
    spec: &LookupSpec,
    x: usize,
    d: u32,
    e: u32,
    kind: ActKind,
    strict: bool,
) -> Result<(i64, Cell), Error> {
    let range = if strict {
        OutOfRange::Fail
    } else {
        OutOfRange::Clamp
    };
    let Requant { half, q, r, hi } = requantize(b.g.values[x], d, e, spec, range)?;
    let lo = q - hi * (1i64 << e);
    let (tag, y, out, sel) = match kind {
        ActKind::Identity => (SIGN_TAG, i64::from(hi >= 0), q, fx::Q_ID),
        ActKind::Relu => (
            SIGN_TAG,
            i64::from(hi >= 0),
            q * i64::from(hi >= 0),
            fx::Q_RELU,
        ),
        ActKind::Lut(f) => {
            let y = spec.lut_value(f, hi);
            (lut_tag(f), y, y, fx::Q_LUT)
        }
    };
    let (r0, g) = match b.band {
        Some((r0, g)) if g < b.g.groups => (r0, g),
        _ => {
            let r0 = b.row();
            b.row();
            b.row();
            (r0, 0)
        }
    };
    b.band = Some((r0, g + 1));
    let (r1, r2) = (r0 + 1, r0 + 2);
    let (cx, cr, cy) = b.g.slot_cols(g);
    b.place_copy(x, Cell { col: cx, row: r0 });
    b.set_a(cx, r1, q);
    b.set_a(cx, r2, out);
    // r and lo are held as top·2^(w−2) + low: low in the table, top ∈ [0, 4) by a gate
    // (the top parts sit in the y column, which is looked up only on the third row).
    let (r_top, r_low) = split_top(r, d);
    let (lo_top, lo_low) = split_top(lo, e);
    b.set_a(cr, r0, r_low);
    b.set_a(cr, r1, lo_low);
    b.set_a(cr, r2, hi);
    b.set_a(cy, r0, r_top);
    b.set_a(cy, r1, lo_top);
    b.set_a(cy, r2, y);
    let tags = [
        (r0, range_tag(low_bits(d))),
        (r1, range_tag(low_bits(e))),
        (r2, tag),
    ];
    let (md, me) = b.g.slot_top_multipliers(g);
    b.set_f(md, r2, top_multiplier(d));
    b.set_f(me, r2, top_multiplier(e));
    if g == 0 {
        b.named(fx::Q_DEC, r0, 1);
        b.named(sel, r0, 1);
        b.named(fx::C, r0, half);
        b.named(fx::Q_FN, r2, 1);
        b.set_f(0, r0, 1i64 << d);
        b.set_f(1, r0, 1i64 << e);
        for (row, t) in tags {
            b.named(fx::Q_LK, row, 1);
            b.named(fx::TAG, row, t);
        }
    } else {
        // Slot g's constants sit in its own weight columns: 2^d, 2^e, half on the first
        // row, the kind flags (identity, table, ReLU) on the second, the top multipliers
        // on the third.
        let (q_dec, tag_col, q_lk, q_fn) = b.g.slot_fixed(g);
        b.set_f(q_dec, r0, 1);
        b.set_f(q_fn, r2, 1);
        b.set_f(cx, r0, 1i64 << d);
        b.set_f(cr, r0, 1i64 << e);
        b.set_f(cy, r0, half);
        b.set_f(cx, r1, i64::from(sel == fx::Q_ID));
        b.set_f(cr, r1, i64::from(sel == fx::Q_LUT));
        b.set_f(cy, r1, i64::from(sel == fx::Q_RELU));
        for (row, t) in tags {
            b.set_f(q_lk, row, 1);
            b.set_f(tag_col, row, t);
        }
    }
    Ok((out, Cell { col: cx, row: r2 }))
}

/// Leading padding and row count of a Horner chain of `n` terms in rows of `w`: padding
/// goes first, where zero terms leave the sum unchanged.
fn chain_rows(n: usize, w: usize) -> (usize, usize) {
    let rows = n.div_ceil(w).max(1);
    (rows, rows * w - n)
}

/// Lays out a Horner chain of `n` terms with selector `sel`; `term(b, row, col, j)` places
/// term j. Returns the last row (where h holds the chain's value).
fn lay_chain(
    b: &mut Builder,
    n: usize,
    w: usize,
    sel: usize,
    mut term: impl FnMut(&mut Builder, usize, usize, usize) -> Result<(), Error>,
) -> Result<usize, Error> {
    let (rows, lead) = chain_rows(n, w);
    let mut row = 0;
    for r in 0..rows {
        row = b.row();
        b.named(sel, row, 1);
        if r > 0 {
            b.named(fx::Q_CHAIN, row, 1);
        }
        for col in 0..w {
            let slot = r * w + col;
            if slot >= lead {
                term(b, row, col, slot - lead)?;
            }
        }
    }
    Ok(row)
}

/// Computes Y[·][pos] of `linear` and lays it out as one chain over the channels
/// (its cells are the homes of those `Product` values).
fn lay_product(
    b: &mut Builder,
    prog: &Program,
    l: usize,
    out: usize,
    pos: usize,
) -> Result<(i64, Cell), Error> {
    if b.lin[l].positions[pos].is_none() {
        let lin = &prog.linears[l];
        let mut ys = Vec::with_capacity(lin.outs());
        for (o, ws) in lin.weights.iter().enumerate() {
            let mut acc = i128::from(lin.bias[o]);
            for (k, &w) in ws.iter().enumerate() {
                if let Some(id) = lin.inputs[k][pos] {
                    acc += i128::from(w) * i128::from(b.g.values[id]);
                }
            }
            ys.push(i64::try_from(acc).map_err(|_| overflow())?);
        }
        let mut homes = vec![Cell { col: 0, row: 0 }; ys.len()];
        let w = b.g.width;
        let last = lay_chain(b, ys.len(), w, fc::HRA, |b, row, col, o| {
            b.set_a(col, row, ys[o]);
            b.set_f(col, row, 1);
            homes[o] = Cell { col, row };
            Ok(())
        })?;
        b.lin[l].positions[pos] = Some((ys, homes, last));
    }
    let (ys, homes, _) = b.lin[l].positions[pos].as_ref().expect("laid out");
    Ok((ys[out], homes[out]))
}

/// Puts h at `src` into u at `row` (a copy constraint and a phase-2 link).
fn link_u(b: &mut Builder, row: usize, src: usize) {
    let h = b.g.h_col();
    b.g.copies
        .push((Cell { col: h, row: src }, Cell { col: h + 1, row }));
    b.g.u_links.push((row, src));
}

/// The challenge check of one layer, Σ_o Σ_p r^(C-1-o)·s^(P-1-p)·(Y − W·X − b)[o][p] = 0,
/// arranged as Σ_p s^(P-1-p)·R_p = Σ_k v_k·Z_k over k = 0..K (k = K is the bias with
/// X = 1), where R_p = Σ_o r^(C-1-o)·Y[o][p], v_k = Σ_o r^(C-1-o)·W[o][k] and
/// Z_k = Σ_p s^(P-1-p)·X[k][p].
fn lay_check(b: &mut Builder, l: usize, lin: &Linear) -> Result<(), Error> {
    let (c, p, k) = (lin.outs(), lin.positions(), lin.inputs.len());
    let mut z_rows = Vec::with_capacity(k + 1);
    let (w, fold) = (b.g.width, b.g.fold());
    let fold_at = |g: &Grid, i: usize| fold_col(g.width, g.phase2, g.groups, i);
    for xs in &lin.inputs {
        let last = lay_chain(b, p, w, fc::HSA, |b, row, col, j| {
            if let Some(id) = xs[j] {
                b.place_copy(id, Cell { col, row });
                b.set_f(col, row, 1);
            }
            Ok(())
        })?;
        z_rows.push(last);
    }
    z_rows.push(lay_chain(b, p, fold, fc::HSF, |b, row, col, _| {
        let col = fold_at(&b.g, col);
        b.set_f(col, row, 1);
        Ok(())
    })?);
    let r_rows: Vec<usize> = b.lin[l]
        .positions
        .iter()
        .map(|s| {
            s.as_ref().map(|x| x.2).ok_or_else(|| {
                Error::new(ErrorCode::Internal, "a layer position was never laid out")
            })
        })
        .collect::<Result<_, _>>()?;
    // Σ_k v_k·Z_k accumulates in t over the weight chains; t then rides along the chain
    // of Σ_p s^p·R_p in h, and the last row closes with h = t (a gate, so t needs no
    // copy constraint).
    for (kk, &z_row) in z_rows.iter().enumerate() {
        let first_row = b.g.rows;
        let last = lay_chain(b, c, fold, fc::HRF, |b, row, col, o| {
            let w = if kk < k {
                lin.weights[o][kk]
            } else {
                lin.bias[o]
            };
            let col = fold_at(&b.g, col);
            b.set_f(col, row, w);
            Ok(())
        })?;
        for row in first_row..=last {
            b.named(fc::T, row, 1);
            if kk > 0 || row > first_row {
                b.named(fc::TCHAIN, row, 1);
            }
        }
        b.named(fc::PROD, last, 1);
        link_u(b, last, z_row);
    }
    let mut total = 0;
    for (i, &src) in r_rows.iter().enumerate() {
        total = b.row();
        b.named(fc::HU, total, 1);
        b.named(fc::T, total, 1);
        b.named(fc::TCHAIN, total, 1);
        if i > 0 {
            b.named(fx::Q_CHAIN, total, 1);
        }
        link_u(b, total, src);
    }
    b.named(fc::CLOSE, total, 1);
    Ok(())
}

impl Grid {
    /// Rows by kind (for the bench's profile): dot rows with and without a product,
    /// requantization bands, public-input rows, and the challenge check's chains
    /// (outputs over channels, inputs over positions, folded weights, the bias and
    /// position sums).
    pub fn profile(&self) -> Vec<(&'static str, usize)> {
        let named = |n: usize, row: usize| self.fixed[self.width + n][row] != 0;
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        let mut add = |kind: &'static str| match counts.iter_mut().find(|c| c.0 == kind) {
            Some(c) => c.1 += 1,
            None => counts.push((kind, 1)),
        };
        let input_rows: std::collections::BTreeSet<usize> =
            self.inputs.iter().map(|c| c.row).collect();
        let mut band = 0;
        for row in 0..self.rows {
            let slot_band = (1..self.groups).any(|g| self.fixed[self.slot_fixed(g).0][row] != 0);
            if band > 0 {
                band -= 1;
                add("requant band");
            } else if named(fx::Q_DEC, row) || slot_band {
                band = 2;
                add("requant band");
            } else if named(fx::Q_DOT, row) && named(fx::Q_MUL, row) {
                add("dot (product)");
            } else if named(fx::Q_DOT, row) {
                add("dot");
            } else if input_rows.contains(&row) {
                add("input");
            } else if self.phase2 && named(fc::HRA, row) {
                add("check: outputs");
            } else if self.phase2 && named(fc::HSA, row) {
                add("check: inputs");
            } else if self.phase2 && named(fc::HRF, row) {
                add("check: weights");
            } else if self.phase2 && (named(fc::HSF, row) || named(fc::HU, row)) {
                add("check: bias/positions");
            } else {
                add("other");
            }
        }
        counts
    }
}
