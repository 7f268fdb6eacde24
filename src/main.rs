#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(cmd @ ("bench-seed" | "bench-search")) = args.first().map(String::as_str) {
        if let Err(message) = portal::server::bench::run(cmd, &args[1..]).await {
            eprintln!("portal: {message}");
            std::process::exit(1);
        }
        return;
    }
    if args.first().map(String::as_str) == Some("user") {
        if let Err((code, message)) = portal::server::cli::run(&args[1..]).await {
            eprintln!("portal: {message}");
            std::process::exit(code);
        }
        return;
    }
    if let Err(message) = portal::server::run().await {
        eprintln!("portal: {message}");
        std::process::exit(1);
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser starts in lib.rs (`hydrate`); this binary only exists with `ssr`.
}
