//! The boards' pin constraint files (`fpga/<board>/`), embedded so the binary builds for a
//! board outside the source tree. Their port names are the board top's (`hdl/src/board`).

use scu_hdl::board::{BoardSpec, Family};

/// (file name, contents) of `spec`'s constraint file.
pub fn for_board(spec: &BoardSpec) -> Result<(String, &'static str), String> {
    let text = match spec.name {
        "icebreaker" => include_str!("../../fpga/icebreaker/icebreaker.pcf"),
        "ulx3s" => include_str!("../../fpga/ulx3s/ulx3s.lpf"),
        "orangecrab" => include_str!("../../fpga/orangecrab/orangecrab.lpf"),
        "tangnano9k" => include_str!("../../fpga/tangnano9k/tangnano9k.cst"),
        other => return Err(format!("board `{other}` has no constraint file in fpga/")),
    };
    Ok((format!("{}.{}", spec.name, extension(spec.family)), text))
}

pub fn extension(family: Family) -> &'static str {
    match family {
        Family::Ice40 => "pcf",
        Family::Ecp5 => "lpf",
        Family::Gowin => "cst",
    }
}
