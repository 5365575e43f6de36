//! The SCU's register map (first draft: the gate's design refines names and fields).
//!
//! Each register is a `const` [`Register`] named as in the documentation (`CMD`), its fields
//! `const` [`Field`]s in the module of the same name in lower case (`cmd::OP`), named values in
//! a module named after the field (`cmd::op::SIGN_SLOT`), and its byte offset a plain `u32` in
//! [`addr`] (`addr::CMD`). To change the map, edit the register here and add it to [`SCU`]'s
//! list in offset order; the compile-time check rejects overlaps and bad names, and
//! `docs/registers.md` must be regenerated (its test says how).

use super::{Access::*, EnumValue, Field, GenParam, RegMap, Register};

/// `ID.magic`: tells an SCU from whatever else answers at the base address.
pub const ID_MAGIC: u32 = 0x5C01;
/// `ID.version`: the register map's revision; a driver refuses a revision it does not know.
pub const MAP_VERSION: u32 = 2;
/// Key slots.
pub const SLOTS: u32 = 8;
/// Words of an operand or result window: one 256-bit integer.
pub const OPERAND_WORDS: u32 = 8;

pub static SCU: RegMap = MAP;

const MAP: RegMap = RegMap {
    name: "scu",
    desc: "The SCU's registers: 4 KiB of address space at a base address the SoC integrator \
           chooses, 32-bit words at word-aligned byte offsets. A register marked privileged \
           refuses the access (privileged write: a write) unless the bus marks it privileged. \
           A refused access is a violation (docs/gate.md): it has no effect (a read returns \
           0), ERR keeps the first one's code, VIOLATIONS counts them, and enough of them \
           put the SCU into lockdown.",
    width: 32,
    size: 0x1000,
    registers: &[
        ID,
        STATUS,
        CMD,
        ERR,
        VIOLATIONS,
        LOCKDOWN_THRESHOLD,
        USER_ALLOW,
        SLOT_POLICY,
        TRNG_STATUS,
        TRNG_DATA,
        TRNG_RCT_FAILS,
        TRNG_APT_FAILS,
        TRNG_SAMPLES,
        TRNG_LAG_FAILS,
        TRNG_ALARM_SAMPLE,
        OP_X,
        OP_Y,
        OP_Z,
        OP_R,
        OP_S,
        OP_D,
        OP_K,
        RES_X,
        RES_Y,
        RES_R,
        RES_S,
    ],
};

const _: () = if let Err(e) = MAP.validate() {
    panic!("{}", e.message())
};

/// Byte offsets as plain constants, for `match` patterns and MMIO arithmetic.
pub mod addr {
    pub const ID: u32 = super::ID.offset;
    pub const STATUS: u32 = super::STATUS.offset;
    pub const CMD: u32 = super::CMD.offset;
    pub const ERR: u32 = super::ERR.offset;
    pub const VIOLATIONS: u32 = super::VIOLATIONS.offset;
    pub const LOCKDOWN_THRESHOLD: u32 = super::LOCKDOWN_THRESHOLD.offset;
    pub const USER_ALLOW: u32 = super::USER_ALLOW.offset;
    /// Slot `s` at `SLOT_POLICY + 4 * s`.
    pub const SLOT_POLICY: u32 = super::SLOT_POLICY.offset;
    pub const TRNG_STATUS: u32 = super::TRNG_STATUS.offset;
    pub const TRNG_DATA: u32 = super::TRNG_DATA.offset;
    pub const TRNG_RCT_FAILS: u32 = super::TRNG_RCT_FAILS.offset;
    pub const TRNG_APT_FAILS: u32 = super::TRNG_APT_FAILS.offset;
    pub const TRNG_SAMPLES: u32 = super::TRNG_SAMPLES.offset;
    pub const TRNG_LAG_FAILS: u32 = super::TRNG_LAG_FAILS.offset;
    pub const TRNG_ALARM_SAMPLE: u32 = super::TRNG_ALARM_SAMPLE.offset;
    pub const OP_X: u32 = super::OP_X.offset;
    pub const OP_Y: u32 = super::OP_Y.offset;
    pub const OP_Z: u32 = super::OP_Z.offset;
    pub const OP_R: u32 = super::OP_R.offset;
    pub const OP_S: u32 = super::OP_S.offset;
    pub const OP_D: u32 = super::OP_D.offset;
    pub const OP_K: u32 = super::OP_K.offset;
    pub const RES_X: u32 = super::RES_X.offset;
    pub const RES_Y: u32 = super::RES_Y.offset;
    pub const RES_R: u32 = super::RES_R.offset;
    pub const RES_S: u32 = super::RES_S.offset;
}

