//! The HTTP edge: the router and its middleware (`http`), accepting connections (`listen`),
//! the page cache's layer (`cache`), the checks every request meets (`csrf`, `hosts`), and the
//! handlers that are not server functions: feeds and sitemaps, uploads, the operator's probes.

pub mod cache;
pub mod csrf;
pub mod feeds;
pub mod hosts;
pub mod http;
pub mod listen;
pub mod live;
pub mod newsletter;
pub mod operator;
pub mod upload;
pub mod views;
