//! Runtime configuration: command-line flags, each with a `PORTAL_*` environment variable
//! (`portal --help` lists them all), read once at start. Anything unset takes a default that
//! is safe in production.

use super::weburl::ImageHosts;
use chrono_tz::Tz;
use clap::{Args, CommandFactory, FromArgMatches, Parser};
use std::net::SocketAddr;
use std::path::PathBuf;

pub const DEFAULT_SITE_NAME: &str = "The Daily Meridian";

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Configuration (each flag can be set by its environment variable)")]
pub struct Config {
    /// Folder for the database (by default) and the media files (`<data-dir>/media`).
    #[arg(long, env = "PORTAL_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// The database: a SQLite file (created if missing), or PostgreSQL
    /// (postgres://user:password@host:5432/name, shared by several servers). Migrations run at
    /// start (once, however many servers start together) and a failure stops the server.
    /// Default: sqlite://<data-dir>/portal.db
    #[arg(long, env = "PORTAL_DATABASE_URL", global = true, value_parser = parse_database_url)]
    database_url: Option<String>,

    /// PostgreSQL only: connections this server keeps to the database (1-1000). Every server
    /// of a cluster has its own pool: keep servers x connections under the database's
    /// max_connections.
    #[arg(long, env = "PORTAL_DATABASE_CONNECTIONS", default_value_t = 10, global = true,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub database_connections: u32,

