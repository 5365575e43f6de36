fn main() {
    let w: usize = std::env::args().nth(1).map(|s| s.parse().unwrap()).unwrap_or(16);
    let d = scu_hdl::preset::field_alu("dev", &scu_hdl::preset::Params { word_width: w }).unwrap();
    let dir = std::path::Path::new("/tmp/emit");
    std::fs::create_dir_all(dir).unwrap();
    d.write_into(dir).unwrap();
    println!("{}", d.top);
}
