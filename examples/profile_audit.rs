fn main() {
    let path = std::env::args().nth(1).unwrap();
    let n: usize = std::env::args().nth(2).map_or(1000, |s| s.parse().unwrap());
    let input = std::fs::read(path).unwrap();
    let policy = certkey::Policy::default();
    let mut ok = 0;
    for _ in 0..n {
        ok += certkey::audit(&input, &policy).is_ok() as usize;
    }
    println!("{ok}");
}
