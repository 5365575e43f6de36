//! Our own printer for rust-hdl's kernel AST.
//!
//! rust-hdl's printer names every module `top$…`, relies on Verilog's context-dependent
//! widths (so `x = a + b` keeps a carry in Verilog that Rust's wrapping `Bits` add drops —
//! the class of bug behind rust-hdl issue #22), and gives every `DFF` its own module with an
//! `initial` block. This printer instead gives every expression an explicit width taken from
//! the Rust types, so each operation wraps exactly where the Rust simulation wraps and
//! `verilator -Wall` sees no width mismatch; it inlines `DFF`s as plain `always @(posedge)`
//! registers (reset is the block's own logic, never an `initial`); and it names modules.

use super::collect::{AtomInfo, AtomRole, Instance};
use rust_hdl::core::ast::{
    Verilog, VerilogBlock, VerilogBlockOrConditional, VerilogCase, VerilogConditional,
    VerilogExpression as E, VerilogMatch, VerilogOp, VerilogOpUnary, VerilogStatement as S,
};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Marker that names a hand-written leaf: the first line of its `Verilog::Custom` text.
pub const LEAF_MARKER: &str = "// scu-leaf: ";

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Port {
    pub name: String,
    pub direction: Direction,
    pub width: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Input,
    Output,
}

/// One emitted Verilog module.
#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub ports: Vec<Port>,
    pub text: String,
}

/// Rust-hdl names (`acc$d`) become Verilog names (`acc__d`); `$` is legal Verilog but
/// breaks tools and scripts downstream.
pub fn mangle(name: &str) -> String {
    name.trim_end_matches("$next").replace('$', "__")
}

/// Verilog-2005 and SystemVerilog keywords: a signal with one of these names would break
/// some tool downstream (Verilator parses `.v` files as SystemVerilog), so it is refused.
const KEYWORDS: &[&str] = &[
    "alias",
    "always",
    "always_comb",
    "always_ff",
    "always_latch",
    "and",
    "assert",
    "assign",
    "assume",
    "automatic",
    "before",
    "begin",
    "bind",
    "bins",
    "bit",
    "break",
    "buf",
    "byte",
    "case",
    "casex",
    "casez",
    "cell",
    "chandle",
    "class",
    "clocking",
    "config",
    "const",
    "constraint",
    "context",
    "continue",
    "cover",
    "cross",
    "deassign",
    "default",
    "defparam",
    "design",
    "disable",
    "do",
    "edge",
    "else",
    "end",
    "endcase",
    "endfunction",
    "endgenerate",
    "endmodule",
    "endtask",
    "enum",
    "event",
    "export",
    "extends",
    "extern",
    "final",
    "for",
    "force",
    "forever",
    "fork",
    "function",
    "generate",
    "genvar",
    "if",
    "import",
    "initial",
    "inout",
    "input",
    "int",
    "integer",
    "interface",
    "join",
    "local",
    "localparam",
    "logic",
    "longint",
    "macromodule",
    "module",
    "nand",
    "negedge",
    "new",
    "nor",
    "not",
    "null",
    "or",
    "output",
    "package",
    "parameter",
    "posedge",
    "priority",
    "program",
    "property",
    "protected",
    "pure",
    "rand",
    "real",
    "reg",
    "release",
    "repeat",
    "return",
    "shortint",
    "signed",
    "solve",
    "static",
    "string",
    "struct",
    "super",
    "supply0",
    "supply1",
    "table",
    "task",
    "this",
    "time",
    "tri",
    "type",
    "typedef",
    "union",
    "unique",
    "unsigned",
    "var",
    "virtual",
    "void",
    "wait",
    "while",
    "wire",
    "with",
    "xnor",
    "xor",
];

fn check_name(module: &str, name: &str) -> Result<(), String> {
    if KEYWORDS.contains(&name) {
        return Err(format!(
            "{module}: `{name}` is a Verilog/SystemVerilog keyword; rename the signal"
        ));
    }
    Ok(())
}

fn ports_of(inst: &Instance) -> Vec<Port> {
    inst.atoms
        .iter()
        .filter_map(|a| {
            let direction = match a.role {
                AtomRole::Input => Direction::Input,
                AtomRole::Output => Direction::Output,
                _ => return None,
            };
            Some(Port {
                name: mangle(&a.name),
                direction,
                width: a.width,
            })
        })
        .collect()
}

