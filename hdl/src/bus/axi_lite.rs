//! AXI4-Lite slave → the gate's Wishbone request (`docs/scu.md`, "AXI4-Lite bridge").
//!
//! Each AW+W pair becomes one Wishbone write (privilege `AWPROT[0]`), each AR one read
//! (`ARPROT[0]`); every response is OKAY, because the gate reports refusals through ERR,
//! VIOLATIONS and `alert`, never as bus errors. One transaction is in flight at a time:
//! the gate itself serves one access at a time, so deeper buffering would only add state.
//!
//! Each channel has a one-entry buffer whose `ready` is simply "empty" (a register), so
//! every handshake honours backpressure on both sides and no output depends
//! combinationally on an input. AW and W may arrive in either order or together.
//!
//! Arbitration: when a complete write (AW and W) and a read are both buffered in the cycle
//! the bridge is free, the **write goes first**. Neither side can starve the other: a
//! buffer is refilled only after its transaction's response handshake, so in the free cycle
//! after a write's B the write buffers are empty and the waiting read is chosen (and vice
//! versa).

use rust_hdl::prelude::*;

#[derive(Copy, Clone, PartialEq, Debug, LogicState)]
pub enum BridgeState {
    Free,
    Write,
    Read,
    WriteResp,
    ReadResp,
}

#[derive(LogicBlock, Default)]
pub struct AxiLiteBridge {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,

    pub s_axi_awvalid: Signal<In, Bit>,
    pub s_axi_awready: Signal<Out, Bit>,
    pub s_axi_awaddr: Signal<In, Bits<12>>,
    pub s_axi_awprot: Signal<In, Bits<3>>,
    pub s_axi_wvalid: Signal<In, Bit>,
    pub s_axi_wready: Signal<Out, Bit>,
    pub s_axi_wdata: Signal<In, Bits<32>>,
    pub s_axi_wstrb: Signal<In, Bits<4>>,
    pub s_axi_bvalid: Signal<Out, Bit>,
    pub s_axi_bready: Signal<In, Bit>,
    pub s_axi_bresp: Signal<Out, Bits<2>>,
    pub s_axi_arvalid: Signal<In, Bit>,
    pub s_axi_arready: Signal<Out, Bit>,
    pub s_axi_araddr: Signal<In, Bits<12>>,
    pub s_axi_arprot: Signal<In, Bits<3>>,
    pub s_axi_rvalid: Signal<Out, Bit>,
    pub s_axi_rready: Signal<In, Bit>,
    pub s_axi_rdata: Signal<Out, Bits<32>>,
    pub s_axi_rresp: Signal<Out, Bits<2>>,

    /// The Wishbone master side (classic cycle: `stb` held until `ack`).
    pub wb_cyc: Signal<Out, Bit>,
    pub wb_stb: Signal<Out, Bit>,
    pub wb_we: Signal<Out, Bit>,
    pub wb_adr: Signal<Out, Bits<12>>,
    pub wb_dat_w: Signal<Out, Bits<32>>,
    pub wb_priv: Signal<Out, Bit>,
    pub wb_ack: Signal<In, Bit>,
    pub wb_dat_r: Signal<In, Bits<32>>,

    state: DFF<BridgeState>,
    aw_full: DFF<Bit>,
    aw_addr: DFF<Bits<12>>,
    aw_priv: DFF<Bit>,
    w_full: DFF<Bit>,
    w_data: DFF<Bits<32>>,
    ar_full: DFF<Bit>,
    ar_addr: DFF<Bits<12>>,
    ar_priv: DFF<Bit>,
    rdata: DFF<Bits<32>>,

    in_req: Signal<Local, Bit>,
}

impl Logic for AxiLiteBridge {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, state, aw_full, aw_addr, aw_priv, w_full, w_data, ar_full, ar_addr,
            ar_priv, rdata
        );

        // Buffers: filled by a handshake, emptied by the response handshake.
        if self.s_axi_awvalid.val() & !self.aw_full.q.val() {
            self.aw_full.d.next = true;
            self.aw_addr.d.next = self.s_axi_awaddr.val();
            self.aw_priv.d.next = self.s_axi_awprot.val().get_bit(0);
        }
        if self.s_axi_wvalid.val() & !self.w_full.q.val() {
            self.w_full.d.next = true;
            self.w_data.d.next = self.s_axi_wdata.val();
        }
        if self.s_axi_arvalid.val() & !self.ar_full.q.val() {
            self.ar_full.d.next = true;
            self.ar_addr.d.next = self.s_axi_araddr.val();
            self.ar_priv.d.next = self.s_axi_arprot.val().get_bit(0);
        }

        match self.state.q.val() {
            BridgeState::Free => {
                if self.aw_full.q.val() & self.w_full.q.val() {
                    self.state.d.next = BridgeState::Write;
                } else if self.ar_full.q.val() {
                    self.state.d.next = BridgeState::Read;
                }
            }
            BridgeState::Write => {
                if self.wb_ack.val() {
                    self.state.d.next = BridgeState::WriteResp;
                }
            }
            BridgeState::Read => {
                if self.wb_ack.val() {
                    self.rdata.d.next = self.wb_dat_r.val();
                    self.state.d.next = BridgeState::ReadResp;
                }
            }
            BridgeState::WriteResp => {
                if self.s_axi_bready.val() {
                    self.aw_full.d.next = false;
                    self.w_full.d.next = false;
                    self.state.d.next = BridgeState::Free;
                }
            }
            _ => {
                if self.s_axi_rready.val() {
                    self.ar_full.d.next = false;
                    self.state.d.next = BridgeState::Free;
                }
            }
        }

        if self.reset.val() {
            self.state.d.next = BridgeState::Free;
            self.aw_full.d.next = false;
            self.w_full.d.next = false;
            self.ar_full.d.next = false;
            self.rdata.d.next = 0.into();
        }

        self.s_axi_awready.next = !self.aw_full.q.val();
        self.s_axi_wready.next = !self.w_full.q.val();
        self.s_axi_arready.next = !self.ar_full.q.val();
        self.s_axi_bvalid.next = self.state.q.val() == BridgeState::WriteResp;
        self.s_axi_bresp.next = 0.into();
        self.s_axi_rvalid.next = self.state.q.val() == BridgeState::ReadResp;
        self.s_axi_rdata.next = self.rdata.q.val();
        self.s_axi_rresp.next = 0.into();

        self.in_req.next =
            (self.state.q.val() == BridgeState::Write) | (self.state.q.val() == BridgeState::Read);
        self.wb_cyc.next = self.in_req.val();
        self.wb_stb.next = self.in_req.val();
        self.wb_we.next = self.state.q.val() == BridgeState::Write;
        self.wb_adr.next = self.ar_addr.q.val();
        self.wb_dat_w.next = self.w_data.q.val();
        self.wb_priv.next = self.ar_priv.q.val();
        if self.state.q.val() == BridgeState::Write {
            self.wb_adr.next = self.aw_addr.q.val();
            self.wb_priv.next = self.aw_priv.q.val();
        }
    }
}
