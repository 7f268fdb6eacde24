//! Concurrency: many renders at once must all finish with a page. (This caught a render that
//! read a disposed signal, panicked inside its task and left the response hanging forever.)
#![cfg(feature = "ssr")]

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_renders_all_finish() {
    let app = std::sync::Arc::new(common::app_with(&[("PORTAL_PAGE_CACHE", "off")]).await);
    let home = app.get("/").await.body;
    let start = home.find("href=\"/article/").expect("an article link") + 6;
    let article = home[start..start + home[start..].find('"').unwrap()].to_string();
    let uris = [
        "/?category=tech".to_string(),
        "/".to_string(),
        "/category/politics".to_string(),
        "/search?q=harbour".to_string(),
        article,
        "/category/politics/page/2".to_string(),
    ];
    for round in 0..200 {
        let mut handles = Vec::new();
        for i in 0..8 {
            let app = app.clone();
            let uri = uris[(round + i) % uris.len()].to_string();
            handles.push(tokio::spawn(async move {
                let res = app.get(&uri).await;
                assert!(res.status.is_success(), "{uri}: {}", res.status);
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
    }
}

/// Servers that have just started (a new database connection pool, empty caches) answer
/// their very first requests, four at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fresh_servers_answer_their_first_requests() {
    for round in 0..15 {
        let mut handles = Vec::new();
        for i in 0..4 {
            handles.push(tokio::spawn(async move {
                let app = common::app_with(&[]).await;
                let uri = [
                    "/category/politics",
                    "/?category=tech",
                    "/",
                    "/search?q=the",
                ][(round + i) % 4];
                let res = app.get(uri).await;
                assert!(
                    res.status.is_success(),
                    "round {round}: {uri}: {}",
                    res.status
                );
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
    }
}