fn range(width: usize) -> String {
    if width == 1 {
        String::new()
    } else {
        format!("[{}:0] ", width - 1)
    }
}

fn header(name: &str, ports: &[Port], output_kind: &str) -> String {
    header_with_kinds(name, ports, &vec![output_kind; ports.len()])
}

/// `kinds[i]` is port i's net kind when it is an output (`reg` or `wire`).
fn header_with_kinds(name: &str, ports: &[Port], kinds: &[&str]) -> String {
    let mut s = format!("module {name} (\n");
    let lines: Vec<String> = ports
        .iter()
        .zip(kinds)
        .map(|(p, kind)| match p.direction {
            Direction::Input => format!("    input  wire {}{}", range(p.width), p.name),
            Direction::Output => format!("    output {kind} {}{}", range(p.width), p.name),
        })
        .collect();
    s.push_str(&lines.join(",\n"));
    s.push_str("\n);\n");
    s
}

fn is_dff(inst: &Instance) -> bool {
    matches!(&inst.code, Verilog::Custom(t) if t.contains("q <= d"))
        && inst.atoms.len() == 3
        && inst.atom("d").is_some()
        && inst.atom("q").is_some()
        && inst.atom("clock").is_some()
}

fn leaf_name(inst: &Instance) -> Option<(String, String)> {
    match &inst.code {
        Verilog::Custom(text) => {
            let first = text.lines().next()?.trim();
            let name = first
                .strip_prefix(LEAF_MARKER.trim_end())?
                .trim()
                .to_string();
            let body = text.lines().skip(1).collect::<Vec<_>>().join("\n");
            Some((name, body))
        }
        _ => None,
    }
}

/// Emits `inst` as module `name` plus every module below it. Leaves are shared by name
/// (two instances of `scu_mul_w16` are one module). A child module is named
/// `<parent>__<instance>` unless `names` maps that name to another: that is how a block
/// embedded in a larger top (the engine in the SCU) keeps the module name, and so the very
/// file, it has when emitted on its own. Two different modules under one name are an error.
pub fn emit_tree(
    name: &str,
    inst: &Instance,
    out: &mut BTreeMap<String, Module>,
    names: &BTreeMap<String, String>,
) -> Result<Vec<Port>, String> {
    for a in &inst.atoms {
        check_name(name, &mangle(&a.name))?;
    }
    for c in &inst.children {
        check_name(name, &c.name)?;
    }
    match &inst.code {
        Verilog::Combinatorial(code) => {
            let module = ModuleWriter::new(name, inst)?.write(code, out, names)?;
            let ports = module.ports.clone();
            if let Some(prev) = out.get(name) {
                if prev.text != module.text {
                    return Err(format!("two different modules are both named `{name}`"));
                }
            }
            out.insert(name.to_string(), module);
            Ok(ports)
        }
        Verilog::Custom(_) => {
            let (leaf, body) = leaf_name(inst).ok_or_else(|| {
                format!(
                    "custom Verilog in `{}` has no `{LEAF_MARKER}<name>` first line",
                    inst.name
                )
            })?;
            let ports = ports_of(inst);
            let text = format!(
                "{}{}\nendmodule\n",
                header(&leaf, &ports, "wire"),
                body.trim_end()
            );
            if let Some(prev) = out.get(&leaf) {
                if prev.text != text {
                    return Err(format!("two different leaves are both named `{leaf}`"));
                }
            }
            out.insert(
                leaf.clone(),
                Module {
                    name: leaf,
                    ports: ports.clone(),
                    text,
                },
            );
            // A leaf's children are the leaves its own text instantiates (the ring-oscillator
            // cell's stage): they need modules of their own, which the text wires up.
            for c in &inst.children {
                let (child, _) = leaf_name(c).ok_or_else(|| {
                    format!("`{}` inside the leaf `{}` is not a leaf", c.name, inst.name)
                })?;
                emit_tree(&child, c, out, names)?;
            }
            Ok(ports)
        }
        other => Err(format!(
            "instance `{}`: unsupported Verilog kind {other:?}",
            inst.name
        )),
    }
}

struct ModuleWriter<'a> {
    name: String,
    inst: &'a Instance,
    widths: BTreeMap<String, usize>,
    /// DFF instance name → clock signal that drives it.
    dff_clocks: BTreeMap<String, Option<String>>,
    body: String,
    indent: usize,
}