    /// When SQLite reports a write as done: `full` (the default) waits until it is on the
    /// disk, so a save the editor was told about survives a power cut or an OS crash; `normal`
    /// survives a crash of the server process only (a little faster; see README figures).
    #[arg(long, env = "PORTAL_SQLITE_SYNCHRONOUS", default_value = "full",
          value_parser = parse_synchronous, global = true)]
    pub sqlite_synchronous: Durability,

    /// Name in the masthead, titles and footer.
    #[arg(long, env = "PORTAL_SITE_NAME", default_value = DEFAULT_SITE_NAME,
          value_parser = parse_site_name, global = true)]
    pub site_name: String,

    /// IANA timezone of the newsroom (Europe/London...): the header date and article dates are
    /// written in it, and schedule times are read in it.
    #[arg(long, env = "PORTAL_TIMEZONE", default_value = "UTC", value_parser = parse_timezone,
          global = true)]
    pub timezone: Tz,

    /// The address readers use (canonical links, feeds); with https:// session cookies are
    /// `Secure`.
    #[arg(long, env = "PORTAL_PUBLIC_URL", default_value = "http://127.0.0.1:3000",
          value_parser = parse_public_url, global = true)]
    pub public_url: String,

    /// Other host names this server answers to besides the public URL's, comma-separated
    /// (e.g. `www.example.org`). A request naming any other host gets 421: a page on another
    /// name pointed at this server (DNS rebinding) reaches nothing. Addresses (`10.0.0.5`,
    /// `[::1]`) are always answered, and `localhost` when listening on loopback.
    #[arg(long, env = "PORTAL_ALLOWED_HOSTS", default_value = "",
          value_parser = parse_host_list, global = true)]
    pub allowed_hosts: HostList,

    /// Keep rendered public pages in memory: `on` or `off` (`off` renders every request).
    #[arg(long, env = "PORTAL_PAGE_CACHE", default_value = "on", value_parser = parse_on_off,
          action = clap::ArgAction::Set, global = true)]
    pub page_cache: bool,

    /// Render a page again when its first render stalls (5 s) or panics: `on` or `off`. A last
    /// resort against bugs in the rendering library; each retry is logged and counted in
    /// `/metrics` (`portal_render_retries_total`), and should never happen.
    #[arg(long, env = "PORTAL_RENDER_RETRY", default_value = "on", value_parser = parse_on_off,
          action = clap::ArgAction::Set, global = true)]
    pub render_retry: bool,

    /// Transparent huge pages for the server's memory: `on` or `off`. Off, a 2 MiB page never
    /// stays resident for the sake of 4 KiB in use (after the benchmark's load test, RSS
    /// 128-135 MB off, 156-196 MB on); on may save a little CPU on a machine with memory to spare.
    #[arg(long, env = "PORTAL_HUGE_PAGES", default_value = "off", value_parser = parse_on_off,
          action = clap::ArgAction::Set, global = true)]
    pub huge_pages: bool,

    /// Memory bound of the page cache, in MiB (1 to 4096).
    #[arg(long, env = "PORTAL_PAGE_CACHE_MIB", default_value_t = 24,
          value_parser = clap::value_parser!(u64).range(1..=4096), global = true)]
    pub page_cache_mib: u64,

    /// Hosts article bodies may show images from, comma-separated (e.g. `photos.example.org`).
    /// Empty (the default): only the portal's own media; an image elsewhere becomes a link,
    /// so no other site learns who reads what.
    #[arg(long, env = "PORTAL_IMAGE_HOSTS", default_value = "",
          value_parser = parse_image_hosts, global = true)]
    pub image_hosts: ImageHosts,

    /// Reverse proxies whose `X-Forwarded-For` (or `Forwarded`) header is believed: addresses or
    /// ranges, comma-separated (e.g. `127.0.0.1,10.0.0.0/8`). Empty (the default): the
    /// connection's own address is the client's.
    #[arg(long, env = "PORTAL_TRUSTED_PROXIES", default_value = "",
          value_parser = parse_trusted_proxies, global = true)]
    pub trusted_proxies: TrustedProxies,

    /// The one header the trusted proxies record the client's address in: `x-forwarded-for`
    /// (the default: nginx's `$proxy_add_x_forwarded_for`, HAProxy, cloud balancers) or
    /// `forwarded` (RFC 7239). The other header is never read: proxies pass through what a
    /// client wrote in a header they do not manage.
    #[arg(long, env = "PORTAL_CLIENT_IP_HEADER", default_value = "x-forwarded-for",
          value_parser = ForwardedHeader::parse, global = true)]
    pub client_ip_header: ForwardedHeader,

    /// A secret that lets monitoring read `/metrics` from other machines (sent as
    /// `Authorization: Bearer <token>`, at least 16 characters). Unset (the default): only
    /// clients on this machine, not forwarded by a proxy, may read it.
    #[arg(long, env = "PORTAL_METRICS_TOKEN", value_parser = parse_metrics_token,
          global = true, hide_env_values = true)]
    pub metrics_token: Option<MetricsToken>,

    /// Where uploaded images are kept: `disk` (`<data-dir>/media`), or an S3-compatible
    /// bucket, `s3://bucket` or `s3://bucket/prefix`, which every server of a cluster shares.
    #[arg(long, env = "PORTAL_MEDIA_STORE", default_value = "disk", value_parser = parse_media_store,
          global = true)]
    pub media_store: MediaStoreKind,

    /// S3 only: the service's address, for anything but AWS itself (MinIO, Ceph, Garage...:
    /// `http://10.0.0.5:9000`). Without it, AWS's endpoint for the region.
    #[arg(long, env = "PORTAL_S3_ENDPOINT", global = true)]
    pub s3_endpoint: Option<String>,

    /// S3 only: the bucket's region.
    #[arg(
        long,
        env = "PORTAL_S3_REGION",
        default_value = "us-east-1",
        global = true
    )]
    pub s3_region: String,

    /// S3 only: the access key id (without it and the secret, the usual AWS_* variables
    /// and instance credentials are used).
    #[arg(long, env = "PORTAL_S3_ACCESS_KEY_ID", global = true)]
    pub s3_access_key_id: Option<String>,

    /// S3 only: the secret access key.
    #[arg(long, env = "PORTAL_S3_SECRET_ACCESS_KEY", global = true, hide_env_values = true,
          value_parser = parse_secret)]
    pub s3_secret_access_key: Option<Secret>,

    /// Seconds a client may take to send a request's headers before the connection is closed
    /// (1 to 300); protects against clients that hold connections open by sending slowly.
    #[arg(long, env = "PORTAL_HEADER_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=300), global = true)]
    pub header_timeout: u64,

    /// Seconds a reader's live coverage page waits before reconnecting after its stream ended
    /// (1 to 600). Raise it to slow every reader's reconnects when the server is under load;
    /// streams ending at shutdown add up to as much again, spread, so readers do not all
    /// come back at once.
    #[arg(long, env = "PORTAL_LIVE_RETRY", default_value_t = 3,
          value_parser = clap::value_parser!(u64).range(1..=600), global = true)]
    pub live_retry: u64,

    /// Live coverage streams one client address may hold open (1 to 10000); more are refused
    /// with 429. Readers behind one office or mobile network share an address: keep room.
    #[arg(long, env = "PORTAL_LIVE_STREAMS_PER_CLIENT", default_value_t = 24,
          value_parser = clap::value_parser!(u64).range(1..=10_000), global = true)]
    pub live_streams_per_client: u64,

    /// Live coverage streams the server holds open at most (1 to 1000000); more are refused
    /// with 503. Each costs a connection and a few KiB.
    #[arg(long, env = "PORTAL_LIVE_STREAMS", default_value_t = 20_000,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000), global = true)]
    pub live_streams: u64,

    /// The newsletter's mail server: `smtp://host:port` (STARTTLS, required unless the host
    /// is loopback: a relay on the same machine may take plain SMTP), `smtps://host:port`
    /// (TLS from the start), with credentials as `smtps://user:password@host` (percent-encode
    /// special characters). Without it (and `--smtp-from`) the newsletter is off and says so.
    #[arg(long, env = "PORTAL_SMTP_URL", global = true, hide_env_values = true,
          value_parser = parse_smtp_url)]
    pub smtp_url: Option<Secret>,

    /// The sender of the newsletter's mail: `news@example.org` or
    /// `"The Daily Meridian <news@example.org>"`.
    #[arg(long, env = "PORTAL_SMTP_FROM", global = true, value_parser = parse_smtp_from)]
    pub smtp_from: Option<String>,

    /// Mails per second at most (1 to 10000): what the mail service allows.
    #[arg(long, env = "PORTAL_SMTP_RATE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=10_000), global = true)]
    pub smtp_rate: u32,

    /// The address to listen on (cargo-leptos sets it from Cargo.toml when it runs the server).
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub site_addr: SocketAddr,
}

