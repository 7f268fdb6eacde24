-- An article the WordPress import writes starts its history with a revision of its own kind
-- ('import': "Imported from WordPress").
ALTER TABLE article_revisions DROP CONSTRAINT article_revisions_kind_check;
ALTER TABLE article_revisions ADD CONSTRAINT article_revisions_kind_check
    CHECK (kind IN ('create', 'save', 'autosave', 'status', 'restore', 'schedule', 'import'));
