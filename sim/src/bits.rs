//! Value checks and conversions shared by the generated accessors (cold paths only).

use crate::PortInfo;
use num_bigint::BigUint;
use std::ffi::CString;
use std::path::Path;

#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn too_wide_u64(top: &str, port: &str, width: usize, value: u64) -> ! {
    panic!("{top}.{port}: value {value:#x} does not fit in {width} bits")
}

#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn too_wide(top: &str, port: &str, width: usize) -> ! {
    panic!("{top}.{port}: value does not fit in {width} bits (must be < 2^{width})")
}

#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn too_many_words(top: &str, port: &str, width: usize, given: usize) -> ! {
    panic!(
        "{top}.{port}: {given} words given, the port has {} ({width} bits)",
        width.div_ceil(32)
    )
}

/// `Err` naming the port if `value` ≥ 2^`width`.
pub(crate) fn check(top: &str, port: &str, width: usize, value: &BigUint) -> Result<(), String> {
    if value.bits() > width as u64 {
        Err(format!(
            "{top}.{port}: value {value:#x} does not fit in {width} bits"
        ))
    } else {
        Ok(())
    }
}

/// For values already checked to fit in ≤ 64 bits.
pub(crate) fn to_u64(value: &BigUint) -> u64 {
    value.iter_u64_digits().next().unwrap_or(0)
}

pub(crate) fn unknown_port(top: &str, ports: &[PortInfo], name: &str) -> String {
    let names: Vec<&str> = ports.iter().map(|p| p.name).collect();
    format!("{top} has no port `{name}` (ports: {})", names.join(", "))
}

pub(crate) fn c_path(path: &Path) -> Result<CString, String> {
    CString::new(path.as_os_str().as_encoded_bytes())
        .map_err(|_| format!("waveform path {} contains a NUL byte", path.display()))
}
