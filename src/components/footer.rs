use crate::model::SiteInfo;
use crate::site::use_site;
use leptos::prelude::*;

#[component]
pub fn SiteFooter() -> impl IntoView {
    let site = use_site();
    let footer = |info: SiteInfo| {
        view! {
            <div class="wrap footer-inner">
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
                <p class="copyright">{format!("© {} {}", info.year, info.name)}</p>
            </div>
        }
    };
    view! {
        <footer class="site-footer">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move { site.await.ok().map(footer) })}
            </Suspense>
        </footer>
    }
}
