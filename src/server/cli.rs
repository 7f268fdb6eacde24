//! `portal user …` (accounts) and `portal backup` from the server's command line. Without
//! `--password-stdin` the password is asked for twice on the terminal (not echoed).

use super::accounts::Accounts;
use super::{config::Config, dates::Clock, db::users, open_database};
use crate::model::accounts::Role;
use crate::model::validate::{check_account, messages};
use clap::Subcommand;
use std::io::BufRead;

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

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "use admin, editor or author".to_string())
}

fn read_password(from_stdin: bool) -> Result<String, String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
    let second = rpassword::prompt_password("Repeat it: ").map_err(|e| e.to_string())?;
    if first != second {
        return Err("the two passwords differ".into());
    }
    Ok(first)
}

fn failed(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Runs a `user` command; an error is printed by `main`, which exits with status 1.
pub async fn run(config: &Config, command: UserCommand) -> Result<(), String> {
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
                return Err(messages(&errors));
            }
            let password = read_password(password_stdin)?;
            let errors = accounts
                .add_user(&email, &name, role, password)
                .await
                .map_err(failed)?;
            if !errors.is_empty() {
                return Err(messages(&errors));
            }
            let id = users::by_email(&pool, &email)
                .await
                .map_err(failed)?
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
                .await
                .map_err(failed)?
                .ok_or_else(|| format!("no user {email}"))?;
            let password = read_password(password_stdin)?;
            let errors = accounts
                .set_password(user.id, password)
                .await
                .map_err(failed)?;
            if !errors.is_empty() {
                return Err(messages(&errors));
            }
            println!("password changed for {email}; their sessions have ended");
            Ok(())
        }
        UserCommand::List => {
            for u in users::list(&pool).await.map_err(failed)? {
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
pub async fn backup(config: &Config, to: &std::path::Path) -> Result<(), String> {
    let url = config.database_url();
    if super::db::is_postgres_url(&url) {
        return Err(super::backup::POSTGRES_BACKUPS.into());
    }
    match super::backup::database_file(config) {
        Some(file) if file.exists() => {}
        _ => return Err(format!("there is no database at {url} to back up")),
    }
    let pool = super::db::connect(&url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let done = super::backup::backup(&pool, to).await;
    pool.close().await;
    let done = done?;
    println!(
        "wrote {} ({} bytes, {} articles, migration {}); copy {} beside it for the images",
        to.display(),
        done.bytes,
        done.articles,
        done.migration,
        config.media_dir().display()
    );
    Ok(())
}
