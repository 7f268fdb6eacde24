#[cfg(all(feature = "ssr", not(feature = "dhat-heap")))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
/// A heap profiling build (`--features ssr,dhat-heap`): every allocation is recorded, and
/// `dhat-heap.json` is written in the working directory when the server stops.
#[cfg(feature = "dhat-heap")]
#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

#[cfg(feature = "ssr")]
mod cli {
    use clap::{Parser, Subcommand};
    use portal::server::{
        cli::{ImportCommand, NewsletterCommand, RedirectCommand, UserCommand},
        config::Config,
    };

    const AFTER_HELP: &str = "\
Without a command, `portal` serves the site. It never creates content or accounts by itself:
create the first admin with `portal user add --role admin ...`; demo content for development
comes from the separate `portal-demo` tool (see the README).

Other variables: RUST_LOG (log filter, default \"info,sqlx=warn\"; every request is logged with
its id at debug, slow ones at warn, failed ones at error), LEPTOS_SITE_ROOT and LEPTOS_OUTPUT_NAME
(where cargo-leptos put the site's files; set by cargo-leptos).";

    /// The Daily Meridian: an online newspaper. Serves the site, or manages newsroom accounts.
    #[derive(Parser)]
    #[command(name = "portal", version, after_help = AFTER_HELP)]
    pub struct Cli {
        #[command(flatten)]
        pub config: Config,
        #[command(subcommand)]
        pub command: Option<Command>,
    }

    #[derive(Subcommand)]
    pub enum Command {
        /// Serve the site (what `portal` does without a command).
        Serve,
        /// Manage newsroom accounts.
        #[command(subcommand)]
        User(UserCommand),
        /// Bring in another site's content (a WordPress export).
        #[command(subcommand)]
        Import(ImportCommand),
        /// Old addresses that answer 301 to new ones (an import fills this table).
        #[command(subcommand)]
        Redirect(RedirectCommand),
        /// The newsletter's digests (needs PORTAL_SMTP_URL and PORTAL_SMTP_FROM).
        #[command(subcommand)]
        Newsletter(NewsletterCommand),
        /// Write a consistent copy of the database to FILE while the site keeps running
        /// (media files: copy <data-dir>/media beside it).
        Backup {
            /// Where to write it; must not exist yet.
            file: std::path::PathBuf,
        },
        /// Replace the database with a backup (stop the server first; the replaced database
        /// is kept beside it).
        Restore {
            /// A file written by `portal backup`.
            file: std::path::PathBuf,
        },
    }
}

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::new_heap();
    use clap::Parser;
    let cli = cli::Cli::parse();
    if !cli.config.huge_pages {
        no_huge_pages();
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    if std::env::var_os("PORTAL_DEMO_CONTENT").is_some() {
        tracing::warn!(
            "PORTAL_DEMO_CONTENT is not read by the server any more: it never creates content \
             or accounts. Demo content comes from `portal-demo seed` (see the README)."
        );
    }
    use portal::server::cli::CliError;
    let result: Result<(), CliError> = match cli.command {
        None | Some(cli::Command::Serve) => {
            portal::server::run(cli.config).await.map_err(Into::into)
        }
        Some(cli::Command::User(command)) => portal::server::cli::run(&cli.config, command).await,
        Some(cli::Command::Import(command)) => {
            portal::server::cli::import(&cli.config, command).await
        }
        Some(cli::Command::Redirect(command)) => {
            portal::server::cli::redirect(&cli.config, command).await
        }
        Some(cli::Command::Newsletter(command)) => {
            portal::server::cli::newsletter(&cli.config, command).await
        }
        Some(cli::Command::Backup { file }) => {
            portal::server::cli::backup(&cli.config, &file).await
        }
        Some(cli::Command::Restore { file }) => portal::server::backup::restore(&cli.config, &file)
            .await
            .map(|report| println!("{report}"))
            .map_err(Into::into),
    };
    if let Err(error) = result {
        eprintln!("portal: {error}");
        std::process::exit(1);
    }
}

/// Transparent huge pages off for this process (`PORTAL_HUGE_PAGES=off`, the default).
/// mimalloc asks the kernel for them on the memory it reserves, and a 2 MiB page stays resident
/// while any 4 KiB of it is in use: after the benchmark's load test, 82 of the 121 MiB the
/// allocator held were huge pages, and the server's RSS was 156-196 MB; without them, 128-135
/// MB (README, "What bounds the server's memory"). Pages touched before this keep theirs.
#[cfg(feature = "ssr")]
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser starts in lib.rs (`hydrate`); this binary only exists with `ssr`.
}