impl<'a> ModuleWriter<'a> {
    fn new(name: &str, inst: &'a Instance) -> Result<Self, String> {
        let mut widths = BTreeMap::new();
        let mut add = |n: String, w: usize| {
            widths.insert(n, w);
        };
        let enum_add = |a: &AtomInfo, widths: &mut BTreeMap<String, usize>| {
            if let Some((_, variants)) = &a.enum_type {
                for v in variants {
                    widths.insert(mangle(&v.replace("::", "$")), a.width);
                }
            }
        };
        for a in &inst.atoms {
            add(mangle(&a.name), a.width);
        }
        for c in &inst.children {
            for a in &c.atoms {
                if matches!(a.role, AtomRole::Input | AtomRole::Output) {
                    add(mangle(&format!("{}${}", c.name, a.name)), a.width);
                }
            }
        }
        for a in &inst.atoms {
            enum_add(a, &mut widths);
        }
        for c in &inst.children {
            for a in &c.atoms {
                enum_add(a, &mut widths);
            }
        }
        let dff_clocks = inst
            .children
            .iter()
            .filter(|c| is_dff(c))
            .map(|c| (c.name.clone(), None))
            .collect();
        Ok(Self {
            name: name.to_string(),
            inst,
            widths,
            dff_clocks,
            body: String::new(),
            indent: 2,
        })
    }

    fn width_of(&self, sig: &str) -> Result<usize, String> {
        self.widths
            .get(&mangle(sig))
            .copied()
            .ok_or_else(|| format!("{}: unknown signal `{sig}`", self.name))
    }

    fn write(
        mut self,
        code: &VerilogBlock,
        out: &mut BTreeMap<String, Module>,
        names: &BTreeMap<String, String>,
    ) -> Result<Module, String> {
        let code = flatten(code);
        self.find_clocks(&code)?;
        // One `always @(*)` per assigned signal, each holding only the statements that
        // assign it. rust-hdl's kernels have settled-value semantics (a read sees the
        // signal's final value), which is what separate blocks give; a single block would
        // also look like a combinational loop to Verilator whenever the kernel feeds a
        // child instance and reads its output.
        let mut targets = vec![];
        collect_targets(&code, &mut targets);
        targets.retain(|t| !self.is_clock_stub(t));
        let mut always = String::new();
        // A signal driven by a constant alone becomes a wire with an `assign`: an
        // `always @(*)` that reads nothing never runs in an event-driven simulator (iverilog
        // leaves the signal x).
        let mut tied = std::collections::BTreeSet::new();
        for t in &targets {
            let slice = slice_for(&code, t);
            if let [S::Assignment(E::Signal(_), value)] = slice.as_slice() {
                if !self.reads_signal(value) {
                    let v = self.expr(value, self.width_of(t)?)?;
                    always.push_str(&format!("    assign {t} = {v};\n\n"));
                    tied.insert(t.clone());
                    continue;
                }
            }
            self.body.clear();
            self.block(&slice)?;
            always.push_str("    always @(*) begin\n");
            always.push_str(&self.body);
            always.push_str("    end\n\n");
        }

        let referenced: std::collections::BTreeSet<&str> = always
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        let ports = ports_of(self.inst);
        let kinds: Vec<&str> = ports
            .iter()
            .map(|p| {
                if tied.contains(&p.name) {
                    "wire"
                } else {
                    "reg"
                }
            })
            .collect();
        let mut text = header_with_kinds(&self.name, &ports, &kinds);
        let mut decls = String::new();
        // Enum variants become sized localparams, declared once per module.
        let mut enums = BTreeMap::new();
        for a in self
            .inst
            .atoms
            .iter()
            .chain(self.inst.children.iter().flat_map(|c| c.atoms.iter()))
        {
            if let Some((_, variants)) = &a.enum_type {
                for (i, v) in variants.iter().enumerate() {
                    enums.insert(mangle(&v.replace("::", "$")), (a.width, i));
                }
            }
        }
        // Only those this module's code names: a wrapper sees its children's enums too.
        for (n, (w, v)) in enums
            .iter()
            .filter(|(n, _)| referenced.contains(n.as_str()))
        {
            writeln!(decls, "    localparam {}{n} = {w}'d{v};", range(*w)).unwrap();
        }
        for a in &self.inst.atoms {
            match a.role {
                // Constants that were folded into indices and shifts are not declared at all.
                AtomRole::Constant if !referenced.contains(mangle(&a.name).as_str()) => {}
                AtomRole::Constant => {
                    let lit = a.literal.as_deref().unwrap_or_default();
                    writeln!(
                        decls,
                        "    localparam {}{} = {};",
                        range(a.width),
                        mangle(&a.name),
                        lit
                    )
                    .unwrap();
                }
                AtomRole::Local => {
                    let kind = if tied.contains(&mangle(&a.name)) {
                        "wire"
                    } else {
                        "reg"
                    };
                    writeln!(decls, "    {kind} {}{};", range(a.width), mangle(&a.name)).unwrap();
                }
                _ => {}
            }
        }
        let mut instances = String::new();
        let mut registers = String::new();
        for c in &self.inst.children {
            if is_dff(c) {
                let w = c.atom("d").unwrap().width;
                let d = mangle(&format!("{}$d", c.name));
                let q = mangle(&format!("{}$q", c.name));
                writeln!(decls, "    reg {}{d};", range(w)).unwrap();
                writeln!(decls, "    reg {}{q};", range(w)).unwrap();
                let clk = self.dff_clocks[&c.name].clone().ok_or_else(|| {
                    format!(
                        "{}: register `{}` has no clock (use dff_setup!/clock!)",
                        self.name, c.name
                    )
                })?;
                writeln!(registers, "    always @(posedge {clk}) {q} <= {d};").unwrap();
                continue;
            }
            let child_name = match leaf_name(c) {
                Some((leaf, _)) => leaf,
                None => {
                    let default = format!("{}__{}", self.name, c.name);
                    names.get(&default).cloned().unwrap_or(default)
                }
            };
            let child_ports = emit_tree(&child_name, c, out, names)?;
            let mut conns = vec![];
            for p in &child_ports {
                let stub = format!("{}__{}", c.name, p.name);
                let kind = if p.direction == Direction::Input && !tied.contains(&stub) {
                    "reg "
                } else {
                    "wire"
                };
                writeln!(decls, "    {kind} {}{stub};", range(p.width)).unwrap();
                conns.push(format!("        .{}({stub})", p.name));
            }
            writeln!(
                instances,
                "    {child_name} {} (\n{}\n    );",
                c.name,
                conns.join(",\n")
            )
            .unwrap();
        }
        text.push_str(&decls);
        text.push('\n');
        text.push_str(&instances);
        text.push_str(&registers);
        text.push('\n');
        text.push_str(&always);
        text.push_str("endmodule\n");
        Ok(Module {
            name: self.name,
            ports,
            text,
        })
    }

