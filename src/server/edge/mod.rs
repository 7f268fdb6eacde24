pub mod cache;
pub mod csrf;
pub mod feeds;
pub mod hosts;
pub mod http;
pub mod listen;
pub mod operator;
pub mod upload;
