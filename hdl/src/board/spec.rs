//! The open boards SCU builds for: what the board top (`scu_<board>`) and the flows
//! (`scu fpga build`) need to know about each. Pins live in the board's constraint file
//! (`fpga/<board>/`), whose port names are the board top's: `clk`, `reset_button`,
//! `uart_rx`, `uart_tx`, `led[..]`.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Lattice iCE40 (yosys `synth_ice40`, nextpnr-ice40, icepack).
    Ice40,
    /// Lattice ECP5 (yosys `synth_ecp5`, nextpnr-ecp5, ecppack).
    Ecp5,
    /// Gowin GW1N (yosys `synth_gowin`, nextpnr-himbaechel, gowin_pack).
    Gowin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoardSpec {
    /// `--board` value and the top's suffix (`scu_icebreaker`).
    pub name: &'static str,
    pub title: &'static str,
    pub family: Family,
    /// The part as the place-and-route tool names it (`up5k`, `85k`, `25k`,
    /// `GW1NR-LV9QN88PC6/I5`).
    pub device: &'static str,
    pub package: &'static str,
    /// The board oscillator, which clocks the SCU directly (no PLL).
    pub clock_hz: u32,
    pub baud: u32,
    /// Width of the top's `led` port: the first `leds` of the status LEDs (board.md).
    pub leds: usize,
    pub led_active_low: bool,
    pub reset_active_low: bool,
    /// The preset `scu fpga build` uses without `--preset`.
    pub default_preset: &'static str,
}

impl BoardSpec {
    /// UART bit time in clocks, rounded to nearest (error < 0.5 % at 115200 on every board).
    pub fn clocks_per_bit(&self) -> u32 {
        (self.clock_hz + self.baud / 2) / self.baud
    }

    pub fn top_name(&self) -> String {
        format!("scu_{}", self.name)
    }
}

pub const BOARDS: [BoardSpec; 4] = [
    BoardSpec {
        name: "icebreaker",
        title: "1BitSquared iCEBreaker (iCE40UP5K-SG48)",
        family: Family::Ice40,
        device: "up5k",
        package: "sg48",
        clock_hz: 12_000_000,
        baud: 115_200,
        leds: 2,
        led_active_low: true,
        reset_active_low: true,
        default_preset: "tiny",
    },
    BoardSpec {
        name: "ulx3s",
        title: "Radiona ULX3S (LFE5U-85F-6BG381C)",
        family: Family::Ecp5,
        device: "85k",
        package: "CABGA381",
        clock_hz: 25_000_000,
        baud: 115_200,
        leds: 4,
        led_active_low: false,
        reset_active_low: true,
        default_preset: "fast",
    },
    BoardSpec {
        name: "orangecrab",
        title: "Good Stuff Department OrangeCrab r0.2 (LFE5U-25F-8MG285C)",
        family: Family::Ecp5,
        device: "25k",
        package: "CSFBGA285",
        clock_hz: 48_000_000,
        baud: 115_200,
        leds: 3,
        led_active_low: true,
        reset_active_low: true,
        default_preset: "balanced",
    },
    BoardSpec {
        name: "tangnano9k",
        title: "Sipeed Tang Nano 9K (GW1NR-LV9QN88PC6/I5)",
        family: Family::Gowin,
        device: "GW1NR-LV9QN88PC6/I5",
        package: "QN88",
        clock_hz: 27_000_000,
        baud: 115_200,
        leds: 4,
        led_active_low: true,
        reset_active_low: true,
        default_preset: "tiny",
    },
];

pub fn board(name: &str) -> Result<&'static BoardSpec, String> {
    BOARDS.iter().find(|b| b.name == name).ok_or_else(|| {
        let names: Vec<_> = BOARDS.iter().map(|b| b.name).collect();
        format!("unknown board `{name}` (known: {})", names.join(", "))
    })
}