    fn is_clock_stub(&self, target: &str) -> bool {
        target
            .strip_suffix("__clock")
            .is_some_and(|inst| self.dff_clocks.contains_key(inst))
    }

    /// Registers take their clock from `dff_setup!`'s `x.clock = clock` assignments.
    fn find_clocks(&mut self, code: &VerilogBlock) -> Result<(), String> {
        for st in code {
            if let S::Assignment(E::Signal(t), value) = st {
                let t = mangle(t);
                if self.is_clock_stub(&t) {
                    let inst = t.trim_end_matches("__clock").to_string();
                    let E::Signal(src) = value else {
                        return Err(format!(
                            "{}: clock of `{inst}` must be a plain signal",
                            self.name
                        ));
                    };
                    self.dff_clocks.insert(inst, Some(mangle(src)));
                }
            }
        }
        Ok(())
    }

    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.body.push_str("    ");
        }
        self.body.push_str(s);
        self.body.push('\n');
    }

    fn block(&mut self, b: &VerilogBlock) -> Result<(), String> {
        for st in b {
            self.statement(st)?;
        }
        Ok(())
    }

    fn statement(&mut self, st: &S) -> Result<(), String> {
        match st {
            S::Assignment(target, value) => {
                let E::Signal(t) = target else {
                    return Err(format!(
                        "{}: unsupported assignment target {target:?}",
                        self.name
                    ));
                };
                let t = mangle(t);
                let w = self.width_of(&t)?;
                let v = self.expr(value, w)?;
                self.line(&format!("{t} = {v};"));
            }
            S::SliceAssignment {
                base,
                width,
                offset,
                replacement,
            } => {
                let E::Signal(b) = base else {
                    return Err(format!("{}: unsupported slice target", self.name));
                };
                let b = mangle(b);
                let v = self.expr(replacement, *width)?;
                let sel = self.select(&b, *width, offset)?;
                self.line(&format!("{sel} = {v};"));
            }
            S::If(c) => {
                let test = self.expr(&c.test, 1)?;
                self.line(&format!("if ({test}) begin"));
                self.nested(&c.then)?;
                let mut otherwise = &c.otherwise;
                loop {
                    match otherwise {
                        VerilogBlockOrConditional::None => {
                            self.line("end");
                            break;
                        }
                        VerilogBlockOrConditional::Block(b) => {
                            self.line("end else begin");
                            self.nested(b)?;
                            self.line("end");
                            break;
                        }
                        VerilogBlockOrConditional::Conditional(inner) => {
                            let S::If(ic) = inner.as_ref() else {
                                return Err(format!("{}: malformed else-if", self.name));
                            };
                            let test = self.expr(&ic.test, 1)?;
                            self.line(&format!("end else if ({test}) begin"));
                            self.nested(&ic.then)?;
                            otherwise = &ic.otherwise;
                        }
                    }
                }
            }
            S::Match(m) => {
                let w = self.natural(&m.test)?.ok_or("case on an unsized literal")?;
                let test = self.expr(&m.test, w)?;
                self.line(&format!("case ({test})"));
                self.indent += 1;
                let mut has_default = false;
                for case in &m.cases {
                    let label = if case.condition == "default" {
                        has_default = true;
                        "default".to_string()
                    } else if let Some(v) = parse_int(&case.condition) {
                        format!("{w}'d{v}")
                    } else {
                        let n = mangle(&case.condition);
                        if !self.widths.contains_key(&n) {
                            return Err(format!(
                                "{}: unknown case label `{}`",
                                self.name, case.condition
                            ));
                        }
                        n
                    };
                    self.line(&format!("{label}: begin"));
                    self.nested(&case.block)?;
                    self.line("end");
                }
                if !has_default {
                    return Err(format!(
                        "{}: every match needs a `_ =>` arm (defined behaviour for unused codes)",
                        self.name
                    ));
                }
                self.indent -= 1;
                self.line("endcase");
            }
            S::Comment(c) => self.line(&format!("// {c}")),
            S::Macro(b) => self.block(b)?,
            S::Loop(_) | S::Link(_) => {
                return Err(format!(
                    "{}: loops and links are not supported by the SCU emitter",
                    self.name
                ))
            }
        }
        Ok(())
    }

    fn nested(&mut self, b: &VerilogBlock) -> Result<(), String> {
        self.indent += 1;
        self.block(b)?;
        self.indent -= 1;
        Ok(())
    }

    /// Whether `e` reads a signal (a localparam constant is not one).
    fn reads_signal(&self, e: &E) -> bool {
        match e {
            E::Signal(s) => !matches!(self.inst.atom(s), Some(a) if a.role == AtomRole::Constant),
            E::Literal(_) => false,
            E::Cast(x, _) | E::Paren(x) | E::Unary(_, x) | E::Signed(x) | E::Unsigned(x) => {
                self.reads_signal(x)
            }
            E::Slice(x, _, off) => self.reads_signal(x) || self.reads_signal(off),
            E::Index(x, i) => self.reads_signal(x) || self.reads_signal(i),
            E::Binary(l, _, r) => self.reads_signal(l) || self.reads_signal(r),
            E::IndexReplace(x, i, v) => {
                self.reads_signal(x) || self.reads_signal(i) || self.reads_signal(v)
            }
        }
    }

    /// The width rust-hdl's types give `e`, or `None` for a bare literal (which takes the
    /// width of its context, as a Rust integer literal converted with `.into()` does).
    fn natural(&self, e: &E) -> Result<Option<usize>, String> {
        Ok(match e {
            E::Signal(s) => Some(self.width_of(s)?),
            E::Literal(_) => None,
            E::Cast(_, w) => Some(*w),
            E::Paren(x) => self.natural(x)?,
            E::Binary(l, op, r) => match op {
                VerilogOp::Shl | VerilogOp::Shr => self.natural(l)?,
                VerilogOp::Eq
                | VerilogOp::Ne
                | VerilogOp::Lt
                | VerilogOp::Le
                | VerilogOp::Gt
                | VerilogOp::Ge
                | VerilogOp::LogicalAnd
                | VerilogOp::LogicalOr => Some(1),
                VerilogOp::Mul => {
                    return Err(format!("{}: use a multiplier leaf, not `*`", self.name))
                }
                _ => match (self.natural(l)?, self.natural(r)?) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                },
            },
            E::Unary(op, x) => match op {
                VerilogOpUnary::Not | VerilogOpUnary::Neg => self.natural(x)?,
                _ => Some(1),
            },
            E::Index(_, _) => Some(1),
            E::Slice(_, w, _) => Some(*w),
            E::IndexReplace(x, _, _) => self.natural(x)?,
            E::Signed(_) | E::Unsigned(_) => {
                return Err(format!("{}: signed casts are not supported", self.name))
            }
        })
    }

    /// `e` printed so that its self-determined Verilog width is exactly `want`.
    fn expr(&self, e: &E, want: usize) -> Result<String, String> {
        if let E::Literal(l) = e {
            return literal(&l.to_string(), want)
                .ok_or_else(|| format!("{}: literal {l} does not fit in {want} bits", self.name));
        }
        let nat = self
            .natural(e)?
            .ok_or_else(|| format!("{}: expression has no width: {e:?}", self.name))?;
        let s = self.exact(e, nat)?;
        if nat == want {
            Ok(s)
        } else if nat < want {
            Ok(format!("{{{}'d0, {s}}}", want - nat))
        } else {
            Err(format!("{}: {nat}-bit value used where {want} bits are expected (make the cast explicit): {e:?}", self.name))
        }
    }

    /// `e` printed at its natural width `w`.
    fn exact(&self, e: &E, w: usize) -> Result<String, String> {
        Ok(match e {
            E::Signal(s) => mangle(s),
            E::Literal(_) => self.expr(e, w)?,
            E::Paren(x) => self.exact(x, w)?,
            E::Cast(x, n) => match self.natural(x)? {
                None => self.expr(x, *n)?,
                Some(iw) if iw <= *n => self.expr(x, *n)?,
                Some(_) => match x.as_ref() {
                    E::Signal(s) => self.part(&mangle(s), *n, 0),
                    _ => return Err(format!("{}: narrow only signals with bit_cast (store the expression in a Local first)", self.name)),
                },
            },
            E::Binary(l, op, r) => {
                let sym = match op {
                    VerilogOp::Add => "+",
                    VerilogOp::Sub => "-",
                    VerilogOp::BitAnd => "&",
                    VerilogOp::BitOr => "|",
                    VerilogOp::BitXor => "^",
                    VerilogOp::Shl => "<<",
                    VerilogOp::Shr => ">>",
                    VerilogOp::LogicalAnd => "&&",
                    VerilogOp::LogicalOr => "||",
                    VerilogOp::Eq => "==",
                    VerilogOp::Ne => "!=",
                    VerilogOp::Lt => "<",
                    VerilogOp::Le => "<=",
                    VerilogOp::Gt => ">",
                    VerilogOp::Ge => ">=",
                    VerilogOp::Mul => unreachable!("rejected in natural()"),
                };
                match op {
                    VerilogOp::Shl | VerilogOp::Shr => {
                        let amount = match self.fold(r) {
                            Some(v) => v.to_string(),
                            None => {
                                let other = r.as_ref();
                                let rw = self.natural(other)?.ok_or("unsized shift amount")?;
                                self.exact(other, rw)?
                            }
                        };
                        format!("({} {sym} {amount})", self.exact(l, w)?)
                    }
                    VerilogOp::LogicalAnd | VerilogOp::LogicalOr => {
                        format!("({} {sym} {})", self.expr(l, 1)?, self.expr(r, 1)?)
                    }
                    VerilogOp::Eq | VerilogOp::Ne | VerilogOp::Lt | VerilogOp::Le | VerilogOp::Gt | VerilogOp::Ge => {
                        let ow = match (self.natural(l)?, self.natural(r)?) {
                            (Some(a), Some(b)) => a.max(b),
                            (Some(a), None) | (None, Some(a)) => a,
                            (None, None) => return Err("comparison of two literals".into()),
                        };
                        format!("({} {sym} {})", self.expr(l, ow)?, self.expr(r, ow)?)
                    }
                    _ => format!("({} {sym} {})", self.expr(l, w)?, self.expr(r, w)?),
                }
            }
            E::Unary(op, x) => match op {
                VerilogOpUnary::Not => format!("(~{})", self.exact(x, w)?),
                VerilogOpUnary::Neg => format!("(-{})", self.exact(x, w)?),
                VerilogOpUnary::All | VerilogOpUnary::Any | VerilogOpUnary::Xor => {
                    let sym = match op {
                        VerilogOpUnary::All => "&",
                        VerilogOpUnary::Any => "|",
                        _ => "^",
                    };
                    let xw = self.natural(x)?.ok_or("reduction of a literal")?;
                    format!("({sym}{})", self.exact(x, xw)?)
                }
            },
            E::Index(x, i) => {
                let E::Signal(s) = x.as_ref() else {
                    return Err(format!("{}: bit index of a non-signal", self.name));
                };
                match self.fold(i) {
                    Some(v) => format!("{}[{v}]", mangle(s)),
                    None => {
                        let other = i.as_ref();
                        let sig = mangle(s);
                        format!("{sig}[{}]", self.index_expr(&sig, other)?)
                    }
                }
            }
            E::Slice(x, n, off) => {
                let E::Signal(s) = x.as_ref() else {
                    return Err(format!("{}: get_bits of a non-signal (store it in a Local first)", self.name));
                };
                self.select(&mangle(s), *n, off)?
            }
            E::IndexReplace(..) => return Err(format!("{}: replace_bit is not supported", self.name)),
            E::Signed(_) | E::Unsigned(_) => unreachable!("rejected in natural()"),
        })
    }

    /// The value of `e` when it is a literal or names a constant: offsets, indices and
    /// shift amounts built from constants print as plain numbers (exact index widths).
    fn fold(&self, e: &E) -> Option<u128> {
        match e {
            E::Literal(l) => parse_literal(&l.to_string()).map(|(_, v)| v),
            E::Signal(s) => {
                let a = self.inst.atom(s)?;
                if a.role != AtomRole::Constant {
                    return None;
                }
                parse_literal(a.literal.as_deref()?).map(|(_, v)| v)
            }
            E::Paren(x) => self.fold(x),
            _ => None,
        }
    }

    /// A run-time bit index into `sig`, printed at exactly the width Verilator expects for
    /// that vector (clog2 of its width): narrower indices are zero-extended, wider ones
    /// refused, since truncating them would change which bit is read.
    fn index_expr(&self, sig: &str, index: &E) -> Result<String, String> {
        let width = self.width_of(sig)?;
        let need = (usize::BITS - (width.max(2) - 1).leading_zeros()) as usize;
        let have = self.natural(index)?.ok_or("unsized index")?;
        if have > need {
            return Err(format!(
                "{}: {have}-bit index into {width}-bit `{sig}` (at most {need} bits)",
                self.name
            ));
        }
        self.expr(index, need)
    }

    fn part(&self, sig: &str, n: usize, lo: usize) -> String {
        if n == 1 {
            format!("{sig}[{lo}]")
        } else {
            format!("{sig}[{}:{lo}]", lo + n - 1)
        }
    }

    fn select(&self, sig: &str, n: usize, off: &E) -> Result<String, String> {
        match self.fold(off) {
            Some(v) => {
                let w = self.width_of(sig)?;
                if v as usize + n > w {
                    return Err(format!(
                        "{}: bits {v}..{} of {w}-bit `{sig}` are out of range",
                        self.name,
                        v as usize + n
                    ));
                }
                Ok(self.part(sig, n, v as usize))
            }
            None => {
                let other = off;
                Ok(format!("{sig}[{} +: {n}]", self.index_expr(sig, other)?))
            }
        }
    }
}