// ---- Identification and control ----

pub const ID: Register = Register::new(
    "ID",
    0x000,
    "Identifies the SCU and the parameters it was generated with.",
)
.fields(&[id::MAGIC, id::VERSION, id::WORD_WIDTH]);

pub mod id {
    use super::*;
    pub const MAGIC: Field =
        Field::new("magic", 16, 16, Ro, "Always 0x5C01.").reset(super::ID_MAGIC);
    pub const VERSION: Field = Field::new(
        "version",
        8,
        8,
        Ro,
        "Register map revision; changes whenever a register or field changes meaning.",
    )
    .reset(super::MAP_VERSION);
    pub const WORD_WIDTH: Field = Field::new(
        "word_width",
        0,
        8,
        Ro,
        "The engine's word width in bits (16, 32, 64 or 128): sets the cycle count of every \
         command.",
    )
    .reset_param(GenParam::WordWidth);
}

pub const STATUS: Register =
    Register::new("STATUS", 0x004, "What the SCU is doing now.").fields(&[
        status::BUSY,
        status::DONE,
        status::ENGINE_STATUS,
        status::LOCKDOWN,
        status::TRNG_ALARM,
        status::TRNG_READY,
        status::ALERT,
    ]);

pub mod status {
    use super::*;
    pub const BUSY: Field = Field::bit(
        "busy",
        0,
        Ro,
        "A command is running; CMD writes and window accesses are refused (ERR BUSY).",
    );
    pub const DONE: Field = Field::bit(
        "done",
        1,
        Ro,
        "The last command has finished and its results are in the `RES_` windows; cleared by \
         the next CMD write.",
    );
    pub const ENGINE_STATUS: Field = Field::new(
        "engine_status",
        4,
        3,
        Ro,
        "How the last engine command ended (valid when done).",
    )
    .values(engine_status::ALL);
    pub const LOCKDOWN: Field = Field::bit(
        "lockdown",
        8,
        Ro,
        "VIOLATIONS reached LOCKDOWN_THRESHOLD: the SCU zeroized itself as for ZEROIZE and \
         refuses every command (ERR LOCKDOWN) until reset.",
    );
    pub const TRNG_ALARM: Field = Field::bit("trng_alarm", 9, Ro, "Copy of TRNG_STATUS.alarm.");
    pub const TRNG_READY: Field = Field::bit("trng_ready", 10, Ro, "Copy of TRNG_STATUS.ready.");
    pub const ALERT: Field = Field::bit(
        "alert",
        11,
        RoSticky,
        "A violation or a TRNG alarm has happened since reset (the alert output pulses once \
         per event).",
    );

    /// The engine's `Status` codes (`scu_golden::engine::Status`); never renumbered.
    pub mod engine_status {
        use super::*;
        pub const OK: EnumValue =
            EnumValue::new("OK", 0, "Success (VERIFY: the signature is valid).");
        pub const BAD_SCALAR: EnumValue = EnumValue::new(
            "BAD_SCALAR",
            1,
            "A private key or nonce is 0 or not below n.",
        );
        pub const BAD_POINT: EnumValue =
            EnumValue::new("BAD_POINT", 2, "A public key is not a point of P-256.");
        pub const R_ZERO: EnumValue = EnumValue::new(
            "R_ZERO",
            3,
            "SIGN produced r = 0; retry with another nonce.",
        );
        pub const S_ZERO: EnumValue = EnumValue::new(
            "S_ZERO",
            4,
            "SIGN produced s = 0; retry with another nonce.",
        );
        pub const INVALID_SIG: EnumValue =
            EnumValue::new("INVALID_SIG", 5, "VERIFY: the signature does not match.");
        pub const BAD_CMD: EnumValue =
            EnumValue::new("BAD_CMD", 6, "The engine got an unknown command.");
        /// The gate's own code (the engine's status port never shows 7).
        pub const TRNG_FAIL: EnumValue = EnumValue::new(
            "TRNG_FAIL",
            7,
            "The TRNG raised its alarm while the command drew random words; nothing was \
             stored and every result reads 0.",
        );
        pub const ALL: &[EnumValue] = &[
            OK,
            BAD_SCALAR,
            BAD_POINT,
            R_ZERO,
            S_ZERO,
            INVALID_SIG,
            BAD_CMD,
            TRNG_FAIL,
        ];
    }
}

