//! Port descriptions: the constant table every model carries.

/// Direction of a top-level port, seen from the design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Input,
    Output,
}

/// One top-level port of a model: name as in the Verilog, direction, width in bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PortInfo {
    pub name: &'static str,
    pub direction: Direction,
    pub width: usize,
}

impl PortInfo {
    /// Ports up to 64 bits use `u64` accessors; wider ones `u32` words and `BigUint`.
    pub fn is_wide(&self) -> bool {
        self.width > 64
    }

    /// Number of little-endian `u32` words that hold the port.
    pub fn words(&self) -> usize {
        self.width.div_ceil(32)
    }
}