/// The kernel with `dff_setup!`'s macro blocks opened up and comments dropped.
fn flatten(code: &VerilogBlock) -> VerilogBlock {
    let mut out = vec![];
    for st in code {
        match st {
            S::Macro(inner) => out.extend(flatten(inner)),
            S::Comment(_) => {}
            other => out.push(other.clone()),
        }
    }
    out
}

fn target_of(st: &S) -> Option<String> {
    match st {
        S::Assignment(E::Signal(t), _) => Some(mangle(t)),
        S::SliceAssignment {
            base: E::Signal(b), ..
        } => Some(mangle(b)),
        _ => None,
    }
}

/// Every assigned signal, in order of first assignment.
fn collect_targets(code: &VerilogBlock, out: &mut Vec<String>) {
    for st in code {
        if let Some(t) = target_of(st) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        match st {
            S::If(c) => {
                collect_targets(&c.then, out);
                let mut o = &c.otherwise;
                loop {
                    match o {
                        VerilogBlockOrConditional::Block(b) => {
                            collect_targets(b, out);
                            break;
                        }
                        VerilogBlockOrConditional::Conditional(inner) => match inner.as_ref() {
                            S::If(ic) => {
                                collect_targets(&ic.then, out);
                                o = &ic.otherwise;
                            }
                            _ => break,
                        },
                        VerilogBlockOrConditional::None => break,
                    }
                }
            }
            S::Match(m) => m.cases.iter().for_each(|c| collect_targets(&c.block, out)),
            _ => {}
        }
    }
}

