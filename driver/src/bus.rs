//! The register bus the driver talks through: one trait, implemented by memory-mapped I/O on a
//! processor ([`Mmio`]) and by the simulators and the golden model in tests.

use crate::regmap::{SCU, WORD_BYTES};

/// 32-bit register accesses at byte offsets from the SCU's base address.
///
/// `privileged` is the access's privilege bit (Wishbone `tga_priv`, AXI4-Lite `AxPROT[0]`). A
/// simulated bus passes it to the model; on a processor the bit comes from the CPU's mode and an
/// implementation ignores the argument (see [`Mmio`]).
///
/// Every access is acknowledged by the SCU: a refused access is a read returning 0 or a write
/// with no effect, reported only through `ERR`, `VIOLATIONS` and `alert` — never as a bus error.
/// So the trait has no error path either.
pub trait Bus {
    fn read32(&mut self, offset: u32, privileged: bool) -> u32;
    fn write32(&mut self, offset: u32, value: u32, privileged: bool);
}

impl<B: Bus + ?Sized> Bus for &mut B {
    fn read32(&mut self, offset: u32, privileged: bool) -> u32 {
        (**self).read32(offset, privileged)
    }

    fn write32(&mut self, offset: u32, value: u32, privileged: bool) {
        (**self).write32(offset, value, privileged)
    }
}

/// Volatile memory-mapped access to an SCU at a fixed base address.
///
/// The `privileged` argument is ignored: the interconnect derives the privilege bit from the
/// mode the processor runs the access in, so software cannot choose it per access (which is the
/// point). Give the [`crate::Scu`] the flag matching the mode it will run in, so that the driver's
/// documentation of each call stays true.
#[derive(Debug)]
pub struct Mmio {
    base: *mut u32,
}

impl Mmio {
    /// # Safety
    ///
    /// `base` is the address of the SCU's register block (`regmap::SCU.size` bytes, word
    /// aligned), mapped as device memory for as long as the `Mmio` lives, and nothing else
    /// accesses it concurrently (the driver's protocol assumes one agent issues commands; see
    /// `docs/driver.md`).
    pub const unsafe fn new(base: usize) -> Self {
        Mmio {
            base: base as *mut u32,
        }
    }

    fn word(&self, offset: u32) -> *mut u32 {
        assert!(
            offset < SCU.size && offset & (WORD_BYTES - 1) == 0,
            "SCU offset outside the register block or misaligned"
        );
        // In bounds of the block `new`'s contract promises.
        unsafe { self.base.byte_add(offset as usize) }
    }
}

impl Bus for Mmio {
    fn read32(&mut self, offset: u32, _privileged: bool) -> u32 {
        // SAFETY: `word` checks the offset against the block `new`'s caller vouched for.
        unsafe { self.word(offset).read_volatile() }
    }

    fn write32(&mut self, offset: u32, value: u32, _privileged: bool) {
        // SAFETY: as for `read32`.
        unsafe { self.word(offset).write_volatile(value) }
    }
}

/// A [`Bus`] that counts the accesses passing through it: for tests against a real model
/// ("denied without a single bus access") and for measuring the driver's protocol overhead.
#[derive(Clone, Debug, Default)]
pub struct Counted<B> {
    pub inner: B,
    pub reads: u64,
    pub writes: u64,
}

impl<B> Counted<B> {
    pub fn new(inner: B) -> Self {
        Counted {
            inner,
            reads: 0,
            writes: 0,
        }
    }

    pub fn accesses(&self) -> u64 {
        self.reads + self.writes
    }
}

impl<B: Bus> Bus for Counted<B> {
    fn read32(&mut self, offset: u32, privileged: bool) -> u32 {
        self.reads += 1;
        self.inner.read32(offset, privileged)
    }

    fn write32(&mut self, offset: u32, value: u32, privileged: bool) {
        self.writes += 1;
        self.inner.write32(offset, value, privileged)
    }
}
