//! Lays a [`Program`] out on the circuit grid and, in the same pass, computes the
//! witness (the integer forward pass). Compile runs it with zero inputs to obtain the
//! fixed columns and copy constraints; prove runs it with the real inputs.
//!
//! Columns: advice a[0..W) and acc; fixed w[0..W) plus the named columns in [`fx`].
//! Row kinds: dot rows (acc = chain·acc_prev + Σ a_i·w_i + c + mul·a_0·a_1),
//! 3-row requantization blocks (see `Op::Act`) and packed public-input rows.

use crate::error::{Error, ErrorCode};
use crate::ir::{ActKind, Op, Program};
use crate::table::{lut_tag, range_tag, LookupSpec, SIGN_TAG};

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
    /// Number of named fixed columns.
    pub const COUNT: usize = 10;
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
}

struct Builder {
    g: Grid,
    input_row: Option<(usize, usize)>,
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

fn overflow() -> Error {
    Error::new(
        ErrorCode::InputOutOfRange,
        "an intermediate value overflowed 64 bits",
    )
}

/// Builds the grid for `prog` with `width` weight columns. With `strict`, values outside
/// the lookup ranges are an `INPUT_OUT_OF_RANGE` error; otherwise they are clamped
/// (used only for keygen, where advice values are unused).
pub fn build(
    prog: &Program,
    spec: &LookupSpec,
    width: usize,
    inputs: &[i64],
    strict: bool,
) -> Result<Grid, Error> {
    let grid = Grid {
        width,
        rows: 0,
        advice: vec![Vec::new(); width + 1],
        fixed: vec![Vec::new(); width + fx::COUNT],
        copies: Vec::new(),
        inputs: vec![Cell { col: 0, row: 0 }; prog.input_len],
        outputs: Vec::new(),
        values: Vec::with_capacity(prog.ops.len()),
        homes: Vec::with_capacity(prog.ops.len()),
    };
    let mut b = Builder {
        g: grid,
        input_row: None,
    };
    for op in &prog.ops {
        if !matches!(op, Op::Input { .. }) {
            b.input_row = None;
        }
        let (value, home) = match op {
            Op::Input { index } => lay_input(&mut b, *index, inputs)?,
            Op::Dot { terms, bias, mul } => lay_dot(&mut b, terms, *bias, *mul)?,
            Op::Act { x, d, e, kind } => lay_act(&mut b, spec, *x, *d, *e, *kind, strict)?,
        };
        b.g.values.push(value);
        b.g.homes.push(home);
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
    let acc = b.acc();
    let xv = b.g.values[x];
    let half = if d > 0 { 1i64 << (d - 1) } else { 0 };
    let t = xv.checked_add(half).ok_or_else(overflow)?;
    let q = t.div_euclid(1i64 << d);
    let r = t.rem_euclid(1i64 << d);
    let (hmin, hmax) = spec.hi_range();
    let mut hi = q.div_euclid(1i64 << e);
    if hi < hmin || hi > hmax {
        if strict {
            return Err(Error::new(
                ErrorCode::InputOutOfRange,
                format!(
                    "value {} (scale 2^-{}) is outside the lookup range of the circuit",
                    xv,
                    d + e
                ),
            ));
        }
        hi = hi.clamp(hmin, hmax);
    }
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
    let r0 = b.row();
    let r1 = b.row();
    let r2 = b.row();
    b.place_copy(x, Cell { col: acc, row: r0 });
    b.set_a(acc, r1, q);
    b.set_a(acc, r2, out);
    b.set_a(0, r0, r);
    b.set_a(0, r1, lo);
    b.set_a(0, r2, hi);
    b.set_a(1, r2, y);
    b.named(fx::Q_DEC, r0, 1);
    b.named(sel, r0, 1);
    b.named(fx::C, r0, half);
    b.set_f(0, r0, 1i64 << d);
    b.set_f(1, r0, 1i64 << e);
    for (row, t) in [(r0, range_tag(d)), (r1, range_tag(e)), (r2, tag)] {
        b.named(fx::Q_LK, row, 1);
        b.named(fx::TAG, row, t);
    }
    Ok((out, Cell { col: acc, row: r2 }))
}