/// The statements of `code` that assign `target`, with the control flow around them.
fn slice_for(code: &VerilogBlock, target: &str) -> VerilogBlock {
    let mut out = vec![];
    for st in code {
        match st {
            S::If(c) => {
                let then = slice_for(&c.then, target);
                let otherwise = slice_otherwise(&c.otherwise, target);
                let empty_else = matches!(otherwise, VerilogBlockOrConditional::None);
                if !then.is_empty() || !empty_else {
                    out.push(S::If(VerilogConditional {
                        test: c.test.clone(),
                        then,
                        otherwise,
                    }));
                }
            }
            S::Match(m) => {
                let cases: Vec<VerilogCase> = m
                    .cases
                    .iter()
                    .map(|c| VerilogCase {
                        condition: c.condition.clone(),
                        block: slice_for(&c.block, target),
                    })
                    .collect();
                if cases.iter().any(|c| !c.block.is_empty()) {
                    out.push(S::Match(VerilogMatch {
                        test: m.test.clone(),
                        cases,
                    }));
                }
            }
            other if target_of(other).as_deref() == Some(target) => out.push(other.clone()),
            _ => {}
        }
    }
    out
}

fn slice_otherwise(o: &VerilogBlockOrConditional, target: &str) -> VerilogBlockOrConditional {
    match o {
        VerilogBlockOrConditional::None => VerilogBlockOrConditional::None,
        VerilogBlockOrConditional::Block(b) => {
            let b = slice_for(b, target);
            if b.is_empty() {
                VerilogBlockOrConditional::None
            } else {
                VerilogBlockOrConditional::Block(b)
            }
        }
        VerilogBlockOrConditional::Conditional(inner) => {
            let sliced = slice_for(&vec![inner.as_ref().clone()], target);
            match sliced.into_iter().next() {
                Some(st) => VerilogBlockOrConditional::Conditional(Box::new(st)),
                None => VerilogBlockOrConditional::None,
            }
        }
    }
}

