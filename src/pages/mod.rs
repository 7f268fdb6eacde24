//! One module per route: the page component and the resources it reads.

pub mod article;
pub mod category;
pub mod home;
#[cfg(feature = "newsroom")]
pub mod newsroom;
pub mod not_found;
pub mod search;