pub const CMD: Register = Register::new(
    "CMD",
    0x008,
    "Writing starts a command on the operand windows and, for the `_SLOT` commands, key slot \
     `slot`. Refused while STATUS.busy (ERR BUSY), in lockdown (ERR LOCKDOWN), for an op a user \
     access may not issue (USER_ALLOW; ERR PRIV) and for an op the slot's policy forbids (ERR \
     POLICY).",
)
.fields(&[cmd::OP, cmd::SLOT]);

pub mod cmd {
    use super::*;
    pub const OP: Field = Field::new("op", 0, 4, Wo, "The command.").values(op::ALL);
    pub const SLOT: Field = Field::new(
        "slot",
        4,
        4,
        Wo,
        "Key slot for the `_SLOT` commands (0 to 7; others are refused with ERR BAD_CMD).",
    );

    pub mod op {
        use super::*;
        pub const NOP: EnumValue = EnumValue::new("NOP", 0, "Nothing; always allowed.");
        pub const KEYGEN_SLOT: EnumValue = EnumValue::new(
            "KEYGEN_SLOT",
            1,
            "New private key from the TRNG into the slot; public key to RES_X, RES_Y.",
        );
        pub const SIGN_SLOT: EnumValue = EnumValue::new(
            "SIGN_SLOT",
            2,
            "ECDSA signature of digest OP_Z with the slot's key and a TRNG nonce; (r, s) to \
             RES_R, RES_S.",
        );
        pub const VERIFY: EnumValue = EnumValue::new(
            "VERIFY",
            3,
            "Checks signature (OP_R, OP_S) of digest OP_Z under public key (OP_X, OP_Y); \
             STATUS.engine_status OK or INVALID_SIG.",
        );
        pub const ECDH_SLOT: EnumValue = EnumValue::new(
            "ECDH_SLOT",
            4,
            "Shared secret of the slot's key and peer public key (OP_X, OP_Y): x to RES_X.",
        );
        pub const IMPORT_SLOT: EnumValue = EnumValue::new(
            "IMPORT_SLOT",
            5,
            "Stores private key OP_D in the slot once a key generation on it has checked its \
             range, and sets the slot's wlock; public key to RES_X, RES_Y.",
        );
        pub const PUBKEY_SLOT: EnumValue =
            EnumValue::new("PUBKEY_SLOT", 6, "The slot's public key to RES_X, RES_Y.");
        pub const ZEROIZE: EnumValue = EnumValue::new(
            "ZEROIZE",
            7,
            "Erases every slot, every engine register and every operand and result window; \
             every slot becomes empty (`slot` is ignored).",
        );
        pub const KEYGEN_EXT: EnumValue = EnumValue::new(
            "KEYGEN_EXT",
            8,
            "Public key of private key OP_D to RES_X, RES_Y.",
        );
        pub const SIGN_EXT: EnumValue = EnumValue::new(
            "SIGN_EXT",
            9,
            "ECDSA signature of digest OP_Z with private key OP_D and nonce OP_K; (r, s) to \
             RES_R, RES_S.",
        );
        pub const ECDH_EXT: EnumValue = EnumValue::new(
            "ECDH_EXT",
            10,
            "Shared secret of private key OP_D and peer public key (OP_X, OP_Y): x to RES_X.",
        );
        pub const ALL: &[EnumValue] = &[
            NOP,
            KEYGEN_SLOT,
            SIGN_SLOT,
            VERIFY,
            ECDH_SLOT,
            IMPORT_SLOT,
            PUBKEY_SLOT,
            ZEROIZE,
            KEYGEN_EXT,
            SIGN_EXT,
            ECDH_EXT,
        ];
    }
}

pub const ERR: Register = Register::new(
    "ERR",
    0x00C,
    "The first refused access or command since reset (kept until reset), and the latest one.",
)
.fields(&[err::CODE, err::LAST]);

