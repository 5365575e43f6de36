//! The pipelined 128 × 128 → 256 multiplier leaf of the W = 128 ALU (`docs/field-alu.md`,
//! "Pipelined product"). One product goes in every cycle and comes out `MUL_LATENCY` cycles
//! later. Hand-written because rust-hdl's `*` stops at 16 × 16; the text is generated here so
//! that every stage is spelled out.
//!
//! Stage 1 registers the 64 tile products a_i·b_j of 16-bit digits (each one DSP: ECP5
//! MULT18X18D, iCE40 SB_MAC16). A row Σ_j a_i·b_j·2^{16j} is then a single two-operand add,
//! because the tiles of even j occupy disjoint 32-bit fields (a concatenation), and so do
//! those of odd j. Three more levels pair rows up (2 → 4 → 8 digits of a). Every level is
//! registered, so the longest carry chain is the last level's 192 bits, where a one-cycle
//! 128 × 128 product measured 29.9 MHz on the ECP5 (its 256-bit sum after the DSPs).
//!
//! The stage registers hold data only and are overwritten every cycle: no reset.

use rust_hdl::prelude::*;

use crate::emit::verilog::LEAF_MARKER;

/// The leaf's module name.
pub const MUL_PIPE_NAME: &str = "scu_mul_pipe_w128";

#[derive(LogicBlock, Default)]
pub struct MulPipe {
    pub clock: Signal<In, Clock>,
    pub a: Signal<In, Bits<128>>,
    pub b: Signal<In, Bits<128>>,
    pub p: Signal<Out, Bits<256>>,
}

impl Logic for MulPipe {
    fn update(&mut self) {
        // Never simulated by rust-hdl: co-simulation runs the emitted leaf under Verilator.
    }

    fn connect(&mut self) {
        self.p.connect();
    }

    fn hdl(&self) -> Verilog {
        assert_eq!(
            scu_golden::field_alu::MUL_LATENCY,
            5,
            "the leaf has five register stages; the model's latency must say so"
        );
        let mut v = format!("{LEAF_MARKER}{MUL_PIPE_NAME}\n");
        v.push_str("    // Tile (i, j) = a_i * b_j at bits 32(8i + j) of `tile`.\n");
        v.push_str("    reg [2047:0] tile;\n    reg [1151:0] row;\n    reg [639:0] pair;\n");
        v.push_str("    reg [383:0] quad;\n    reg [255:0] prod;\n");
        v.push_str("    always @(posedge clock) begin\n");
        for i in 0..8 {
            for j in 0..8 {
                let k = 8 * i + j;
                v.push_str(&format!(
                    "        tile[{}:{}] <= {{16'd0, a[{}:{}]}} * {{16'd0, b[{}:{}]}};\n",
                    32 * k + 31,
                    32 * k,
                    16 * i + 15,
                    16 * i,
                    16 * j + 15,
                    16 * j
                ));
            }
        }
        // Row i (144 bits): even-j tiles concatenated, plus odd-j tiles concatenated << 16.
        let tile = |i: usize, j: usize| {
            let k = 8 * i + j;
            format!("tile[{}:{}]", 32 * k + 31, 32 * k)
        };
        for i in 0..8 {
            let even: Vec<String> = [6, 4, 2, 0].iter().map(|&j| tile(i, j)).collect();
            let odd: Vec<String> = [7, 5, 3, 1].iter().map(|&j| tile(i, j)).collect();
            v.push_str(&format!(
                "        row[{}:{}] <= {{16'd0, {}}} + {{{}, 16'd0}};\n",
                144 * i + 143,
                144 * i,
                even.join(", "),
                odd.join(", ")
            ));
        }
        // Pairs of rows (160 bits: a 32-bit digit of a times b), quads (192), the product.
        v.push_str(&pair_level("pair", "row", 144, 16, 4));
        v.push_str(&pair_level("quad", "pair", 160, 32, 2));
        v.push_str(&pair_level("prod", "quad", 192, 64, 1));
        v.push_str("    end\n    assign p = prod;");
        Verilog::Custom(v)
    }
}

/// One adder level of the tree: `count` sums, each of two adjacent `src_w`-bit vectors of
/// `src`, the second shifted up by `shift` bits, into `dst` (`src_w + shift` bits each).
fn pair_level(dst: &str, src: &str, src_w: usize, shift: usize, count: usize) -> String {
    let dst_w = src_w + shift;
    let slice = |name: &str, w: usize, k: usize| format!("{name}[{}:{}]", w * k + w - 1, w * k);
    (0..count)
        .map(|k| {
            let target = if count == 1 {
                dst.to_string()
            } else {
                slice(dst, dst_w, k)
            };
            format!(
                "        {target} <= {{{shift}'d0, {}}} + {{{}, {shift}'d0}};\n",
                slice(src, src_w, 2 * k),
                slice(src, src_w, 2 * k + 1)
            )
        })
        .collect()
}
