//! A scripted stand-in for the SCU, for the driver's unit tests: it records every access and
//! answers from a tiny register model — just enough of the gate to exercise the driver's
//! protocol (violations, ERR, busy polling, done/engine_status, windows, slot policies, the
//! TRNG). The real gate is tested against the driver in the root crate.

use std::collections::{HashMap, VecDeque};

use crate::bus::Bus;
use crate::regmap::scu::{
    addr, cmd, err, id, slot_policy, status, trng_status, violations, ID_MAGIC, MAP_VERSION,
    OPERAND_WORDS, SCU,
};
use crate::regmap::{EnumValue, Register, WORD_BYTES};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read {
        offset: u32,
        value: u32,
        privileged: bool,
    },
    Write {
        offset: u32,
        value: u32,
        privileged: bool,
    },
}

impl Access {
    pub fn offset(&self) -> u32 {
        match *self {
            Access::Read { offset, .. } | Access::Write { offset, .. } => offset,
        }
    }

    pub fn is_write(&self) -> bool {
        matches!(self, Access::Write { .. })
    }
}

/// How the next accepted command ends.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// STATUS reads that still show busy after the CMD write.
    pub busy_reads: u32,
    pub status: EnumValue,
    /// `done` when it goes idle (false: abandoned by lockdown).
    pub done: bool,
    /// Result windows (offset of word 0, words) set when the command is accepted.
    pub results: Vec<(u32, [u32; OPERAND_WORDS as usize])>,
}

impl Default for Outcome {
    fn default() -> Self {
        Outcome {
            busy_reads: 3,
            status: status::engine_status::OK,
            done: true,
            results: Vec::new(),
        }
    }
}

#[derive(Debug)]
pub struct Fake {
    pub log: Vec<Access>,
    pub id: u32,
    /// Window words and config registers by offset.
    pub regs: HashMap<u32, u32>,
    pub violations: u32,
    pub err_code: u32,
    pub err_last: u32,
    pub lockdown: bool,
    pub busy_left: u32,
    pub done: bool,
    pub engine_status: u32,
    /// Refuse the next CMD write with this ERR code.
    pub refuse_cmd: Option<EnumValue>,
    /// Refuse the next config (privileged register) write with this code.
    pub refuse_config: Option<EnumValue>,
    pub outcome: Outcome,
    /// Hold `violations` at its saturated value.
    pub saturated: bool,
    pub trng_words: VecDeque<u32>,
    /// TRNG_STATUS reads that show not ready before each word.
    pub trng_wait: u32,
    pub trng_wait_left: u32,
    /// Alarm with this alarm_test mask once `trng_alarm_after` words have been taken.
    pub trng_alarm: Option<(usize, u32)>,
    pub trng_taken: usize,
    /// Refuse reads of this offset (as BUSY: another agent started a command).
    pub refuse_read: Option<u32>,
}

impl Default for Fake {
    fn default() -> Self {
        Fake {
            log: Vec::new(),
            id: id::MAGIC.put(ID_MAGIC) | id::VERSION.put(MAP_VERSION) | id::WORD_WIDTH.put(32),
            regs: HashMap::new(),
            violations: 0,
            err_code: 0,
            err_last: 0,
            lockdown: false,
            busy_left: 0,
            done: false,
            engine_status: 0,
            refuse_cmd: None,
            refuse_config: None,
            outcome: Outcome::default(),
            saturated: false,
            trng_words: VecDeque::new(),
            trng_wait: 0,
            trng_wait_left: 0,
            trng_alarm: None,
            trng_taken: 0,
            refuse_read: None,
        }
    }
}

impl Fake {
    pub fn saturated() -> Self {
        Fake {
            violations: violations::COUNT.max(),
            err_code: err::code::BAD_ADDR.value,
            err_last: err::code::BAD_ADDR.value,
            saturated: true,
            ..Fake::default()
        }
    }

    fn violate(&mut self, code: EnumValue) {
        if self.err_code == 0 {
            self.err_code = code.value;
        }
        self.err_last = code.value;
        self.violations = (self.violations + 1).min(violations::COUNT.max());
    }

    fn busy(&self) -> bool {
        self.busy_left > 0
    }

    fn trng_alarmed(&self) -> Option<u32> {
        match self.trng_alarm {
            Some((after, tests)) if self.trng_taken >= after => Some(tests),
            _ => None,
        }
    }

    fn trng_ready(&mut self) -> bool {
        if self.busy() || self.trng_alarmed().is_some() || self.trng_words.is_empty() {
            return false;
        }
        if self.trng_wait_left > 0 {
            self.trng_wait_left -= 1;
            return false;
        }
        true
    }

    /// Words of a window as written.
    pub fn window(&self, window: &Register) -> [u32; OPERAND_WORDS as usize] {
        core::array::from_fn(|i| *self.regs.get(&window.at(i as u32)).unwrap_or(&0))
    }