pub mod err {
    use super::*;
    pub const CODE: Field = Field::new(
        "code",
        0,
        8,
        RoSticky,
        "What the first refused access since reset was; later ones do not replace it.",
    )
    .values(code::ALL);
    pub const LAST: Field = Field::new(
        "last",
        8,
        8,
        Ro,
        "What the latest refused access was (same codes as `code`): lets a driver tell why \
         its own command was refused.",
    );

    pub mod code {
        use super::*;
        pub const NONE: EnumValue = EnumValue::new("NONE", 0, "Nothing refused since reset.");
        pub const PRIV: EnumValue = EnumValue::new(
            "PRIV",
            1,
            "A user access to a privileged register, or a command USER_ALLOW does not open to \
             users.",
        );
        pub const LOCKED: EnumValue = EnumValue::new(
            "LOCKED",
            2,
            "A write to a locked register or field, or a key change in a write-locked slot.",
        );
        pub const USE_LOCKED: EnumValue =
            EnumValue::new("USE_LOCKED", 3, "A command on a use-locked slot.");
        pub const POLICY: EnumValue =
            EnumValue::new("POLICY", 4, "A command the slot's policy does not allow.");
        pub const EMPTY_SLOT: EnumValue =
            EnumValue::new("EMPTY_SLOT", 5, "A command needing a key on an empty slot.");
        pub const BUSY: EnumValue = EnumValue::new(
            "BUSY",
            6,
            "A CMD write or a window access while a command runs.",
        );
        pub const BAD_CMD: EnumValue = EnumValue::new(
            "BAD_CMD",
            7,
            "An unknown op or a slot number beyond the slots.",
        );
        pub const BAD_ADDR: EnumValue = EnumValue::new(
            "BAD_ADDR",
            8,
            "An access to an offset no register occupies, a read of a write-only register or \
             window, or a write to a read-only one.",
        );
        pub const LOCKDOWN: EnumValue =
            EnumValue::new("LOCKDOWN", 9, "Any write (a command included) in lockdown.");
        pub const TRNG: EnumValue = EnumValue::new(
            "TRNG",
            10,
            "A command needing random numbers while the TRNG is in alarm.",
        );
        pub const ALL: &[EnumValue] = &[
            NONE, PRIV, LOCKED, USE_LOCKED, POLICY, EMPTY_SLOT, BUSY, BAD_CMD, BAD_ADDR, LOCKDOWN,
            TRNG,
        ];
    }
}

pub const VIOLATIONS: Register = Register::new(
    "VIOLATIONS",
    0x010,
    "Refused accesses and commands (those ERR reports) since reset.",
)
.fields(&[violations::COUNT]);

pub mod violations {
    use super::*;
    pub const COUNT: Field = Field::new("count", 0, 16, Ro, "Saturates at 0xFFFF.");
}

// ---- Privileged policy ----

pub const LOCKDOWN_THRESHOLD: Register = Register::new(
    "LOCKDOWN_THRESHOLD",
    0x014,
    "When VIOLATIONS reaches the threshold the SCU enters lockdown (STATUS.lockdown).",
)
.privileged_write()
.fields(&[lockdown_threshold::THRESHOLD, lockdown_threshold::LOCK]);

pub mod lockdown_threshold {
    use super::*;
    pub const THRESHOLD: Field = Field::new(
        "threshold",
        0,
        8,
        Rw,
        "Violations that trigger lockdown; 0 never does.",
    );
    pub const LOCK: Field = Field::bit(
        "lock",
        31,
        W1s,
        "Freezes this register until reset (writes then fail with ERR LOCKED).",
    );
}

pub const USER_ALLOW: Register = Register::new(
    "USER_ALLOW",
    0x018,
    "Which commands user (unprivileged) software may issue; privileged software may issue any.",
)
.privileged_write()
.fields(&[user_allow::OPS, user_allow::LOCK]);

pub mod user_allow {
    use super::*;
    pub const OPS: Field = Field::new("ops", 0, 16, Rw, "Bit n opens CMD op n to user software.");
    pub const LOCK: Field = Field::bit(
        "lock",
        31,
        W1s,
        "Freezes this register until reset (writes then fail with ERR LOCKED).",
    );
}