fn parse_image_hosts(s: &str) -> Result<ImageHosts, String> {
    let hosts: Vec<String> = s
        .split([',', ' '])
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    for h in &hosts {
        let valid = h
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !valid || h.starts_with('.') || !h.contains('.') {
            return Err(format!(
                "{h:?} is not a host name (e.g. photos.example.org, without https://)"
            ));
        }
    }
    Ok(ImageHosts(hosts))
}

/// Host names, lower case (`--allowed-hosts`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostList(pub Vec<String>);

fn parse_host_list(s: &str) -> Result<HostList, String> {
    let hosts: Vec<String> = s
        .split([',', ' '])
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
        .collect();
    for h in &hosts {
        let valid = h
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !valid || h.starts_with('.') || h.is_empty() {
            return Err(format!(
                "{h:?} is not a host name (e.g. www.example.org, without https:// or a port)"
            ));
        }
    }
    Ok(HostList(hosts))
}

/// The proxies named by `--trusted-proxies`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrustedProxies(pub Vec<ipnet::IpNet>);

fn parse_trusted_proxies(s: &str) -> Result<TrustedProxies, String> {
    parse_trusted(s).map(TrustedProxies)
}

/// Whether a database URL names PostgreSQL (`postgres://` or `postgresql://`).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn parse_database_url(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.starts_with("sqlite:") || is_postgres_url(s) {
        Ok(s.to_string())
    } else {
        Err(
            "use a sqlite:// URL (sqlite:///var/lib/portal/portal.db) or a postgres:// URL \
             (postgres://portal:secret@db.internal:5432/portal)"
                .into(),
        )
    }
}

