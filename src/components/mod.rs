//! Reusable view pieces, and what every page shares (`site`).

pub mod breadcrumb;
pub mod cards;
pub mod error_view;
pub mod footer;
pub mod header;
pub mod live;
pub mod loader;
pub mod pager;
pub mod search_box;
pub mod seo;
pub mod sidebar;
pub mod site;
pub mod theme;