pub const SLOT_POLICY: Register = Register::new(
    "SLOT_POLICY",
    0x020,
    "One word per key slot (slot s at 0x020 + 4 s): what its key may be used for, and locks. \
     A write that would clear a set lock bit, or change the allow bits while wlock is set, is \
     refused (ERR LOCKED).",
)
.array(SLOTS)
.privileged_write()
.fields(&[
    slot_policy::ALLOW_SIGN,
    slot_policy::ALLOW_ECDH,
    slot_policy::VALID,
    slot_policy::WLOCK,
    slot_policy::ULOCK,
]);

pub mod slot_policy {
    use super::*;
    pub const ALLOW_SIGN: Field = Field::bit("allow_sign", 0, Rw, "SIGN_SLOT may use the key.");
    pub const ALLOW_ECDH: Field = Field::bit("allow_ecdh", 1, Rw, "ECDH_SLOT may use the key.");
    pub const VALID: Field = Field::bit(
        "valid",
        4,
        Ro,
        "The slot holds a key (KEYGEN_SLOT or IMPORT_SLOT; ZEROIZE and lockdown empty it).",
    );
    pub const WLOCK: Field = Field::bit(
        "wlock",
        8,
        W1s,
        "Write lock: KEYGEN_SLOT and IMPORT_SLOT refuse the slot and the allow bits are \
         frozen until reset (ERR LOCKED); IMPORT_SLOT sets it.",
    );
    pub const ULOCK: Field = Field::bit(
        "ulock",
        9,
        W1s,
        "Use lock: no command may use the key until reset.",
    );
}

// ---- TRNG ----

pub const TRNG_STATUS: Register = Register::new(
    "TRNG_STATUS",
    0x060,
    "The true random number generator's state and health tests.",
)
.fields(&[
    trng_status::ALARM,
    trng_status::ALARM_TEST,
    trng_status::STARTUP_DONE,
    trng_status::READY,
]);

pub mod trng_status {
    use super::*;
    pub const ALARM: Field = Field::bit(
        "alarm",
        0,
        Ro,
        "A health test failed: the TRNG delivers nothing more until reset.",
    );
    pub const ALARM_TEST: Field = Field::new(
        "alarm_test",
        1,
        3,
        Ro,
        "Which health tests raised the alarm (more than one can fail on the same sample): \
         bit 0 repetition count, bit 1 adaptive proportion, bit 2 lag-1 proportion.",
    );
    pub const STARTUP_DONE: Field = Field::bit(
        "startup_done",
        4,
        Ro,
        "The start-up health tests have passed.",
    );
    pub const READY: Field = Field::bit(
        "ready",
        5,
        Ro,
        "TRNG_DATA holds a fresh word (always 0 while STATUS.busy: commands own the TRNG).",
    );
}

pub const TRNG_DATA: Register = Register::new(
    "TRNG_DATA",
    0x064,
    "Conditioned random words for software. Each read takes one word; read only when \
     TRNG_STATUS.ready, otherwise the read returns 0 (and always while STATUS.busy, when \
     the running command owns the TRNG).",
)
.fields(&[trng_data::DATA]);

pub mod trng_data {
    use super::*;
    pub const DATA: Field = Field::new("data", 0, 32, RoPop, "32 random bits.");
}

pub const TRNG_RCT_FAILS: Register = Register::new(
    "TRNG_RCT_FAILS",
    0x068,
    "Repetition count test failures since reset.",
)
.fields(&[trng_rct_fails::COUNT]);

pub mod trng_rct_fails {
    use super::*;
    pub const COUNT: Field = Field::new("count", 0, 16, Ro, "Saturates at 0xFFFF.");
}

pub const TRNG_APT_FAILS: Register = Register::new(
    "TRNG_APT_FAILS",
    0x06C,
    "Adaptive proportion test failures since reset.",
)
.fields(&[trng_apt_fails::COUNT]);

pub mod trng_apt_fails {
    use super::*;
    pub const COUNT: Field = Field::new("count", 0, 16, Ro, "Saturates at 0xFFFF.");
}

pub const TRNG_LAG_FAILS: Register = Register::new(
    "TRNG_LAG_FAILS",
    0x074,
    "Lag-1 proportion test failures since reset.",
)
.fields(&[trng_lag_fails::COUNT]);