/// How far a committed write has gone before it is acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// On the disk (fsync at every commit).
    #[default]
    Full,
    /// In the operating system (fsync at checkpoints only).
    Normal,
}

fn parse_synchronous(s: &str) -> Result<Durability, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "full" => Ok(Durability::Full),
        "normal" => Ok(Durability::Normal),
        other => Err(format!("{other:?}: use full or normal")),
    }
}

/// The metrics token: never printed (not in `--help`, not in logs of the configuration).
#[derive(Clone, PartialEq)]
pub struct MetricsToken(String);

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

impl std::ops::Deref for MetricsToken {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// Where media files are stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaStoreKind {
    Disk,
    S3 { bucket: String, prefix: String },
}

fn parse_media_store(s: &str) -> Result<MediaStoreKind, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("disk") {
        return Ok(MediaStoreKind::Disk);
    }
    let usage = || "use `disk` or `s3://bucket` (or `s3://bucket/prefix`)".to_string();
    let rest = s.strip_prefix("s3://").ok_or_else(usage)?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let valid_bucket = (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if !valid_bucket {
        return Err(format!("{bucket:?} is not a bucket name; {}", usage()));
    }
    let prefix = prefix.trim_matches('/');
    Ok(MediaStoreKind::S3 {
        bucket: bucket.to_string(),
        prefix: if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        },
    })
}

/// A secret setting: never printed (Debug shows no part of it).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

fn parse_secret(s: &str) -> Result<Secret, String> {
    Ok(Secret(s.trim().to_string()))
}

/// An SMTP server's address: `smtp://` or `smtps://`, a host, nothing the mailer would
/// ignore.
fn parse_smtp_url(s: &str) -> Result<Secret, String> {
    let s = s.trim();
    let url = url::Url::parse(s).map_err(|e| {
        format!("not an address ({e}); write smtp://host:587 or smtps://user:password@host:465")
    })?;
    if !matches!(url.scheme(), "smtp" | "smtps") {
        return Err("use smtp://host:port (STARTTLS) or smtps://host:port (TLS)".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the address names no host; write smtp://host:port".into());
    }
    for (key, value) in url.query_pairs() {
        if key != "tls" || !matches!(value.as_ref(), "required" | "opportunistic") {
            return Err(format!(
                "unknown setting {key}={value}: only tls=required or tls=opportunistic (smtp://)"
            ));
        }
    }
    Ok(Secret(s.to_string()))
}

fn parse_smtp_from(s: &str) -> Result<String, String> {
    let s = s.trim();
    s.parse::<lettre::message::Mailbox>()
        .map(|_| s.to_string())
        .map_err(|e| {
            format!(
                "not a sender address ({e}); write news@example.org or \"Name <news@example.org>\""
            )
        })
}

fn parse_metrics_token(s: &str) -> Result<MetricsToken, String> {
    let s = s.trim();
    if s.chars().count() < 16 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(
            "use at least 16 characters without spaces (e.g. `openssl rand -hex 24`)".into(),
        );
    }
    Ok(MetricsToken(s.to_string()))
}

fn parse_site_name(s: &str) -> Result<String, String> {
    let s = s.trim();
    Ok(if s.is_empty() { DEFAULT_SITE_NAME } else { s }.to_string())
}

fn parse_timezone(s: &str) -> Result<Tz, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(chrono_tz::UTC);
    }
    s.parse()
        .map_err(|_| format!("{s:?} is not an IANA timezone name (e.g. Europe/London)"))
}

