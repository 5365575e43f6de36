//! The key-slot RAM: `slots` × 8 words of 32 bits (word `{slot, lane}`: lane i holds bits
//! 32i+31..32i of the key), one port (synchronous read, or write), the shape of the smallest
//! single-port RAM macro. 32 bits wide because the gate moves keys a lane per cycle: at 256
//! bits the eight slots took 16 iCE40 block RAMs for 2 kbit. Like the engine's register file it is a
//! hand-written leaf so synthesis sees an array, not `slots × 256` flip-flops, and it has no
//! reset: the gate's ZERO state (which reset enters) clears it.

use rust_hdl::prelude::*;

use crate::emit::verilog::LEAF_MARKER;

pub const KEYSLOTS_NAME: &str = "scu_gate_keyslots";

#[derive(LogicBlock)]
pub struct KeySlots {
    pub clock: Signal<In, Clock>,
    pub re: Signal<In, Bit>,
    pub we: Signal<In, Bit>,
    /// `{slot, lane}`; the FSM only ever presents a slot below `slots`.
    pub addr: Signal<In, Bits<7>>,
    pub wdata: Signal<In, Bits<32>>,
    pub rdata: Signal<Out, Bits<32>>,
    /// Not a port: the slot count the Verilog is generated for.
    k_slots: Constant<Bits<5>>,
}

impl KeySlots {
    pub fn new(slots: usize) -> Self {
        assert!(
            (1..=16).contains(&slots),
            "1 to 16 slots (CMD.slot is 4 bits)"
        );
        Self {
            clock: Default::default(),
            re: Default::default(),
            we: Default::default(),
            addr: Default::default(),
            wdata: Default::default(),
            rdata: Default::default(),
            k_slots: Constant::new(Bits::<5>::from(slots as u64)),
        }
    }
}

impl Logic for KeySlots {
    // Never simulated by rust-hdl (the gate is co-simulated through Verilator only).
    fn update(&mut self) {}

    fn connect(&mut self) {
        self.rdata.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(keyslots_verilog(self.k_slots.val().index()))
    }
}

fn keyslots_verilog(n: usize) -> String {
    // The array is exactly `8n` words; an address beyond it (possible only when `n` is not 16)
    // is refused rather than aliased onto a slot.
    let words = 8 * n;
    let last = words - 1;
    let bits = usize::BITS as usize - last.leading_zeros() as usize;
    let index = if bits == 7 {
        "addr".to_string()
    } else {
        format!("addr[{}:0]", bits - 1)
    };
    let (decl, guard, read) = if n == 16 {
        (String::new(), String::new(), format!("mem[{index}]"))
    } else {
        (
            format!("    wire in_range = addr < 7'd{words};\n"),
            " && in_range".to_string(),
            format!("in_range ? mem[{index}] : 32'd0"),
        )
    };
    format!(
        "{LEAF_MARKER}{KEYSLOTS_NAME}
    // Key material is data: no reset (the gate's ZERO state, entered on reset, clears it).
    reg [31:0] mem [0:{last}];
    reg [31:0] rdata_r;
{decl}    always @(posedge clock) begin
        if (we{guard}) mem[{index}] <= wdata;
        if (re) rdata_r <= {read};
    end
    assign rdata = rdata_r;"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_width_follows_the_slot_count() {
        assert!(keyslots_verilog(8).contains("mem[addr[5:0]] <= wdata"));
        assert!(keyslots_verilog(8).contains("addr < 7'd64"));
        assert!(keyslots_verilog(5).contains("addr[5:0]"));
        assert!(keyslots_verilog(5).contains("addr < 7'd40"));
        assert!(keyslots_verilog(16).contains("mem[addr] <= wdata"));
        assert!(!keyslots_verilog(16).contains("in_range"));
        assert!(keyslots_verilog(1).contains("mem[addr[2:0]] <= wdata"));
    }
}
