use leptos::either::EitherOf3;
use leptos::prelude::*;

/// Numbered pages with real links (they work without JavaScript and can be bookmarked).
#[component]
pub fn Pager(page: u32, total_pages: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    if total_pages <= 1 {
        return None;
    }
    let mut numbers: Vec<u32> = vec![1];
    let lo = page.saturating_sub(2).max(2);
    let hi = (page + 2).min(total_pages.saturating_sub(1));
    numbers.extend(lo..=hi);
    numbers.push(total_pages);
    numbers.dedup();
    let mut items = Vec::new();
    let mut last = 0;
    for n in numbers {
        if n > last + 1 {
            items.push(EitherOf3::A(
                view! { <li class="gap" aria-hidden="true">"…"</li> },
            ));
        }
        last = n;
        items.push(if n == page {
            EitherOf3::B(view! { <li><span class="current" aria-current="page">{n}</span></li> })
        } else {
            EitherOf3::C(view! { <li><a href=href(n) aria-label=format!("Page {n}")>{n}</a></li> })
        });
    }
    let prev = (page > 1)
        .then(|| view! { <a class="prev" rel="prev" href=href(page - 1)>"‹ Previous"</a> });
    let next = (page < total_pages)
        .then(|| view! { <a class="next" rel="next" href=href(page + 1)>"Next ›"</a> });
    Some(view! {
        <nav class="pager" aria-label="Pagination">
            {prev}
            <ul>{items}</ul>
            {next}
        </nav>
    })
}