fn parse_public_url(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('/');
    if s.is_empty() {
        return Ok("http://127.0.0.1:3000".into());
    }
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return Err(format!("{s:?} must start with http:// or https://"));
    }
    Ok(s.to_string())
}

fn parse_on_off(s: &str) -> Result<bool, String> {
    match s.trim() {
        "" | "on" | "1" | "true" | "yes" => Ok(true),
        "off" | "0" | "false" | "no" => Ok(false),
        other => Err(format!("{other:?}: use \"on\" or \"off\"")),
    }
}

/// A setting that cannot be used: clap's message names it (the flag and its `PORTAL_*`
/// variable), the value and what it should be; `portal --help` lists every setting.
#[derive(Debug, thiserror::Error)]
#[error("the configuration is not valid: {0}")]
pub struct ConfigError(#[from] clap::Error);

/// The configuration alone, for reading it without a command line.
#[derive(Parser)]
struct ConfigOnly {
    #[command(flatten)]
    config: Config,
}

impl Config {
    /// The configuration from `PORTAL_*` variables alone (what a start without flags reads).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// The configuration as if the environment held exactly what `get` answers: the same
    /// flags, parsers and defaults as the command line, without reading the real environment
    /// (tests use it).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let command = ConfigOnly::command();
        let mut argv = vec!["portal".to_string()];
        for arg in command.get_arguments() {
            let (Some(env), Some(long)) = (arg.get_env(), arg.get_long()) else {
                continue;
            };
            if let Some(value) = env.to_str().and_then(&get).filter(|v| !v.is_empty()) {
                argv.push(format!("--{long}={value}"));
            }
        }
        let matches = command
            .mut_args(|arg| arg.env(None::<&str>))
            .try_get_matches_from(argv)?;
        Ok(Config::from_arg_matches(&matches)?)
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("portal.db").display()))
    }

    /// Session cookies carry `Secure` when the site is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }
}

/// The header trusted proxies record the client's address in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2`.
    #[default]
    XForwardedFor,
    /// RFC 7239: `Forwarded: for=client, for=proxy1`.
    Forwarded,
}

impl ForwardedHeader {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Ok(Self::XForwardedFor),
            "forwarded" => Ok(Self::Forwarded),
            other => Err(format!(
                "{other:?}: use x-forwarded-for or forwarded (the header your proxy writes)"
            )),
        }
    }
}

