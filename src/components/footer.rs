use crate::components::site::use_site;
use crate::model::SiteInfo;
use leptos::prelude::*;

/// The site's name, its sections and the copyright line. Only the server renders it (reader
/// pages are server-rendered): once per content version and year, then the same HTML for
/// every page (kept in `SiteInfo::rendered`, beside the header's).
#[component]
pub fn SiteFooter() -> impl IntoView {
    let site = use_site();
    view! {
        <footer class="site-footer">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    site.await.ok().map(|info| {
                        view! { <div class="wrap footer-inner" inner_html=footer_html(info)></div> }
                    })
                })}
            </Suspense>
        </footer>
    }
}

fn footer_html(info: SiteInfo) -> std::sync::Arc<str> {
    // (The header's keys start with the day's date, never with "footer".)
    let key = format!("footer\n{}", info.year);
    let rendered = info.rendered.clone();
    rendered.get_or_render(key, move || Owner::new().with(|| inside(info).to_html()))
}

/// What the footer holds.
fn inside(info: SiteInfo) -> impl IntoView {
    view! {
        <a class="footer-name" href="/">{info.name.clone()}</a>
        <nav aria-label="Sections (footer)">
            <ul class="footer-nav">
                {info
                    .categories
                    .iter()
                    .map(|c| view! { <li><a href=c.href()>{c.name.clone()}</a></li> })
                    .collect_view()}
            </ul>
        </nav>
        {(!info.footer_links.is_empty()).then(|| view! {
            <nav aria-label="About the site">
                <ul class="footer-nav footer-links">
                    {info
                        .footer_links
                        .iter()
                        .map(|l| view! { <li><a href=l.href.clone()>{l.label.clone()}</a></li> })
                        .collect_view()}
                </ul>
            </nav>
        })}
        {info.newsletter.then(footer_signup)}
        <p class="copyright">{format!("© {} {}", info.year, info.name)}</p>
    }
}

/// The footer's signup (the server renders it once into the footer's HTML).
pub fn footer_signup() -> impl IntoView {
    view! {
        <form class="footer-newsletter" method="post" action=crate::routes::newsletter::SUBSCRIBE>
            <label for="footer-newsletter-email">"The newsletter: new articles in your inbox"</label>
            <span class="footer-newsletter-row">
                <input id="footer-newsletter-email" type="email" name="email" autocomplete="email" required maxlength="254" placeholder="name@example.org"/>
                <input type="hidden" name="frequency" value="daily"/>
                <button type="submit" class="button primary">"Subscribe"</button>
            </span>
            <a class="footer-newsletter-more" href=crate::routes::newsletter::ROOT>"Weekly, or only some sections?"</a>
        </form>
    }
}