pub mod trng_lag_fails {
    use super::*;
    pub const COUNT: Field = Field::new("count", 0, 16, Ro, "Saturates at 0xFFFF.");
}

pub const TRNG_ALARM_SAMPLE: Register = Register::new(
    "TRNG_ALARM_SAMPLE",
    0x078,
    "The raw sample that raised the alarm: how many samples the health tests had seen, that \
     one included (0 while TRNG_STATUS.alarm is clear).",
)
.fields(&[trng_alarm_sample::COUNT]);

pub mod trng_alarm_sample {
    use super::*;
    pub const COUNT: Field = Field::new("count", 0, 32, Ro, "Sample index, counted from 1.");
}

pub const TRNG_SAMPLES: Register = Register::new(
    "TRNG_SAMPLES",
    0x070,
    "Raw noise samples the health tests have seen since reset.",
)
.fields(&[trng_samples::COUNT]);

pub mod trng_samples {
    use super::*;
    pub const COUNT: Field = Field::new("count", 0, 32, Ro, "Wraps at 2^32.");
}

// ---- Operand and result windows ----
//
// Each is one 256-bit integer in 8 words, most significant word first (at the lowest offset),
// so a big-endian byte string maps onto it word by word.

/// The one field of every window word.
const WORD: Field = Field::new("word", 0, 32, Rw, "32 bits of the integer.");
const WORD_WO: Field = Field {
    access: Wo,
    desc: "32 bits of the integer. Reads return 0 and are violations (ERR BAD_ADDR): a \
           secret written here cannot be read back.",
    ..WORD
};
const WORD_RO: Field = Field {
    access: Ro,
    desc: "32 bits of the result; 0 unless the last command succeeded and declares this \
           result (the gate scrubs everything else).",
    ..WORD
};

const fn operand(name: &'static str, offset: u32, desc: &'static str) -> Register {
    Register::new(name, offset, desc)
        .window(OPERAND_WORDS)
        .fields(&[WORD])
}

pub const OP_X: Register = operand(
    "OP_X",
    0x100,
    "Public key x (VERIFY) or peer public key x (ECDH_SLOT, ECDH_EXT).",
);
pub const OP_Y: Register = operand("OP_Y", 0x120, "The y matching OP_X.");
pub const OP_Z: Register = operand(
    "OP_Z",
    0x140,
    "Message digest (SIGN_SLOT, SIGN_EXT, VERIFY): the hash's bytes as a big-endian integer.",
);
pub const OP_R: Register = operand("OP_R", 0x160, "Signature r (VERIFY).");
pub const OP_S: Register = operand("OP_S", 0x180, "Signature s (VERIFY).");
pub const OP_D: Register = Register::new(
    "OP_D",
    0x1A0,
    "Private key for IMPORT_SLOT and the `_EXT` commands (key import, test vectors). \
     Write-only.",
)
.window(OPERAND_WORDS)
.fields(&[WORD_WO]);
pub const OP_K: Register = Register::new("OP_K", 0x1C0, "ECDSA nonce for SIGN_EXT. Write-only.")
    .window(OPERAND_WORDS)
    .fields(&[WORD_WO]);

const fn result(name: &'static str, offset: u32, desc: &'static str) -> Register {
    Register::new(name, offset, desc)
        .window(OPERAND_WORDS)
        .fields(&[WORD_RO])
}

