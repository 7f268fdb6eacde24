//! Runtime configuration, read once from the environment at start.

use chrono_tz::Tz;
use std::path::PathBuf;

pub const DEFAULT_SITE_NAME: &str = "The Daily Meridian";

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://path/to/file.db` (created if missing).
    pub database_url: String,
    /// Media files (demo illustrations now, uploads later) live below this folder.
    pub data_dir: PathBuf,
    pub site_name: String,
    /// The newsroom's timezone: dates in the header and on articles are written in it.
    pub timezone: Tz,
    /// Fill an empty database with demo content at start.
    pub seed_demo: bool,
    /// The address readers use, e.g. `https://news.example.org` (no trailing slash).
    pub public_url: String,
    /// Keep rendered public pages in memory (on by default).
    pub page_cache: bool,
    /// Upper bound of that memory, in MiB.
    pub page_cache_mib: u64,
}

impl Config {
    /// Reads `PORTAL_*` variables; anything unset takes the documented default.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let data_dir = PathBuf::from(
            get("PORTAL_DATA_DIR")
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "data".into()),
        );
        let database_url = get("PORTAL_DATABASE_URL")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("portal.db").display()));
        let site_name = get("PORTAL_SITE_NAME")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DEFAULT_SITE_NAME.into());
        let tz_name = get("PORTAL_TIMEZONE")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "UTC".into());
        let timezone: Tz = tz_name.parse().map_err(|_| {
            format!("PORTAL_TIMEZONE={tz_name:?} is not an IANA timezone name (e.g. Europe/London)")
        })?;
        let seed_demo = match get("PORTAL_DEMO_CONTENT").as_deref().map(str::trim) {
            None | Some("") | Some("1") | Some("true") | Some("on") | Some("yes") => true,
            Some("0") | Some("false") | Some("off") | Some("no") => false,
            Some(other) => {
                return Err(format!(
                    "PORTAL_DEMO_CONTENT={other:?}: use \"on\" or \"off\""
                ))
            }
        };
        let public_url = get("PORTAL_PUBLIC_URL")
            .map(|s| s.trim().trim_end_matches('/').to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "http://127.0.0.1:3000".into());
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(format!(
                "PORTAL_PUBLIC_URL={public_url:?} must start with http:// or https://"
            ));
        }
        let page_cache = match get("PORTAL_PAGE_CACHE").as_deref().map(str::trim) {
            None | Some("") | Some("on") | Some("1") | Some("true") => true,
            Some("off") | Some("0") | Some("false") => false,
            Some(other) => {
                return Err(format!(
                    "PORTAL_PAGE_CACHE={other:?}: use \"on\" or \"off\""
                ))
            }
        };
        let page_cache_mib = match get("PORTAL_PAGE_CACHE_MIB").filter(|s| !s.trim().is_empty()) {
            None => 24,
            Some(s) => s
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=4096).contains(n))
                .ok_or_else(|| {
                    format!("PORTAL_PAGE_CACHE_MIB={s:?}: use a number of MiB from 1 to 4096")
                })?,
        };
        Ok(Self {
            page_cache,
            page_cache_mib,
            public_url,
            database_url,
            data_dir,
            site_name,
            timezone,
            seed_demo,
        })
    }

    /// Session cookies carry `Secure` when the site is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.database_url, "sqlite://data/portal.db");
        assert_eq!(c.site_name, DEFAULT_SITE_NAME);
        assert_eq!(c.timezone, chrono_tz::UTC);
        assert!(c.seed_demo);
        assert!(!c.secure_cookies());
    }

    #[test]
    fn overrides_and_errors() {
        let c = cfg(&[
            ("PORTAL_TIMEZONE", "Europe/Berlin"),
            ("PORTAL_DEMO_CONTENT", "off"),
            ("PORTAL_SITE_NAME", "  Valmere Post "),
        ])
        .unwrap();
        assert_eq!(c.timezone, chrono_tz::Europe::Berlin);
        assert!(!c.seed_demo);
        assert_eq!(c.site_name, "Valmere Post");
        assert!(cfg(&[("PORTAL_TIMEZONE", "Mars/Olympus")]).is_err());
        assert!(cfg(&[("PORTAL_DEMO_CONTENT", "maybe")]).is_err());
        assert!(cfg(&[("PORTAL_PUBLIC_URL", "https://news.example.org/")])
            .unwrap()
            .secure_cookies());
        assert!(cfg(&[("PORTAL_PUBLIC_URL", "news.example.org")]).is_err());
    }
}
