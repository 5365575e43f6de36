fn main() {
    let args: Vec<String> = std::env::args().collect();
    let w: usize = args[1].parse().unwrap();
    let out = std::path::Path::new(&args[2]);
    std::fs::create_dir_all(out).unwrap();
    let p = scu_hdl::preset::Params::with_word_width(w);
    let d = if args.len() > 3 {
        scu_hdl::preset::engine(&format!("w{w}"), &p).unwrap()
    } else {
        scu_hdl::preset::engine_serial(&format!("w{w}"), &p).unwrap()
    };
    d.write_into(out).unwrap();
    println!("{}", d.top);
}
