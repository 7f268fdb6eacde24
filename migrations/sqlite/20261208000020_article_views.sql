-- Views of published articles, per article and hour (Unix seconds / 3600), as readers' pages
-- report them after they are shown (never counted on render: cached pages count too). Summed
-- in each server's memory and added here in batches; nothing about the reader is stored.
CREATE TABLE article_views (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    hour       INTEGER NOT NULL,
    views      INTEGER NOT NULL,
    PRIMARY KEY (article_id, hour)
) STRICT, WITHOUT ROWID;
-- "Most read": the views of the last hours, summed per article.
CREATE INDEX article_views_by_hour ON article_views (hour, article_id, views);
