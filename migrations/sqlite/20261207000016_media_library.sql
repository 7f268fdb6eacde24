-- The media library: every image with its file name (for finding it), and its alt text,
-- caption and credit kept in one place (an article choosing it takes them as its own).
ALTER TABLE media ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN alt TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN caption TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN credit TEXT NOT NULL DEFAULT '';
CREATE INDEX media_by_date ON media (created_at DESC, id DESC);
CREATE INDEX articles_by_image ON articles (image_id);

-- Images already used as a lead image take that article's texts.
UPDATE media SET
    alt = COALESCE((SELECT a.image_alt FROM articles a WHERE a.image_id = media.id AND a.image_alt <> '' ORDER BY a.id LIMIT 1), ''),
    caption = COALESCE((SELECT a.image_caption FROM articles a WHERE a.image_id = media.id AND a.image_caption <> '' ORDER BY a.id LIMIT 1), ''),
    credit = COALESCE((SELECT a.image_credit FROM articles a WHERE a.image_id = media.id AND a.image_credit <> '' ORDER BY a.id LIMIT 1), '');
