//! Compiling the C++ units into static libraries, skipping unchanged ones.

use super::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub(crate) struct Unit {
    pub(crate) src: PathBuf,
    /// gcc -O level.
    pub(crate) opt: &'static str,
    pub(crate) includes: Vec<PathBuf>,
}

pub(crate) struct Library {
    pub(crate) name: String,
    pub(crate) units: Vec<Unit>,
    pub(crate) fingerprint_extra: String,
}

pub(crate) fn compiler(tool: &Verilator, unit: &Unit, fst: bool) -> cc::Build {
    let mut b = cc::Build::new();
    b.cpp(true)
        .std("gnu++17")
        .cargo_metadata(false)
        .warnings(false)
        .extra_warnings(false)
        .debug(false)
        .opt_level_str(unit.opt)
        .include(&tool.include)
        .include(tool.include.join("vltstd"));
    for i in &unit.includes {
        b.include(i);
    }
    for (k, v) in [
        ("VM_COVERAGE", "0"),
        ("VM_SC", "0"),
        ("VM_TRACE", "1"),
        ("VM_TRACE_FST", if fst { "1" } else { "0" }),
        ("VM_TRACE_VCD", if fst { "0" } else { "1" }),
    ] {
        b.define(k, v);
    }
    // Time comes from each model's VerilatedContext, not from a global sc_time_stamp().
    b.define("VL_TIME_CONTEXT", None);
    // Verilator's own flags (CFG_CXXFLAGS_NO_UNUSED); its generated code is not -Wall clean.
    for f in ["-faligned-new", "-fcf-protection=none", "-w"] {
        b.flag(f);
    }
    b
}

pub(crate) fn build_libraries(
    tool: &Verilator,
    libs: &[Library],
    lib_dir: &Path,
    fst: bool,
    jobs: usize,
) {
    struct Job {
        cmd: Command,
        what: String,
    }
    let mut todo: Vec<Job> = vec![];
    let mut archives: Vec<(PathBuf, Vec<PathBuf>, PathBuf, String)> = vec![];
    let ar_build = compiler(tool, &libs[0].units[0], fst);
    for lib in libs {
        let obj_dir = lib_dir.join(format!("{}.objs", lib.name));
        std::fs::create_dir_all(&obj_dir).unwrap();
        let archive = lib_dir.join(format!("lib{}.a", lib.name));
        let stamp_path = lib_dir.join(format!("{}.stamp", lib.name));
        let mut fp = Fnv::new();
        fp.add(SELF_TEXT.as_bytes());
        fp.add(lib.fingerprint_extra.as_bytes());
        let mut objs = vec![];
        let mut cmds = vec![];
        // What the stamp covers, kept next to it to explain a rebuild.
        let mut inputs = format!("extra {}\n", lib.fingerprint_extra);
        for u in &lib.units {
            let tool = compiler(tool, u, fst).get_compiler();
            let obj = obj_dir.join(u.src.file_stem().unwrap()).with_extension("o");
            let mut cmd = tool.to_command();
            cmd.arg("-c").arg(&u.src).arg("-o").arg(&obj);
            let text = std::fs::read(&u.src).unwrap();
            fp.add(format!("{cmd:?}").as_bytes());
            fp.add(&text);
            let mut f = Fnv::new();
            f.add(&text);
            inputs.push_str(&format!("cmd {cmd:?}\nsrc {:016x}\n", f.finish()));
            objs.push(obj);
            cmds.push(cmd);
        }
        let stamp = format!("{:016x}", fp.finish());
        write_if_changed(&lib_dir.join(format!("{}.stamp-inputs", lib.name)), &inputs);
        let fresh =
            archive.exists() && std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp);
        if fresh {
            continue;
        }
        let _ = std::fs::remove_file(&stamp_path);
        for (cmd, u) in cmds.into_iter().zip(&lib.units) {
            todo.push(Job {
                cmd,
                what: format!("{} ({})", u.src.display(), lib.name),
            });
        }
        archives.push((archive, objs, stamp_path, stamp));
    }
    // Longest units first would be ideal; the runtime comes first in `libs`, which is close.
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::<String>::new());
    let todo = todo.into_iter().map(Mutex::new).collect::<Vec<_>>();
    std::thread::scope(|s| {
        for _ in 0..jobs.min(todo.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = todo.get(i) else { break };
                let mut job = job.lock().unwrap();
                let res = job.cmd.output();
                match res {
                    Ok(o) if o.status.success() => {}
                    Ok(o) => failures.lock().unwrap().push(format!(
                        "compiling {} failed:\n{:?}\n{}{}",
                        job.what,
                        job.cmd,
                        String::from_utf8_lossy(&o.stdout),
                        String::from_utf8_lossy(&o.stderr)
                    )),
                    Err(e) => failures
                        .lock()
                        .unwrap()
                        .push(format!("cannot run the C++ compiler for {}: {e}", job.what)),
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    if !failures.is_empty() {
        panic!("scu-sim: {}", failures.join("\n\n"));
    }
    for (archive, objs, stamp_path, stamp) in archives {
        let _ = std::fs::remove_file(&archive);
        let mut ar = ar_build.get_archiver();
        ar.arg("crs").arg(&archive).args(&objs);
        let o = ar
            .output()
            .unwrap_or_else(|e| panic!("scu-sim: cannot run ar: {e}"));
        if !o.status.success() {
            panic!(
                "scu-sim: {ar:?} failed:\n{}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        std::fs::write(stamp_path, stamp).unwrap();
    }
}

pub(crate) fn dir_fingerprint(dir: &Path) -> String {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("cpp" | "h")))
        .collect();
    entries.sort();
    let mut fp = Fnv::new();
    for p in entries {
        fp.add(p.file_name().unwrap().to_string_lossy().as_bytes());
        fp.add(&std::fs::read(&p).unwrap());
    }
    format!("{:016x}", fp.finish())
}

/// FNV-1a, 64 bits: a stable content hash for the stamps (std's hasher is not stable).
pub(crate) struct Fnv(u64);
impl Fnv {
    pub(crate) fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    pub(crate) fn add(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Length separator so ("ab","c") and ("a","bc") differ.
        self.0 ^= bytes.len() as u64;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|t| t == text) {
        return;
    }
    std::fs::write(path, text)
        .unwrap_or_else(|e| panic!("scu-sim: writing {}: {e}", path.display()));
}

// ---------------------------------------------------------------------------------------
// Rust
