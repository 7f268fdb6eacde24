//! The command lines, run as an operator runs them: `portal --help` documents every setting
//! and starts nothing, `portal user ...` manages accounts, the server never creates any, and
//! malformed commands are refused with a message.
#![cfg(feature = "ssr")]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn run(bin: &str, data_dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(bin);
    for (key, _) in std::env::vars() {
        if key.starts_with("PORTAL_") || key.starts_with("LEPTOS_") {
            command.env_remove(key);
        }
    }
    let mut child = command
        .args(args)
        .env("PORTAL_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    // A command that starts a server instead of answering is a failure, not a hang.
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("{bin} {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn portal(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    run(env!("CARGO_BIN_EXE_portal"), data_dir, args, stdin, &[])
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

#[test]
fn help_documents_every_setting_and_starts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = portal(dir.path(), &["--help"], "");
    assert!(out.status.success());
    let help = text(&out.stdout);
    for variable in [
        "PORTAL_DATA_DIR",
        "PORTAL_DATABASE_URL",
        "PORTAL_SITE_NAME",
        "PORTAL_TIMEZONE",
        "PORTAL_PUBLIC_URL",
        "PORTAL_PAGE_CACHE",
        "PORTAL_PAGE_CACHE_MIB",
        "LEPTOS_SITE_ADDR",
        "RUST_LOG",
    ] {
        assert!(
            help.contains(variable),
            "--help does not mention {variable}"
        );
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "--help touched the data folder"
    );
}

#[test]
fn accounts_from_the_command_line_and_none_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let list = portal(dir.path(), &["user", "list"], "");
    assert!(list.status.success(), "{}", text(&list.stderr));
    assert_eq!(text(&list.stdout), "", "a new database has no accounts");

    let add = [
        "user",
        "add",
        "--email",
        "ed@example.org",
        "--name",
        "Ed Itor",
        "--role",
        "editor",
        "--password-stdin",
    ];
    let out = portal(dir.path(), &add, "a long password\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created editor user ed@example.org"));
    let list = text(&portal(dir.path(), &["user", "list"], "").stdout);
    assert!(
        list.contains("ed@example.org") && list.contains("Ed Itor"),
        "{list}"
    );

    let again = portal(dir.path(), &add, "a long password\n");
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("exists already"));

    let weak = portal(
        dir.path(),
        &[
            "user",
            "password",
            "--email",
            "ed@example.org",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(weak.status.code(), Some(1));
    assert!(text(&weak.stderr).contains("Passwords need"));

    // A flag where a value belongs is refused, not taken as the value.
    let swallowed = portal(
        dir.path(),
        &["user", "add", "--email", "--name", "X", "--role", "editor"],
        "",
    );
    assert_eq!(swallowed.status.code(), Some(2));
    assert!(
        text(&swallowed.stderr).contains("--email"),
        "{}",
        text(&swallowed.stderr)
    );
    let role = portal(
        dir.path(),
        &[
            "user", "add", "--email", "a@b.org", "--name", "A", "--role", "boss",
        ],
        "",
    );
    assert_eq!(role.status.code(), Some(2));
    assert!(text(&role.stderr).contains("admin, editor or author"));
}

#[test]
fn bad_settings_stop_the_start_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        env!("CARGO_BIN_EXE_portal"),
        dir.path(),
        &["user", "list"],
        "",
        &[("PORTAL_TIMEZONE", "Mars/Olympus")],
    );
    assert_eq!(out.status.code(), Some(2));
    let message = text(&out.stderr);
    assert!(
        message.contains("IANA timezone") && message.contains("--timezone"),
        "{message}"
    );
}

#[test]
fn only_the_demo_tool_writes_demo_content() {
    let dir = tempfile::tempdir().unwrap();
    let seed = run(
        env!("CARGO_BIN_EXE_portal-demo"),
        dir.path(),
        &["seed"],
        "",
        &[],
    );
    assert!(seed.status.success(), "{}", text(&seed.stderr));
    assert!(text(&seed.stdout).contains("128 demo articles"));
    let list = text(&portal(dir.path(), &["user", "list"], "").stdout);
    for email in [
        "editor@meridian.example",
        "author@meridian.example",
        "admin@meridian.example",
    ] {
        assert!(list.contains(email), "{list}");
    }
    // A second run leaves a filled database alone.
    let again = run(
        env!("CARGO_BIN_EXE_portal-demo"),
        dir.path(),
        &["seed"],
        "",
        &[],
    );
    assert!(text(&again.stdout).contains("nothing written"));
}
