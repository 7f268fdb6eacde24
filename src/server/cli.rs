//! `portal user …` (accounts) and `portal backup` from the server's command line. Without
//! `--password-stdin` the password is asked for twice on the terminal (not echoed).

use super::accounts::Accounts;
use super::{config::Config, dates::Clock, db::users, open_database};
use crate::model::accounts::Role;
use crate::model::validate::{check_account, messages};
use clap::Subcommand;
use std::io::BufRead;

/// Why a command did not do what was asked (`main` prints it and exits with status 1), each
/// saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The database could not be opened or brought up to date.
    #[error(transparent)]
    Start(#[from] super::StartError),
    #[error(transparent)]
    Backup(#[from] super::backup::BackupError),
    #[error(transparent)]
    Import(#[from] super::wordpress::ImportError),
    /// What was typed is refused (an address, a name, a password, a redirect); nothing changed.
    #[error("{0}")]
    Refused(String),
    /// The account rules' answer (the last admin, an address in use...); nothing changed.
    #[error("{0}")]
    Account(#[from] crate::error::AppError),
    #[error("cannot read the password: {0}")]
    Password(std::io::Error),
    #[error(
        "the database failed: {0}. Nothing was changed; check that it is reachable and try again"
    )]
    Database(#[from] sqlx::Error),
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Create an account.
    Add {
        /// The e-mail address they log in with.
        #[arg(long)]
        email: String,
        /// Their name as the newsroom shows it.
        #[arg(long)]
        name: String,
        /// admin (everything, manages users), editor (edits and publishes) or author (writes
        /// their own drafts).
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set an account's password; every session of theirs ends.
    Password {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts.
    List,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ImportCommand {
    /// Import a WordPress export (WordPress: Tools → Export → All content): published and
    /// scheduled posts, drafts and pending posts as drafts, categories as sections, bylines,
    /// excerpts, sticky posts as Editor's Picks, featured and inline images (from
    /// --media-dir), and a 301 from every old permalink. Running it again imports only what
    /// is new, so an interrupted import is resumed by running it again.
    Wordpress {
        /// The export file (WXR, .xml).
        file: std::path::PathBuf,
        /// A copy of the site's wp-content/uploads folder, for the images.
        #[arg(long)]
        media_dir: Option<std::path::PathBuf>,
        /// Read and check everything, report what would be imported, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// File a WordPress category (slug or name) under a portal section: --map news=world.
        /// Repeatable. Categories neither mapped nor matching a section by slug or name become
        /// new sections.
        #[arg(long = "map", value_name = "OLD=NEW", value_parser = super::wordpress::parse_mapping)]
        map: Vec<(String, String)>,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum RedirectCommand {
    /// List every redirect.
    List,
    /// Answer FROM (an address of this site, like /2019/04/old-story/) with a 301 to TO.
    Add { from: String, to: String },
    /// Remove the redirect of FROM.
    Remove { from: String },
}

#[derive(Debug, Clone, Subcommand)]
pub enum NewsletterCommand {
    /// Send each confirmed subscriber this period's digest now (today's, or this week's for
    /// weekly ones) if articles were published since their last digest: what the schedule
    /// does at its hour. A digest already sent this period is not sent again; one skipped
    /// for want of news is, if news came since.
    Send,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "use admin, editor or author".to_string())
}

fn read_password(from_stdin: bool) -> Result<String, CliError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(CliError::Password)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ").map_err(CliError::Password)?;
    let second = rpassword::prompt_password("Repeat it: ").map_err(CliError::Password)?;
    if first != second {
        return Err(CliError::Refused(
            "the two passwords differ; nothing was changed".into(),
        ));
    }
    Ok(first)
}

/// Runs a `user` command; an error is printed by `main`, which exits with status 1.
pub async fn run(config: &Config, command: UserCommand) -> Result<(), CliError> {
    let pool = open_database(config).await?;
    let accounts = Accounts::new(pool.clone(), config.timezone, Clock::system());
    match command {
        UserCommand::Add {
            email,
            name,
            role,
            password_stdin,
        } => {
            // The address and name are checked before anyone types a password.
            let errors = check_account(&email, &name);
            if !errors.is_empty() {
                return Err(CliError::Refused(messages(&errors)));
            }
            let password = read_password(password_stdin)?;
            let errors = accounts.add_user(&email, &name, role, password).await?;
            if !errors.is_empty() {
                return Err(CliError::Refused(messages(&errors)));
            }
            let id = users::by_email(&pool, &email)
                .await?
                .map(|u| u.id)
                .unwrap_or_default();
            println!("created {} user {email} (id {id})", role.as_str());
            Ok(())
        }
        UserCommand::Password {
            email,
            password_stdin,
        } => {
            let user = users::by_email(&pool, &email)
                .await?
                .ok_or_else(|| CliError::Refused(format!("no user {email}")))?;
            let password = read_password(password_stdin)?;
            let errors = accounts.set_password(user.id, password).await?;
            if !errors.is_empty() {
                return Err(CliError::Refused(messages(&errors)));
            }
            println!("password changed for {email}; their sessions have ended");
            Ok(())
        }
        UserCommand::List => {
            for u in users::list(&pool).await? {
                println!(
                    "{:>4}  {:<8} {:<32} {}{}",
                    u.id,
                    u.role,
                    u.email,
                    u.display_name,
                    if u.disabled { "  (disabled)" } else { "" }
                );
            }
            Ok(())
        }
    }
}

/// `portal backup FILE`: the live database, copied consistently, checked, and described.
pub async fn backup(config: &Config, to: &std::path::Path) -> Result<(), CliError> {
    let url = config.database_url();
    if super::db::is_postgres_url(&url) {
        return Err(super::backup::BackupError::Postgres.into());
    }
    match super::backup::database_file(config) {
        Some(file) if file.exists() => {}
        _ => {
            return Err(CliError::Refused(format!(
                "there is no database at {url} to back up (check PORTAL_DATA_DIR or \
                 PORTAL_DATABASE_URL)"
            )))
        }
    }
    let pool = super::db::connect(&url)
        .await
        .map_err(|source| super::StartError::Database {
            url: super::db::redacted_url(&url),
            source,
        })?;
    let done = super::backup::backup(&pool, to).await;
    pool.close().await;
    let done = done?;
    println!(
        "wrote {} ({} bytes, {} articles and pages, migration {}); copy {} beside it for the images",
        to.display(),
        done.bytes,
        done.articles,
        done.migration,
        config.media_dir().display()
    );
    Ok(())
}

/// `portal import wordpress …`: progress on stderr, the report on stdout.
pub async fn import(config: &Config, command: ImportCommand) -> Result<(), CliError> {
    let ImportCommand::Wordpress {
        file,
        media_dir,
        dry_run,
        map,
    } = command;
    if let Some(dir) = &media_dir {
        if !dir.is_dir() {
            return Err(CliError::Refused(format!(
                "--media-dir {}: not a folder (give a copy of the site's wp-content/uploads)",
                dir.display()
            )));
        }
    }
    let pool = open_database(config).await?;
    let store = super::media::open_store(config).map_err(super::StartError::from)?;
    let options = super::wordpress::Options {
        media_dir,
        dry_run,
        map,
    };
    let progress = |p: super::wordpress::Progress| {
        if p.posts_total > 0 {
            eprintln!("  {} of {} posts", p.posts_done, p.posts_total);
        }
    };
    let target = super::wordpress::Target {
        pool: &pool,
        store: store.as_ref(),
        hosts: &config.image_hosts,
        tz: config.timezone,
        now: super::dates::now(),
        by: None,
    };
    let report = super::wordpress::import(&target, &file, &options, &progress).await;
    pool.close().await;
    println!("{}", report?);
    Ok(())
}

/// `portal newsletter send`: the report on stdout.
pub async fn newsletter(config: &Config, command: NewsletterCommand) -> Result<(), CliError> {
    let NewsletterCommand::Send = command;
    let mailer = super::newsletter::mailer_of(config).map_err(CliError::Refused)?;
    let pool = open_database(config).await?;
    let newsletter = super::newsletter::Newsletter::new(
        pool.clone(),
        Ok(mailer),
        config.timezone,
        &config.public_url,
        &config.site_name,
        Clock::system(),
    );
    let report = newsletter.run(true).await;
    pool.close().await;
    let report = report?;
    println!("{report}");
    match report.stopped {
        Some(why) => Err(CliError::Refused(format!(
            "the mail server stopped the run: {why}. Check PORTAL_SMTP_URL and the mail \
             service, then run it again (what was sent is not sent twice)"
        ))),
        None => Ok(()),
    }
}

/// `portal redirect list|add|remove`.
pub async fn redirect(config: &Config, command: RedirectCommand) -> Result<(), CliError> {
    let pool = open_database(config).await?;
    let result = match command {
        RedirectCommand::List => {
            for (from, to, source) in super::db::imports::redirects(&pool).await? {
                println!("{from}  ->  {to}  ({source})");
            }
            Ok(())
        }
        RedirectCommand::Add { from, to } => {
            let (key, to) =
                crate::server::redirects::checked(&from, &to).map_err(CliError::Refused)?;
            let mut conn = pool.acquire().await?;
            if super::db::imports::add_redirect(
                conn.conn(),
                &key,
                &to,
                "manual",
                super::dates::now(),
            )
            .await?
            {
                println!("{key} now answers 301 to {to}");
                Ok(())
            } else {
                Err(CliError::Refused(format!(
                    "{key} has a redirect already (remove it first)"
                )))
            }
        }
        RedirectCommand::Remove { from } => {
            let key = crate::server::redirects::key(&from).unwrap_or(from);
            if super::db::imports::remove_redirect(&pool, &key).await? {
                println!("removed the redirect of {key}");
                Ok(())
            } else {
                Err(CliError::Refused(format!("{key} has no redirect")))
            }
        }
    };
    pool.close().await;
    result
}
