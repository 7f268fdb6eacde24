-- Views of published articles per article and hour (the SQLite migration of the same name
-- explains them).
CREATE TABLE article_views (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    hour       BIGINT NOT NULL,
    views      BIGINT NOT NULL,
    PRIMARY KEY (article_id, hour)
);
CREATE INDEX article_views_by_hour ON article_views (hour, article_id, views);