/// Parses `PORTAL_TRUSTED_PROXIES`: addresses or ranges, separated by commas or spaces.
pub fn parse_trusted(s: &str) -> Result<Vec<ipnet::IpNet>, String> {
    use ipnet::IpNet;
    use std::net::IpAddr;
    s.split([',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<IpNet>()
                .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!("{p:?} is not an address or range (e.g. 10.0.0.5 or 10.0.0.0/8)")
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.database_url(), "sqlite://data/portal.db");
        assert_eq!(c.site_name, DEFAULT_SITE_NAME);
        assert_eq!(c.timezone, chrono_tz::UTC);
        assert!(c.page_cache);
        assert_eq!(c.page_cache_mib, 24);
        assert_eq!((c.live_retry, c.live_streams_per_client), (3, 24));
        assert!(!c.huge_pages, "huge pages are off unless asked for");
        assert!(!c.secure_cookies());
        assert!(c.trusted_proxies.0.is_empty());
        assert_eq!(c.sqlite_synchronous, Durability::Full);
    }

    #[test]
    fn overrides_and_errors() {
        let c = cfg(&[
            ("PORTAL_TIMEZONE", "Europe/Berlin"),
            ("PORTAL_PAGE_CACHE", "off"),
            ("PORTAL_SITE_NAME", "  Valmere Post "),
            ("PORTAL_DATA_DIR", "/srv/news"),
        ])
        .unwrap();
        assert_eq!(c.timezone, chrono_tz::Europe::Berlin);
        assert!(!c.page_cache);
        assert_eq!(c.site_name, "Valmere Post");
        assert_eq!(c.database_url(), "sqlite:///srv/news/portal.db");
        let wrong = cfg(&[("PORTAL_TIMEZONE", "Mars/Olympus")])
            .unwrap_err()
            .to_string();
        assert!(
            wrong.contains("--timezone") && wrong.contains("Mars/Olympus"),
            "names the setting and the value: {wrong}"
        );
        assert!(cfg(&[("PORTAL_PAGE_CACHE", "maybe")]).is_err());
        assert!(cfg(&[("PORTAL_SQLITE_SYNCHRONOUS", "off")]).is_err());
        assert!(cfg(&[("PORTAL_METRICS_TOKEN", "short")]).is_err());
        let with_token = cfg(&[("PORTAL_METRICS_TOKEN", "0123456789abcdef0123")]).unwrap();
        assert_eq!(
            with_token.metrics_token.as_deref(),
            Some("0123456789abcdef0123")
        );
        assert!(!format!("{with_token:?}").contains("0123456789abcdef"));
        assert_eq!(
            cfg(&[("PORTAL_SQLITE_SYNCHRONOUS", "NORMAL")])
                .unwrap()
                .sqlite_synchronous,
            Durability::Normal
        );
        assert!(cfg(&[("PORTAL_PAGE_CACHE_MIB", "0")]).is_err());
        assert!(cfg(&[("PORTAL_DATABASE_URL", "mysql://x")]).is_err());
        assert_eq!(
            cfg(&[("PORTAL_DATABASE_URL", "postgres://db/news")])
                .unwrap()
                .database_url(),
            "postgres://db/news"
        );
        assert!(cfg(&[("PORTAL_DATABASE_CONNECTIONS", "0")]).is_err());
        assert_eq!(cfg(&[]).unwrap().media_store, MediaStoreKind::Disk);
        assert_eq!(
            cfg(&[("PORTAL_MEDIA_STORE", "s3://news-media/portal/")])
                .unwrap()
                .media_store,
            MediaStoreKind::S3 {
                bucket: "news-media".into(),
                prefix: "portal/".into()
            }
        );
        assert!(cfg(&[("PORTAL_MEDIA_STORE", "s3://")]).is_err());
        assert!(cfg(&[("PORTAL_MEDIA_STORE", "ftp://x")]).is_err());
        let secret = cfg(&[("PORTAL_S3_SECRET_ACCESS_KEY", "do-not-print-me")]).unwrap();
        assert!(!format!("{secret:?}").contains("do-not-print-me"));
        assert!(cfg(&[("PORTAL_PUBLIC_URL", "https://news.example.org/")])
            .unwrap()
            .secure_cookies());
        assert!(cfg(&[("PORTAL_PUBLIC_URL", "news.example.org")]).is_err());
        let proxied = cfg(&[("PORTAL_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")]).unwrap();
        assert_eq!(proxied.trusted_proxies.0.len(), 2);
        assert!(cfg(&[("PORTAL_TRUSTED_PROXIES", "the proxy")]).is_err());
        let images = cfg(&[("PORTAL_IMAGE_HOSTS", "Photos.Example.org, cdn.example.net")]).unwrap();
        assert_eq!(
            images.image_hosts.0,
            ["photos.example.org", "cdn.example.net"]
        );
        assert!(cfg(&[("PORTAL_IMAGE_HOSTS", "https://photos.example.org")]).is_err());
    }

    #[test]
    fn every_setting_has_a_variable_and_a_help_text() {
        let command = ConfigOnly::command();
        for arg in command.get_arguments() {
            if arg.get_id() == "help" {
                continue;
            }
            let env = arg.get_env().and_then(|e| e.to_str()).unwrap_or_default();
            assert!(
                env.starts_with("PORTAL_") || env.starts_with("LEPTOS_"),
                "--{} has no variable",
                arg.get_id()
            );
            assert!(arg.get_help().is_some(), "--{} has no help", arg.get_id());
        }
    }
}