/// A numeric `match` arm as the macro quotes it (`3`, `0x3`; no type suffixes).
fn parse_int(s: &str) -> Option<u128> {
    let s = s.replace('_', "");
    if let Some(h) = s.strip_prefix("0x") {
        u128::from_str_radix(h, 16).ok()
    } else if let Some(b) = s.strip_prefix("0b") {
        u128::from_str_radix(b, 2).ok()
    } else {
        s.parse().ok()
    }
}

/// Parses rust-hdl's literal text (`32'h1f`, `9'b101`) into (width, value); only values
/// that fit 128 bits are needed for offsets, shifts and case labels.
fn parse_literal(s: &str) -> Option<(usize, u128)> {
    let (w, rest) = s.split_once('\'')?;
    let w = w.parse().ok()?;
    let v = match rest.split_at(1) {
        ("h", h) => u128::from_str_radix(h, 16).ok()?,
        ("b", b) => u128::from_str_radix(b, 2).ok()?,
        _ => return None,
    };
    Some((w, v))
}

/// A literal resized to `want` bits, if its value fits.
fn literal(text: &str, want: usize) -> Option<String> {
    let (_, rest) = text.split_once('\'')?;
    let (radix, digits) = rest.split_at(1);
    let value =
        num_bigint::BigUint::parse_bytes(digits.as_bytes(), if radix == "h" { 16 } else { 2 })?;
    if value.bits() as usize > want {
        return None;
    }
    Some(format!("{want}'h{value:x}"))
}
