//! `portal-demo`: demo content and benchmark data for developers (built with the `demo`
//! feature; never part of the production server). Uses the same configuration as `portal`.

use clap::{Parser, Subcommand};
use portal::server::config::Config;

/// Fills a database with demo content (for development and the end-to-end tests) or with a
/// generated archive (for the benchmark).
#[derive(Parser)]
#[command(name = "portal-demo", version)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write about 130 demo articles with illustrations and the three demo accounts (with the
    /// passwords printed in the README) into a database that has none yet.
    Seed,
    /// Fill an empty database with a generated archive of published articles.
    BenchData {
        /// How many articles.
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
    },
    /// Time the live search's query in-process; prints `p50_ms p95_ms max_ms`.
    BenchSearch,
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = cli.config;
    match cli.command {
        Command::Seed => {
            let added = portal::demo::seed_database(&config).await?;
            if added > 0 {
                println!(
                    "portal-demo: {added} demo articles and the demo accounts written to {}",
                    config.database_url()
                );
            } else {
                println!(
                    "portal-demo: {} has articles already; nothing written",
                    config.database_url()
                );
            }
            Ok(())
        }
        Command::BenchData { articles } => {
            let pool = portal::server::open_database(&config).await?;
            portal::demo::bench::seed(&pool, &config.media_dir(), articles).await
        }
        Command::BenchSearch => {
            let pool = portal::server::open_database(&config).await?;
            // Warm SQLite's page cache first, as a running server would have it.
            portal::demo::bench::time_search(&pool, 1).await?;
            let (p50, p95, max) = portal::demo::bench::time_search(&pool, 20).await?;
            println!("{p50:.3} {p95:.3} {max:.3}");
            Ok(())
        }
    }
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Err(message) = run(cli).await {
        eprintln!("portal-demo: {message}");
        std::process::exit(1);
    }
}
