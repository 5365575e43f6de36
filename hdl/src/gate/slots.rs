//! The key-slot RAM: `slots` × 256 bits, one port (synchronous read, or write), the shape
//! of the smallest single-port RAM macro. Like the engine's register file it is a
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
    /// Slot index; the FSM only ever presents one below `slots`.
    pub addr: Signal<In, Bits<4>>,
    pub wdata: Signal<In, Bits<256>>,
    pub rdata: Signal<Out, Bits<256>>,
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
    // The array index is exactly as wide as the slot count needs; an address beyond the
    // array (possible only when `n` is not 16) is refused rather than aliased onto a slot.
    let (index, in_range) = match n {
        1 => ("0".to_string(), "addr == 4'd0".to_string()),
        16 => ("addr".to_string(), "1'b1".to_string()),
        _ => {
            let bits = usize::BITS as usize - (n - 1).leading_zeros() as usize;
            (format!("addr[{}:0]", bits - 1), format!("addr < 4'd{n}"))
        }
    };
    let last = n - 1;
    // With 16 slots every address is in range; the constant would only draw a lint warning.
    let (decl, guard) = if n == 16 {
        (String::new(), String::new())
    } else {
        (
            format!("    wire in_range = {in_range};\n"),
            " && in_range".to_string(),
        )
    };
    let read = if n == 16 {
        format!("mem[{index}]")
    } else {
        format!("in_range ? mem[{index}] : 256'd0")
    };
    format!(
        "{LEAF_MARKER}{KEYSLOTS_NAME}
    // Key material is data: no reset (the gate's ZERO state, entered on reset, clears it).
    reg [255:0] mem [0:{last}];
    reg [255:0] rdata_r;
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
        assert!(keyslots_verilog(8).contains("mem[addr[2:0]] <= wdata"));
        assert!(keyslots_verilog(8).contains("addr < 4'd8"));
        assert!(keyslots_verilog(5).contains("addr[2:0]"));
        assert!(keyslots_verilog(16).contains("mem[addr] <= wdata"));
        assert!(!keyslots_verilog(16).contains("in_range"));
        assert!(keyslots_verilog(1).contains("mem[0] <= wdata"));
    }
}
