//! TEMPORARY stand-in for `scu_hdl::preset::fpga_top` (the SCU's board top, written on
//! branch h-rtl): delete this file and call `scu_hdl::preset::fpga_top` from
//! src/cli/fpga.rs when that lands. It exists only so the flow can be developed and tested
//! against a design of the SCU's real size with the board top's ports: a scan register fed
//! from `uart_rx` drives every Wishbone input of `scu_wb_w<W>`, and `uart_tx` is the parity
//! of every output, so synthesis keeps the whole SCU. It is not a usable board design.

use scu_hdl::board::BoardSpec;
use scu_hdl::preset::{self, Params};
use scu_hdl::DesignSet;

/// (top, files) of the stand-in board top.
pub fn fpga_top(
    spec: &BoardSpec,
    preset_name: &str,
    params: &Params,
) -> Result<(String, Vec<(String, String)>), String> {
    let wb = preset::scu_wb(preset_name, params)?;
    let top = spec.top_name();
    let mut files = DesignSet {
        designs: vec![wb.clone()],
        extra: vec![],
    }
    .files()?;
    let pressed = if spec.reset_active_low {
        "~btn[1]"
    } else {
        "btn[1]"
    };
    let n = spec.leds;
    let led_xor = if spec.led_active_low { "~" } else { "" };
    let text = format!(
        "module {top} (\n    input wire clk,\n    input wire reset_button,\n    input wire uart_rx,\n\
         \x20   output wire uart_tx,\n    output wire [{hi}:0] led\n);\n\
         \x20   reg [1:0] btn;\n    reg [1:0] rx;\n    reg [51:0] sr;\n    reg [3:0] por = 4'd0;\n\
         \x20   reg tx;\n    wire reset = {pressed} || !por[3];\n\
         \x20   wire ack, alert, irq;\n    wire [31:0] dat_r;\n\
         \x20   always @(posedge clk) begin\n        btn <= {{btn[0], reset_button}};\n        rx <= {{rx[0], uart_rx}};\n\
         \x20       sr <= {{sr[50:0], rx[1]}};\n        if (!por[3]) por <= por + 4'd1;\n\
         \x20       tx <= ^dat_r ^ ack ^ alert ^ irq;\n    end\n\
         \x20   {wbtop} core (\n        .clock(clk), .reset(reset),\n\
         \x20       .wb_cyc(sr[0]), .wb_stb(sr[1]), .wb_we(sr[2]), .wb_adr(sr[18:7]),\n\
         \x20       .wb_dat_w(sr[50:19]), .wb_priv(sr[51]), .wb_ack(ack), .wb_dat_r(dat_r),\n\
         \x20       .trng_raw(rx[1]), .trng_raw_valid(sr[5]), .alert(alert), .irq(irq)\n    );\n\
         \x20   assign uart_tx = tx;\n    assign led = {led_xor}{{{n}{{irq ^ alert}}}};\nendmodule\n",
        hi = n - 1,
        wbtop = wb.top,
    );
    files.insert(0, (format!("{top}.v"), text));
    Ok((top, files))
}