    pub fn writes(&self) -> Vec<(u32, u32)> {
        self.log
            .iter()
            .filter_map(|a| match *a {
                Access::Write { offset, value, .. } => Some((offset, value)),
                _ => None,
            })
            .collect()
    }

    pub fn cmd_writes(&self) -> Vec<u32> {
        self.writes()
            .into_iter()
            .filter(|&(o, _)| o == addr::CMD)
            .map(|(_, v)| v)
            .collect()
    }

    fn read_value(&mut self, offset: u32) -> u32 {
        let Some((reg, _)) = SCU.decode(offset) else {
            self.violate(err::code::BAD_ADDR);
            return 0;
        };
        if !reg.readable() {
            self.violate(err::code::BAD_ADDR);
            return 0;
        }
        if self.refuse_read == Some(offset) {
            self.violate(err::code::BUSY);
            return 0;
        }
        match offset {
            addr::ID => self.id,
            addr::STATUS => {
                let busy = self.busy();
                if busy {
                    self.busy_left -= 1;
                }
                let ready = !busy && self.trng_alarmed().is_none() && !self.trng_words.is_empty();
                status::BUSY.put(busy as u32)
                    | status::DONE.put((!busy && self.done) as u32)
                    | status::ENGINE_STATUS.put(self.engine_status)
                    | status::LOCKDOWN.put(self.lockdown as u32)
                    | status::TRNG_ALARM.put(self.trng_alarmed().is_some() as u32)
                    | status::TRNG_READY.put(ready as u32)
                    | status::ALERT.put((self.violations > 0) as u32)
            }
            addr::ERR => err::CODE.put(self.err_code) | err::LAST.put(self.err_last),
            addr::VIOLATIONS => violations::COUNT.put(self.violations),
            addr::TRNG_STATUS => {
                let ready = self.trng_ready();
                let alarm = self.trng_alarmed();
                trng_status::ALARM.put(alarm.is_some() as u32)
                    | trng_status::ALARM_TEST.put(alarm.unwrap_or(0))
                    | trng_status::STARTUP_DONE.put(1)
                    | trng_status::READY.put(ready as u32)
            }
            addr::TRNG_DATA => {
                if self.busy() || self.trng_alarmed().is_some() {
                    return 0;
                }
                match self.trng_words.pop_front() {
                    Some(w) => {
                        self.trng_taken += 1;
                        self.trng_wait_left = self.trng_wait;
                        w
                    }
                    None => 0,
                }
            }
            _ if (addr::OP_X..addr::RES_S + OPERAND_WORDS * WORD_BYTES).contains(&offset)
                && self.busy() =>
            {
                self.violate(err::code::BUSY);
                0
            }
            _ => *self.regs.get(&offset).unwrap_or(&0),
        }
    }

    fn write_value(&mut self, offset: u32, value: u32, privileged: bool) {
        if self.lockdown {
            return self.violate(err::code::LOCKDOWN);
        }
        let Some((reg, index)) = SCU.decode(offset) else {
            return self.violate(err::code::BAD_ADDR);
        };
        if !reg.writable() {
            return self.violate(err::code::BAD_ADDR);
        }
        if reg.privileged_write && !privileged {
            return self.violate(err::code::PRIV);
        }
        if reg.privileged_write {
            if let Some(code) = self.refuse_config.take() {
                return self.violate(code);
            }
            let stored = if offset == addr::SLOT_POLICY + index * WORD_BYTES {
                let old = *self.regs.get(&offset).unwrap_or(&0);
                (value & !slot_policy::VALID.mask()) | (old & slot_policy::VALID.mask())
            } else {
                value
            };
            self.regs.insert(offset, stored);
            return;
        }
        if offset == addr::CMD {
            if self.busy() {
                return self.violate(err::code::BUSY);
            }
            if let Some(code) = self.refuse_cmd.take() {
                return self.violate(code);
            }
            let _ = (cmd::OP.get(value), cmd::SLOT.get(value));
            let outcome = self.outcome.clone();
            self.busy_left = outcome.busy_reads;
            self.done = outcome.done;
            self.engine_status = outcome.status.value;
            for (base, words) in outcome.results {
                for (i, w) in words.into_iter().enumerate() {
                    self.regs.insert(base + i as u32 * WORD_BYTES, w);
                }
            }
            return;
        }
        if self.busy() {
            return self.violate(err::code::BUSY);
        }
        self.regs.insert(offset, value);
    }
}

impl Bus for Fake {
    fn read32(&mut self, offset: u32, privileged: bool) -> u32 {
        let value = self.read_value(offset);
        if self.saturated {
            self.violations = violations::COUNT.max();
        }
        self.log.push(Access::Read {
            offset,
            value,
            privileged,
        });
        value
    }

    fn write32(&mut self, offset: u32, value: u32, privileged: bool) {
        self.write_value(offset, value, privileged);
        self.log.push(Access::Write {
            offset,
            value,
            privileged,
        });
    }
}
