// The dataset under data/ is embedded in the binary; rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=data");
}
