//! Development aid: emit every catalog design into /tmp/scu-catalog/<top>/.
fn main() {
    for d in scu_hdl::preset::sim_catalog() {
        let dir = std::path::Path::new("/tmp/scu-catalog").join(&d.top);
        std::fs::create_dir_all(&dir).unwrap();
        d.write_into(&dir).unwrap();
        println!("{}", dir.display());
    }
}
