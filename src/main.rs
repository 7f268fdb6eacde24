#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    if let Err(message) = portal::server::run().await {
        eprintln!("portal: {message}");
        std::process::exit(1);
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser starts in lib.rs (`hydrate`); this binary only exists with `ssr`.
}
