//! `portal user ...`: account management from the server's command line.
//!
//!   portal user add --email E --name N --role admin|editor|author [--password-stdin]
//!   portal user password --email E [--password-stdin]
//!   portal user list
//!
//! Without --password-stdin the password is asked for twice on the terminal (not echoed).

use super::{auth, config::Config, dates, db, db::users};
use crate::model::admin::Role;
use crate::model::validate::check_account;
use std::io::BufRead;

const USAGE: &str = "usage:
  portal user add --email EMAIL --name NAME --role admin|editor|author [--password-stdin]
  portal user password --email EMAIL [--password-stdin]
  portal user list";

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
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

/// Runs a `user` command; the error is printed by main with exit status 1 (2 for usage).
pub async fn run(args: &[String]) -> Result<(), (i32, String)> {
    let usage = || (2, USAGE.to_string());
    let command = args.first().ok_or_else(usage)?;
    let config = Config::from_env().map_err(|e| (1, e))?;
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| (1, format!("cannot open {}: {e}", config.database_url)))?;
    db::migrate(&pool)
        .await
        .map_err(|e| (1, format!("migration failed: {e}")))?;
    let stdin = args.iter().any(|a| a == "--password-stdin");
    match command.as_str() {
        "add" => {
            let email = flag(args, "--email").ok_or_else(usage)?;
            let name = flag(args, "--name").ok_or_else(usage)?;
            let role = flag(args, "--role")
                .and_then(|r| Role::parse(&r))
                .ok_or_else(|| (2, "--role must be admin, editor or author".to_string()))?;
            let errors = check_account(&email, &name, None);
            if !errors.is_empty() {
                return Err((1, errors.join(" ")));
            }
            let password = read_password(stdin).map_err(|e| (1, e))?;
            let errors = check_account(&email, &name, Some(&password));
            if !errors.is_empty() {
                return Err((1, errors.join(" ")));
            }
            let hash = auth::hash_password(password)
                .await
                .map_err(|e| (1, e.to_string()))?;
            match users::insert(&pool, &email, &name, role, &hash, dates::now()).await {
                Ok(Some(id)) => {
                    println!("created {} user {email} (id {id})", role.as_str());
                    Ok(())
                }
                Ok(None) => Err((1, format!("{email} has an account already"))),
                Err(e) => Err((1, e.to_string())),
            }
        }
        "password" => {
            let email = flag(args, "--email").ok_or_else(usage)?;
            let user = users::by_email(&pool, &email)
                .await
                .map_err(|e| (1, e.to_string()))?
                .ok_or_else(|| (1, format!("no user {email}")))?;
            let password = read_password(stdin).map_err(|e| (1, e))?;
            let errors = check_account(&user.email, &user.display_name, Some(&password));
            if !errors.is_empty() {
                return Err((1, errors.join(" ")));
            }
            let hash = auth::hash_password(password)
                .await
                .map_err(|e| (1, e.to_string()))?;
            users::set_password(&pool, user.id, &hash, dates::now())
                .await
                .map_err(|e| (1, e.to_string()))?;
            println!("password changed for {email}; their sessions have ended");
            Ok(())
        }
        "list" => {
            for u in users::list(&pool).await.map_err(|e| (1, e.to_string()))? {
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
        _ => Err(usage()),
    }
}