pub const RES_X: Register = result(
    "RES_X",
    0x200,
    "Public key x (KEYGEN_SLOT, PUBKEY_SLOT, KEYGEN_EXT) or shared secret (ECDH_SLOT, ECDH_EXT).",
);
pub const RES_Y: Register = result("RES_Y", 0x220, "Public key y.");
pub const RES_R: Register = result("RES_R", 0x240, "Signature r.");
pub const RES_S: Register = result("RES_S", 0x260, "Signature s.");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regmap::{Reset, Shape};

    #[test]
    fn addr_constants_match_the_registers() {
        let pairs = [
            (addr::ID, "ID"),
            (addr::STATUS, "STATUS"),
            (addr::CMD, "CMD"),
            (addr::ERR, "ERR"),
            (addr::VIOLATIONS, "VIOLATIONS"),
            (addr::LOCKDOWN_THRESHOLD, "LOCKDOWN_THRESHOLD"),
            (addr::USER_ALLOW, "USER_ALLOW"),
            (addr::SLOT_POLICY, "SLOT_POLICY"),
            (addr::TRNG_STATUS, "TRNG_STATUS"),
            (addr::TRNG_DATA, "TRNG_DATA"),
            (addr::TRNG_RCT_FAILS, "TRNG_RCT_FAILS"),
            (addr::TRNG_APT_FAILS, "TRNG_APT_FAILS"),
            (addr::TRNG_SAMPLES, "TRNG_SAMPLES"),
            (addr::TRNG_LAG_FAILS, "TRNG_LAG_FAILS"),
            (addr::TRNG_ALARM_SAMPLE, "TRNG_ALARM_SAMPLE"),
            (addr::OP_X, "OP_X"),
            (addr::OP_Y, "OP_Y"),
            (addr::OP_Z, "OP_Z"),
            (addr::OP_R, "OP_R"),
            (addr::OP_S, "OP_S"),
            (addr::OP_D, "OP_D"),
            (addr::OP_K, "OP_K"),
            (addr::RES_X, "RES_X"),
            (addr::RES_Y, "RES_Y"),
            (addr::RES_R, "RES_R"),
            (addr::RES_S, "RES_S"),
        ];
        assert_eq!(
            pairs.len(),
            SCU.registers.len(),
            "one addr constant per register"
        );
        for (offset, name) in pairs {
            assert_eq!(SCU.register(name).unwrap().offset, offset, "{name}");
        }
    }

    #[test]
    fn the_issue_layout() {
        assert_eq!(addr::CMD, 0x008);
        assert_eq!(SLOT_POLICY.at(7), 0x03C);
        assert_eq!(OP_D.at(0), 0x1A0);
        assert_eq!(RES_S.end(), 0x280);
        assert_eq!(OP_X.shape, Shape::Window { words: 8 });
        assert_eq!(status::ENGINE_STATUS.mask(), 0x70);
        assert_eq!(
            cmd::SLOT.put(3) | cmd::OP.put(cmd::op::SIGN_SLOT.value),
            0x32
        );
        assert_eq!(cmd::OP.value("ECDH_EXT"), Some(10));
        assert_eq!(err::CODE.value("TRNG"), Some(10));
        assert_eq!(lockdown_threshold::LOCK.mask(), 0x8000_0000);
        assert_eq!(id::WORD_WIDTH.reset, Reset::Param(GenParam::WordWidth));
        assert_eq!(ID.reset(), None);
        assert_eq!(ID.reset_with(|_| 32), 0x5C01_0220);
        assert_eq!(STATUS.reset(), Some(0));
        assert!(OP_D.writable() && !OP_D.readable());
        assert!(!RES_X.writable() && RES_X.readable());
        let slot_policy = SLOT_POLICY;
        assert!(slot_policy.privileged_write && !slot_policy.privileged_read);
        assert_eq!(SLOT_POLICY.access(), None);
        assert_eq!(OP_X.access(), Some(crate::regmap::Access::Rw));
    }

    #[test]
    fn decode_finds_every_word_and_nothing_else() {
        for r in SCU.registers {
            for i in 0..r.count() {
                let (found, index) = SCU.decode(r.at(i)).unwrap();
                assert_eq!((found.name, index), (r.name, i));
            }
        }
        let mapped: u32 = SCU.registers.iter().map(|r| r.count()).sum();
        let decoded = (0..SCU.size / 4)
            .filter(|w| SCU.decode(w * 4).is_some())
            .count();
        assert_eq!(decoded as u32, mapped);
        assert_eq!(SCU.decode(0x002), None);
        assert_eq!(SCU.decode(0x040), None);
        assert_eq!(SCU.decode(0xFFC), None);
    }

    #[test]
    fn field_helpers() {
        let f = status::ENGINE_STATUS;
        assert_eq!(f.get(0xFFFF_FF5F), 0b101);
        assert_eq!(f.set(0xFFFF_FFFF, 0), 0xFFFF_FF8F);
        assert_eq!(f.put(0xFF), 0x70);
        assert_eq!(WORD.mask(), u32::MAX);
        assert_eq!(WORD.get(0x1234_5678), 0x1234_5678);
        assert_eq!(trng_status::ALARM_TEST.msb(), 3);
    }
}
