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
    /// Write a generated WordPress export (WXR) of --posts posts to standard output, for
    /// timing `portal import wordpress`.
    Wxr {
        #[arg(long, default_value_t = 5_000)]
        posts: usize,
    },
    /// Time the live search's query in-process; prints `p50_ms p95_ms max_ms`.
    BenchSearch,
    /// The load test: readers and editors (saving, uploading) against a running server for a
    /// while; prints requests, p50/p99 per route, errors by kind and the server's memory.
    /// Exits with 1 if anything failed.
    Traffic {
        /// The server, e.g. http://127.0.0.1:3000.
        #[arg(long, default_value = "http://127.0.0.1:3000")]
        base: String,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Readers, each on its own connection.
        #[arg(long, default_value_t = 28)]
        readers: usize,
        /// Editors, each saving every --save-every-ms and uploading every 10th save.
        #[arg(long, default_value_t = 4)]
        editors: usize,
        #[arg(long, default_value_t = 200)]
        save_every_ms: u64,
        /// The server's process id, to report its resident memory.
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// Live coverage under load: --streams readers' event streams open on a running server,
    /// --rounds updates posted to article --slug (switched to live coverage), each timed to
    /// every stream. Prints a JSON line (p50/p95/max, the server's memory) with the streams
    /// still open, and holds them until standard input closes.
    LiveBench {
        #[arg(long, default_value = "http://127.0.0.1:3000")]
        base: String,
        #[arg(long)]
        slug: String,
        #[arg(long, default_value_t = 2_000)]
        streams: usize,
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        #[arg(long)]
        server_pid: Option<u32>,
    },
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = cli.config;
    match cli.command {
        Command::Seed => {
            let added = portal::demo::seed_database(&config).await?;
            if added > 0 {
                println!(
                    "portal-demo: {added} demo articles and the demo accounts written to {}",
                    portal::server::db::redacted_url(&config.database_url())
                );
            } else {
                println!(
                    "portal-demo: {} has articles already; nothing written",
                    portal::server::db::redacted_url(&config.database_url())
                );
            }
            Ok(())
        }
        Command::BenchData { articles } => {
            let pool = portal::server::open_database(&config)
                .await
                .map_err(|e| e.to_string())?;
            portal::demo::bench::seed(&pool, &config.media_dir(), articles).await
        }
        Command::Wxr { posts } => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            portal::demo::wxr::write(&mut out, posts)
                .and_then(|()| std::io::Write::flush(&mut out))
                .map_err(|e| format!("writing the export: {e}"))
        }
        Command::BenchSearch => {
            let pool = portal::server::open_database(&config)
                .await
                .map_err(|e| e.to_string())?;
            // Warm SQLite's page cache first, as a running server would have it.
            portal::demo::bench::time_search(&pool, 1).await?;
            let (p50, p95, max) = portal::demo::bench::time_search(&pool, 20).await?;
            println!("{p50:.3} {p95:.3} {max:.3}");
            Ok(())
        }
        Command::Traffic {
            base,
            seconds,
            readers,
            editors,
            save_every_ms,
            server_pid,
        } => {
            demo_users(&config).await?.close().await;
            let base = base.trim_end_matches('/').to_string();
            let plan = portal::demo::traffic::Plan {
                origin: config.public_url.clone(),
                base,
                readers,
                editors,
                save_every: std::time::Duration::from_millis(save_every_ms),
                upload_every: 10,
            };
            portal::demo::traffic::load_test(&plan, seconds, server_pid).await
        }
        Command::LiveBench {
            base,
            slug,
            streams,
            rounds,
            server_pid,
        } => {
            let pool = demo_users(&config).await?;
            let id = portal::server::db::live::published(&pool, &slug)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no published article {slug}"))?
                .id;
            pool.close().await;
            let plan = portal::demo::live_bench::LivePlan {
                base: base.trim_end_matches('/').to_string(),
                origin: config.public_url.clone(),
                streams,
                rounds,
                server_pid,
            };
            portal::demo::live_bench::run(&plan, id).await
        }
    }
}

/// The database, with the demo accounts the load tools log in with (created if it has none,
/// as in the benchmark's generated archive).
async fn demo_users(config: &Config) -> Result<portal::server::db::Pool, String> {
    let pool = portal::server::open_database(config)
        .await
        .map_err(|e| e.to_string())?;
    portal::demo::seed_demo_users(&pool).await?;
    Ok(pool)
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Err(message) = run(cli).await {
        eprintln!("portal-demo: {message}");
        std::process::exit(1);
    }
}
