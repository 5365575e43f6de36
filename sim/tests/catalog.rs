//! Every catalog model: constructible in every initial-state mode, resettable, clockable,
//! with a port table that matches the by-name accessors for every width.

mod common;

use common::Rng;
use num_bigint::BigUint;
use num_traits::One;
use scu_sim::{
    for_each_model, Direction, InitState, Model, ModelVisitor, Sim, SimOptions, Waves, CATALOG,
};

#[test]
fn catalog_is_not_empty_and_names_are_consistent() {
    assert!(CATALOG.len() >= 3, "the three field ALUs at least");
    for e in CATALOG {
        assert!(e.top.starts_with("scu_"), "{}", e.top);
        assert!(e.struct_name.starts_with("Scu"), "{}", e.struct_name);
        assert!(!e.ports.is_empty());
    }
    for w in [16, 32, 64] {
        let top = format!("scu_field_alu_w{w}");
        let e = CATALOG
            .iter()
            .find(|e| e.top == top)
            .unwrap_or_else(|| panic!("{top} in catalog"));
        let ports: Vec<(&str, Direction, usize)> = e
            .ports
            .iter()
            .map(|p| (p.name, p.direction, p.width))
            .collect();
        use Direction::*;
        assert_eq!(
            ports,
            [
                ("clock", Input, 1),
                ("reset", Input, 1),
                ("start", Input, 1),
                ("op", Input, 2),
                ("mod_sel", Input, 1),
                ("a", Input, 256),
                ("b", Input, 256),
                ("busy", Output, 1),
                ("done", Output, 1),
                ("err", Output, 1),
                ("result", Output, 256),
                // The serial datapath's operand port (ignored by this parallel ALU).
                ("ld_a", Input, 1),
                ("ld_b", Input, 1),
                ("ld_word", Input, w),
                ("rot_t", Input, 1),
            ]
        );
    }
}

struct CreateResetClock(Vec<&'static str>);

impl ModelVisitor for CreateResetClock {
    fn visit<M: Model>(&mut self) {
        self.0.push(M::TOP);
        assert_eq!(
            M::ports(),
            CATALOG.iter().find(|e| e.top == M::TOP).unwrap().ports
        );
        for init in [
            InitState::Zeros,
            InitState::Ones,
            InitState::Random { seed: 1 },
            InitState::Random { seed: 0 },
        ] {
            let mut sim = Sim::with_waves(M::create(init), &Waves::Off);
            if let Some(reset) = M::RESET {
                sim.set_port(reset, &BigUint::one()).unwrap();
                sim.ticks(3);
                sim.set_port(reset, &BigUint::from(0u32)).unwrap();
            }
            sim.ticks(10);
            assert_eq!(sim.cycles(), if M::RESET.is_some() { 13 } else { 10 });
            if let Some(clock) = M::CLOCK {
                // After a tick the clock rests high.
                assert_eq!(sim.get_port(clock).unwrap(), BigUint::one(), "{}", M::TOP);
            }
            // Every port is readable; outputs fit their width.
            for p in M::ports() {
                let v = sim.get_port(p.name).unwrap();
                assert!(
                    v.bits() <= p.width as u64,
                    "{}.{} = {v:#x} wider than {}",
                    M::TOP,
                    p.name,
                    p.width
                );
            }
            sim.finish();
        }
    }
}

#[test]
fn every_model_can_be_created_reset_and_clocked() {
    let mut v = CreateResetClock(vec![]);
    for_each_model(&mut v);
    let tops: Vec<&str> = CATALOG.iter().map(|e| e.top).collect();
    assert_eq!(v.0, tops);
}

struct PortRoundTrip;

impl ModelVisitor for PortRoundTrip {
    fn visit<M: Model>(&mut self) {
        let mut m = M::create(InitState::Random { seed: 77 });
        let mut rng = Rng(0xfeed ^ M::TOP.len() as u64);
        for p in M::ports() {
            let max = (BigUint::one() << p.width) - 1u32;
            let too_big = BigUint::one() << p.width;
            match p.direction {
                Direction::Input => {
                    for v in [
                        BigUint::from(0u32),
                        BigUint::one(),
                        max.clone(),
                        rng.bits(p.width),
                        rng.bits(p.width),
                    ] {
                        m.set_port(p.name, &v).unwrap();
                        assert_eq!(
                            m.get_port(p.name).unwrap(),
                            v,
                            "{}.{} ({} bits)",
                            M::TOP,
                            p.name,
                            p.width
                        );
                    }
                    let err = m.set_port(p.name, &too_big).unwrap_err();
                    assert!(
                        err.contains(p.name) && err.contains("does not fit"),
                        "{err}"
                    );
                }
                Direction::Output => {
                    let err = m.set_port(p.name, &BigUint::one()).unwrap_err();
                    assert!(err.contains("is an output"), "{err}");
                }
            }
        }
        let err = m.set_port("no_such_port", &BigUint::one()).unwrap_err();
        assert!(err.contains("has no port `no_such_port`"), "{err}");
        assert!(m.get_port("no_such_port").is_err());
    }
}

#[test]
fn ports_round_trip_by_name_at_every_width() {
    for_each_model(&mut PortRoundTrip);
}

/// The multiplier leaves (combinational, up to 128-bit output) through the by-name API.
struct MulLeaves(usize);

impl ModelVisitor for MulLeaves {
    fn visit<M: Model>(&mut self) {
        if M::BLOCK != "mul" {
            return;
        }
        self.0 += 1;
        assert!(M::CLOCK.is_none());
        let w = M::ports().iter().find(|p| p.name == "a").unwrap().width;
        let mut sim = Sim::<M>::create(SimOptions::new().no_waves());
        let mut rng = Rng(w as u64);
        let max = (BigUint::one() << w) - 1u32;
        for (a, b) in [
            (max.clone(), max.clone()),
            (rng.bits(w), rng.bits(w)),
            (BigUint::from(0u32), max.clone()),
        ] {
            sim.set_port("a", &a).unwrap();
            sim.set_port("b", &b).unwrap();
            sim.tick();
            assert_eq!(
                sim.get_port("p").unwrap(),
                &a * &b,
                "{}: {a:#x} * {b:#x}",
                M::TOP
            );
        }
    }
}

#[test]
fn multiplier_leaves_multiply() {
    let mut v = MulLeaves(0);
    for_each_model(&mut v);
    let expected = CATALOG.iter().filter(|e| e.block == "mul").count();
    assert_eq!(v.0, expected);
}

#[test]
fn debug_output_names_ports() {
    let m = scu_sim::models::ScuFieldAluW64::new();
    let s = format!("{m:?}");
    assert!(
        s.starts_with("ScuFieldAluW64 {") && s.contains("result: 0x0"),
        "{s}"
    );
}
